import fs from 'node:fs';
import path from 'node:path';
import { allFlowElements, executableProcesses, is } from '../../src/definitions/bpmn-utils';
import { describeProcess } from '../../src/definitions/model';
import { parseBpmn } from '../../src/definitions/parse';
import { createDefaultHandlers } from '../../src/handlers';
import { driveReglament, PROCESSES_DIR, reglamentKeys } from '../support/reglament-driver';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Issue 13, acceptance 2: over every top-level reglament, a control run to its outcome, then the
 * same run where, at the start and at every task, a request that adds a variable the form does not
 * declare is refused first: every name a condition of any diagram reads, every name a handler or
 * the host produces, every name a call activity hands to a shared flow. The refused requests must
 * leave the application on exactly the control run's path.
 */

const KEYWORDS = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'true', 'false', 'null', 'div', 'mod', 'instanceof']);

/** Variable names a `${...}` text reads: identifiers outside quoted strings, no keywords, no member names. */
function namesIn(text: string): string[] {
  const names: string[] = [];
  for (const [, body] of text.matchAll(/\$\{([^}]*)\}/g)) {
    const unquoted = body.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, ' ');
    for (const match of unquoted.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)) if (!KEYWORDS.has(match[0])) names.push(match[0]);
  }
  return names;
}

async function forbiddenNames(): Promise<{ conditions: string[]; callInputs: string[]; produced: string[] }> {
  const conditions = new Set<string>();
  const callInputs = new Set<string>();
  for (const file of fs.readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn'))) {
    const parsed = await parseBpmn(fs.readFileSync(path.join(PROCESSES_DIR, file), 'utf8'), file);
    for (const process of executableProcesses(parsed.definitions!)) {
      for (const element of allFlowElements(process)) {
        const body = is(element, 'bpmn:SequenceFlow') ? (element.conditionExpression as { body?: string } | undefined)?.body : undefined;
        if (typeof body === 'string') namesIn(body).forEach((name) => conditions.add(name));
      }
    }
    for (const call of describeProcess(parsed.definitions!).callActivities.values()) call.inputs.forEach((input) => callInputs.add(input.target));
  }
  return { conditions: [...conditions].sort(), callInputs: [...callInputs].sort(), produced: createDefaultHandlers().producedVariables() };
}

const FORGED = 'forged';

describe('only declared input, over all 13 reglaments', () => {
  let t: TestHost;
  let forbidden: string[];
  beforeAll(async () => {
    t = await startTestHost();
    const names = await forbiddenNames();
    forbidden = [...new Set([...names.conditions, ...names.callInputs, ...names.produced])].sort();
  });
  afterAll(() => t.close());

  it('knows what it forbids: the names the conditions read and the handlers produce', async () => {
    const names = await forbiddenNames();
    expect(names.conditions).toEqual(expect.arrayContaining(['variant', 'decision', 'documentsComplete', 'edsValid', 'paymentConfirmed', 'employeeAuthorized', 'channel']));
    expect(names.produced).toEqual(expect.arrayContaining(['registrationNumber', 'elicenseRequestNumber', 'scReceiptNumber', 'licenceNumber', 'refusalNumber', 'resultDocument', 'lastErrorCode']));
    expect(reglamentKeys()).toHaveLength(13);
  });

  /** Each forbidden name the form does not declare, sent alone on top of the real values, is a 400 naming it. */
  async function refusedOneByOne(send: (variables: Record<string, unknown>) => Promise<{ status: number; body: any }>, declared: string[], values: Record<string, unknown>, where: string) {
    const undeclared = forbidden.filter((name) => !declared.includes(name));
    const answers = await Promise.all(undeclared.map(async (name) => [name, await send({ ...values, [name]: FORGED })] as const));
    for (const [name, answer] of answers) {
      const fields = (answer.body?.error?.details?.fields ?? []) as { field: string; message: string }[];
      expect({ where, name, status: answer.status, code: answer.body?.error?.code, named: fields.filter((f) => f.field === name).length }).toEqual({ where, name, status: 400, code: 'VALIDATION_FAILED', named: 1 });
      expect(fields.map((f) => f.field)).toEqual([name]);
    }
    return undeclared.length;
  }

  it.each(reglamentKeys())('%s: forged variables are refused at every step and the outcome is the control run’s', async (key) => {
    const control = await driveReglament(t, { key, businessKey: `UV-CONTROL-${key}` });
    expect(control.state).toBe('completed');
    expect(control.outcome).toEqual(expect.any(String));

    const businessKey = `UV-FORGED-${key}`;
    let attempts = 0;
    const hostile = await driveReglament(t, {
      key,
      businessKey,
      beforeStart: async (starter, values) => {
        const declared = Object.keys(values);
        attempts += await refusedOneByOne((variables) => t.call(starter, 'POST', `/process-definitions/${key}/start`, { businessKey, variables }), declared, values, `${key} start`);
        expect((await t.call('admin', 'GET', `/process-instances?businessKey=${businessKey}`)).body.total).toBe(0);
      },
      beforeComplete: async (task, user, values) => {
        attempts += await refusedOneByOne((variables) => t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables }), task.formFields.map((f) => f.id), values, `${key}/${task.taskDefinitionKey}`);
        expect((await t.call('admin', 'GET', `/tasks/${task.id}`)).body.state).toBe('open');
      },
    });
    expect(attempts).toBeGreaterThan(forbidden.length);
    expect({ outcome: hostile.outcome, completed: hostile.completed }).toEqual({ outcome: control.outcome, completed: control.completed });
  });
});

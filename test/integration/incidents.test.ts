import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requiredValues } from '../support/form-values';
import { signTask } from '../support/signing';
import { iinOfTestUser, startTestHost, TestHost } from '../support/test-host';
import { readSignedDocument } from '../../src/crypto/signed-document';

/*
 * Issue 4's fault acceptance on a real reglament: with the E-licensing simulator stopped, the
 * portal application of pm-organization-accreditation stops at the registration with an incident;
 * after the simulator is back, an admin's retry completes it with one registration, not two. The
 * electronic result of the run verifies with the project's verifier and with openssl.
 */
const KEY = 'pm-organization-accreditation';

async function completeAll(t: TestHost, id: string, variables: Record<string, Record<string, unknown>>) {
  for (let guard = 0; guard < 20; guard++) {
    const tasks = (await t.call('admin', 'GET', `/tasks?processInstanceId=${id}`)).body.items;
    if (tasks.length === 0) {
      const children = (await t.call('admin', 'GET', `/process-instances?state=running`)).body.items.filter((c: any) => c.parentInstanceId === id);
      if (children.length === 0) return;
      for (const child of children) await completeAll(t, child.id, variables);
      continue;
    }
    for (const task of tasks) {
      // The values given, and what else the step's form requires (the head's resolution and executor); a task assigned to the chosen executor is completed by them.
      const detail = (await t.call('admin', 'GET', `/tasks/${task.id}`)).body;
      // The head signs the certificate (a signing step) with their own EDS over its draft.
      const res = detail.signs
        ? await signTask(t, t.simulators.ca, task.id, detail.assignee ?? t.userOf('head'))
        : await t.call(detail.assignee ?? 'admin', 'POST', `/tasks/${task.id}/complete`, { variables: requiredValues(detail.formFields, variables[task.taskDefinitionKey]) });
      expect(res.status).toBe(200);
    }
  }
}

describe('incidents from an unreachable external system', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  it('E-licensing down: incident at the registration, retried after it is back, one registration, a verifiable signed result', async () => {
    // The start form of this reglament does not ask for the applicant's kind.
    const { applicantKind: _kind, ...applicant } = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    await t.sim.stop('elicense');
    const started = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, { variables: { ...applicant, channel: 'portal' } });
    expect(started.status).toBe(201);

    const child = (await t.call('admin', 'GET', '/process-instances?processDefinitionKey=egov-portal-intake&state=running')).body.items.find((c: any) => c.parentInstanceId === started.body.id);
    const stuck = (await t.call('admin', 'GET', `/process-instances/${child.id}`)).body;
    expect(stuck.state).toBe('running');
    expect(stuck.incidents).toEqual([expect.objectContaining({ activityId: 'register-request', handler: 'elicense.register-request', attempts: 1 })]);
    expect(stuck.incidents[0].message).toMatch(/elicense|E-licensing/i);

    // Still down: the retry fails again and says so; nothing is refused silently.
    const again = await t.call('admin', 'POST', `/process-instances/${child.id}/retry`);
    expect(again.body).toMatchObject({ resolved: false, incidents: [expect.objectContaining({ attempts: 2 })] });

    await t.sim.start('elicense');
    const retried = await t.call('admin', 'POST', `/process-instances/${child.id}/retry`);
    expect(retried.body).toMatchObject({ resolved: true, instance: { state: 'completed', outcome: 'request-registered' } });
    const registrations = [...t.simulators.elicense.requests.values()].filter((r: any) => r.applicantIinBin === applicant.applicantIinBin);
    expect(registrations).toHaveLength(1);

    await completeAll(t, started.body.id, { 'check-qualification': { qualificationMet: true } });
    const done = (await t.call('admin', 'GET', `/process-instances/${started.body.id}`)).body;
    expect(done.state).toBe('completed');
    const resultDocument: string = done.variables.resultDocument;
    expect(resultDocument).toEqual(expect.any(String));

    // The head signed the certificate with their own EDS: that CMS is the result, and it verifies with our verifier ...
    const verifier = await t.adapters.eds.verifier();
    const verdict = await verifier.verify(resultDocument, undefined);
    expect(verdict).toMatchObject({ valid: true });
    // ... and with openssl against the CA simulator's root.
    const dir = fs.mkdtempSync(path.join(t.dir, 'openssl-'));
    fs.writeFileSync(path.join(dir, 'result.p7s'), Buffer.from(resultDocument, 'base64'));
    fs.writeFileSync(path.join(dir, 'root.pem'), await (await fetch(`${t.sim.urls.ca}/ca/root.pem`)).text());
    const out = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', path.join(dir, 'result.p7s'), '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readSignedDocument(resultDocument)!.signer.iin).toBe(iinOfTestUser(t.userOf('head')));
  });
});

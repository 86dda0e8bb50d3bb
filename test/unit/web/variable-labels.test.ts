import fs from 'node:fs';
import path from 'node:path';
import { createDefaultHandlers } from '../../../src/handlers';
import { describeProcess } from '../../../src/definitions/model';
import { parseBpmn } from '../../../src/definitions/parse';
import { en } from '../../../src/web/i18n/en';
import { kk } from '../../../src/web/i18n/kk';
import { ru } from '../../../src/web/i18n/ru';

/*
 * The case page names every variable (issue 16, point 4): a form field by its label, any other by the
 * web app's dictionary. That dictionary must know every variable a handler or the host produces and
 * every variable a call activity of processes/ sets, and the literal codes such a call sets must
 * have words, in all three languages.
 */
const PROCESSES = path.resolve(__dirname, '../../../processes');

async function callInputs(): Promise<{ target: string; literal?: string; file: string }[]> {
  const inputs: { target: string; literal?: string; file: string }[] = [];
  for (const file of fs.readdirSync(PROCESSES).filter((f) => f.endsWith('.bpmn'))) {
    const parsed = await parseBpmn(fs.readFileSync(path.join(PROCESSES, file), 'utf8'), file);
    const model = describeProcess(parsed.definitions!);
    const declared = new Set([...model.startFormFields, ...[...model.userTasks.values()].flatMap((task) => task.formFields)].map((f) => f.id));
    for (const call of model.callActivities.values()) {
      for (const input of call.inputs) {
        // A form's own variable passed on keeps its form label.
        if (declared.has(input.target) || (input.source && declared.has(input.source))) continue;
        inputs.push({ target: input.target, literal: /^\$\{'([^']*)'\}$/.exec(input.sourceExpression ?? '')?.[1], file });
      }
    }
  }
  return inputs;
}

describe('the web dictionary of variables no form declares', () => {
  const dictionaries = { kk, ru, en };

  it.each(Object.entries(dictionaries))('%s names every variable a handler or the host produces', (_lang, texts) => {
    const produced = createDefaultHandlers().producedVariables();
    expect(produced.length).toBeGreaterThan(20);
    const missing = produced.filter((id) => !(texts.variableLabels as Record<string, string | undefined>)[id]?.trim());
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(dictionaries))('%s names every variable a call activity sets and the codes it sets', async (_lang, texts) => {
    const inputs = await callInputs();
    expect(inputs.length).toBeGreaterThan(0);
    const labels = texts.variableLabels as Record<string, string | undefined>;
    const values = texts.valueLabels as Record<string, Record<string, string> | undefined>;
    expect(inputs.filter((i) => !labels[i.target]?.trim()).map((i) => `${i.file}: ${i.target}`)).toEqual([]);
    expect(inputs.filter((i) => i.literal !== undefined && !values[i.target]?.[i.literal]?.trim()).map((i) => `${i.file}: ${i.target} = ${i.literal}`)).toEqual([]);
  });

  it('has words for every failure the EDS verifier reports, and for a check that could not be made', () => {
    for (const failure of ['missing-signature', 'bad-signature', 'untrusted', 'expired', 'not-yet-valid', 'revoked', 'iin-mismatch', 'unavailable']) {
      for (const texts of Object.values(dictionaries)) expect((texts.valueLabels.edsFailure as Record<string, string>)[failure]).toBeTruthy();
    }
  });
});

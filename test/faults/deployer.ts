import fs from 'node:fs';
import path from 'node:path';
import { Cut, FaultClient, sleep } from './client';
import { ROOT } from './server-under-test';
import type { Tally } from './tally';

/**
 * A deployment every `every` steps, through the same kills, in turn: a small diagram
 * (test/fixtures/processes/write-lock) whose documentation changes, a reglament of processes/
 * unchanged (no new version), and a reglament whose documentation changes (a new version:
 * applications started after it run on it, running ones stay on theirs).
 */
export async function deployDuringRun(api: FaultClient, tally: Tally, o: { every: number; seed: number; reglaments: string[]; processesDir: string }): Promise<void> {
  if (o.every <= 0) return;
  const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/processes/write-lock/lock-chain.bpmn'), 'utf8');
  for (let n = 0; !tally.workDone; n++) {
    const due = tally.steps + o.every;
    while (tally.steps < due && !tally.workDone) await sleep(20);
    if (tally.workDone) break;
    const reglament = o.reglaments[n % o.reglaments.length];
    const original = fs.readFileSync(path.join(o.processesDir, `${reglament}.bpmn`), 'utf8');
    const kinds = [
      { label: `fixture lock-chain #${n}`, name: 'lock-chain.bpmn', source: fixture.replace('revision 0.', `revision ${o.seed}-${n}.`) },
      { label: `${reglament} unchanged`, name: `${reglament}.bpmn`, source: original },
      { label: `${reglament} documentation #${n}`, name: `${reglament}.bpmn`, source: original.replace('</bpmn:definitions>', `<!-- fault injection ${o.seed}-${n} --></bpmn:definitions>`) },
    ];
    const { label, name, source } = kinds[n % kinds.length];
    try {
      const res = await api.once('admin', 'POST', '/deployments', { name: `fault injection ${n}`, resources: [{ name, source }] });
      if (res.status !== 201 && res.status !== 200) tally.fail(`deployment ${label}: ${res.status} ${JSON.stringify(res.body)}`);
      else for (const d of res.body.definitions) tally.deployments.push({ key: d.key, version: d.version, source, created: d.created, label });
    } catch (error) {
      if (!(error instanceof Cut)) throw error;
      tally.deploymentsCut++;
    }
  }
}

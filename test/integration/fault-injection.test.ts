import { spawn } from 'node:child_process';
import path from 'node:path';
import { postgresFor, tempDir } from '../support/test-host';

/*
 * Crash safety (issue 6, item 3): runs test/faults/index.ts (compiled, like the server it
 * starts: `npm test` builds dist/ first) at a bounded size: 20 SIGKILLs of the real server while
 * applications of every reglament in processes/ are driven through their steps and diagrams are
 * deployed every few steps. The script checks the end state itself (every instance completed or
 * waiting on a task, each step once in every history, every completion answered 200 stored whole,
 * every deployment stored as answered, each side effect at most once per request at the
 * simulators); this test asserts its
 * verdict and its counts. It runs on the suite's database: sqlite, or with TEST_DATABASE_URL a fresh
 * PostgreSQL schema. The full run is `npm run faults` (200 kills), which `.ci/run` runs too.
 */
const script = path.resolve(__dirname, '../../dist/test/faults/index.js');
const KILLS = 20;

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...postgresFor(tempDir()) };
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('fault injection: SIGKILL at random moments while every reglament runs', () => {
  it(
    `${KILLS} kills: every instance completes or waits on a task, each step once, each side effect at most once`,
    async () => {
      const { code, output } = await run(['--kills', String(KILLS), '--workers', '8']);
      const line = output.split('\n').find((l) => l.startsWith('FAULT-INJECTION-RESULT '));
      if (!line) throw new Error(`no result line; output:\n${output.slice(-5000)}`);
      const result = JSON.parse(line.slice('FAULT-INJECTION-RESULT '.length));
      // The counts, for the CI log.
      console.log(output.split('\n').filter((l) => !l.startsWith('FAULT-INJECTION-RESULT ')).join('\n'));
      expect(result.failures).toEqual([]);
      expect(result.ok).toBe(true);
      expect(code).toBe(0);
      expect(result.kills).toBeGreaterThanOrEqual(KILLS);
      expect(result.serverStarts).toBe(result.kills + 1);
      // Every reglament ran, and every application ended at one of its end events.
      expect(result.reglaments.length).toBeGreaterThanOrEqual(9);
      const ran = new Set(Object.keys(result.outcomes).map((k: string) => k.split(' -> ')[0]));
      expect([...ran].sort()).toEqual([...result.reglaments].sort());
      expect(result.instances).toBeGreaterThanOrEqual(result.reglaments.length);
      expect(result.steps).toBeGreaterThan(result.instances);
      expect(result.cutRequests).toBeGreaterThan(0);
      // Deployments ran among the steps (new versions included), and every acknowledged completion was checked stored whole.
      expect(result.deployments.answered).toBeGreaterThan(0);
      expect(result.deployments.newVersions).toBeGreaterThan(0);
      expect(result.acknowledgedCompletions).toBeGreaterThan(result.instances);
      // Every repeat of a discarded step reached the systems as the same request: nothing without an instance.
      expect(result.orphanSideEffects).toEqual({ elicenseRegistrations: 0, stateCorporationRegistrations: 0, cabinetNotifications: 0, applicationsRegisteredTwice: 0 });
    },
    170_000,
  );
});

export interface FaultInjectionResult {
  ok: boolean;
  seed: number;
  reglaments: string[];
  instances: number;
  instancesTotal: number;
  kills: number;
  serverStarts: number;
  steps: number;
  cutRequests: number;
  /** Starts repeated after a kill that the server answered with the instance the first attempt made. */
  replayedStarts: number;
  /** Deployments answered 2xx during the run (new versions among them), and those a kill cut off. */
  deployments: { answered: number; newVersions: number; cut: number };
  /** Completions answered 200, each checked to be stored whole. */
  acknowledgedCompletions: number;
  outcomes: Record<string, number>;
  sideEffects: Record<string, number>;
  orphanSideEffects: Record<string, number>;
  failures: string[];
  seconds: number;
}

/** The counts for a reader, then, last, the line `FAULT-INJECTION-RESULT <json>` that the test and CI read. */
export function printReport(result: FaultInjectionResult): void {
  console.log(`fault injection (seed ${result.seed}): ${result.instances} applications of ${result.reglaments.length} reglaments (${result.instancesTotal} instances with shared flows), ${result.kills} kills (SIGKILL), ${result.serverStarts} server starts, ${result.steps} steps, ${result.cutRequests} requests cut off by a kill, ${result.seconds} s`);
  console.log('outcomes:');
  for (const [k, n] of Object.entries(result.outcomes).sort()) console.log(`  ${String(n).padStart(4)}  ${k}`);
  console.log(`deployments during the run: ${result.deployments.answered} answered (${result.deployments.newVersions} new versions), ${result.deployments.cut} cut off by a kill; completions answered 200 and checked stored whole: ${result.acknowledgedCompletions}`);
  console.log(`side effects: ${JSON.stringify(result.sideEffects)}`);
  console.log(`orphan side effects (steps a kill discarded before their commit): ${JSON.stringify(result.orphanSideEffects)}`);
  console.log(result.ok ? 'every check passed' : `${result.failures.length} check(s) failed:\n  ${result.failures.join('\n  ')}`);
  console.log(`FAULT-INJECTION-RESULT ${JSON.stringify(result)}`);
}

/** What the run has counted and what failed so far; the killer, the deployer, the clients and the checks all add to it. */
export interface Tally {
  steps: number;
  cut: number;
  replayedStarts: number;
  deploymentsCut: number;
  paymentChecks: number;
  /** Completions answered 200, each to be checked stored whole. */
  acknowledged: { taskId: string; instanceId: string; activityId: string; label: string }[];
  /** Deployments answered 2xx, each to be checked stored as answered. */
  deployments: { key: string; version: number; source: string; created: boolean; label: string }[];
  failures: string[];
  /** The applications are all driven to their end (the killer and the deployer stop). */
  workDone: boolean;
  fail(message: string): void;
}

export function newTally(): Tally {
  const failures: string[] = [];
  return {
    steps: 0,
    cut: 0,
    replayedStarts: 0,
    deploymentsCut: 0,
    paymentChecks: 0,
    acknowledged: [],
    deployments: [],
    failures,
    workDone: false,
    fail: (message) => {
      if (failures.length < 200) failures.push(message);
    },
  };
}

import { sleep } from './client';
import type { FaultOptions } from './options';
import type { ServerUnderTest } from './server-under-test';
import type { ExternalTraffic } from './slow-proxy';
import type { Tally } from './tally';

/**
 * After a random uptime (requests in flight), SIGKILL and start again, until `kills` happened or
 * the work is done. Half the kills (`afterSideEffect`) wait for the window between a side effect
 * and the step's commit: right after a side-effecting call reached its system, before the server
 * has its answer.
 */
export async function killAtRandom(server: ServerUnderTest, traffic: ExternalTraffic, tally: Tally, options: FaultOptions, random: () => number): Promise<void> {
  const { minUptimeMs, maxUptimeMs } = options;
  while (server.kills < options.kills && !tally.workDone) {
    const uptime = sleep(minUptimeMs + random() * (maxUptimeMs - minUptimeMs));
    if (random() < options.afterSideEffect) {
      await sleep(minUptimeMs);
      // The 1st, 2nd or 3rd side effect from now: a step with several (decision, then notification) is hit at each.
      let skip = Math.floor(random() * 3);
      await Promise.race([new Promise<void>((resolve) => (traffic.onSideEffect = () => (skip-- <= 0 ? resolve() : undefined))), uptime.then(() => sleep(maxUptimeMs))]);
      traffic.onSideEffect = undefined;
    } else await uptime;
    if (tally.workDone) break;
    await server.kill();
    await server.start();
  }
}

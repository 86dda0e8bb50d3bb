import { DataSource } from 'typeorm';
import { TimerEntity } from './entities';
import { writeTransaction } from './write-lock';

/** What the operations metrics show of the stored work (see observability/metrics.ts). */
export interface OperationsSnapshot {
  openTasksByGroup: { group: string; count: number }[];
  /** Open tasks past their due date, per reglament and step. */
  overdueTasks: { reglament: string; step: string; count: number }[];
  /** Open tasks in the last share of their limit (riskFrom passed) and not yet due. */
  atRiskTasks: { reglament: string; step: string; count: number }[];
  timersByState: { state: string; count: number }[];
  openIncidents: { reglament: string; count: number }[];
}

/**
 * Counts for the metrics endpoint: five grouped reads, each served by an index that starts with
 * the state column (ix_task_group_due, ix_task_state_due, ix_timer_state_due), so their cost grows
 * with the open work, not with the history. The caller caches the snapshot for a few seconds.
 */
export async function operationsSnapshot(dataSource: DataSource, now: Date): Promise<OperationsSnapshot> {
  const at = now.toISOString();
  const q = (sql: string, params: unknown[] = []) => dataSource.query(postgresParams(dataSource, sql), params) as Promise<Record<string, unknown>[]>;
  const [groups, overdue, atRisk, timers, incidents] = [
    await q(`SELECT "groupId" AS "group", COUNT(*) AS "count" FROM task_candidate_groups WHERE state = 'open' GROUP BY "groupId"`),
    await q(`SELECT "processDefinitionKey" AS "reglament", "taskDefinitionKey" AS "step", COUNT(*) AS "count" FROM tasks WHERE state = 'open' AND due IS NOT NULL AND due < ? GROUP BY "processDefinitionKey", "taskDefinitionKey"`, [at]),
    await q(`SELECT "processDefinitionKey" AS "reglament", "taskDefinitionKey" AS "step", COUNT(*) AS "count" FROM tasks WHERE state = 'open' AND due IS NOT NULL AND due >= ? AND "riskFrom" IS NOT NULL AND "riskFrom" <= ? GROUP BY "processDefinitionKey", "taskDefinitionKey"`, [at, at]),
    await q(`SELECT state AS "state", COUNT(*) AS "count" FROM timers GROUP BY state`),
    await q(`SELECT "processDefinitionKey" AS "reglament", COUNT(*) AS "count" FROM incidents WHERE "resolvedAt" IS NULL GROUP BY "processDefinitionKey"`),
  ];
  const n = (row: Record<string, unknown>) => Number(row.count);
  return {
    openTasksByGroup: groups.map((r) => ({ group: String(r.group), count: n(r) })),
    overdueTasks: overdue.map((r) => ({ reglament: String(r.reglament), step: String(r.step), count: n(r) })),
    atRiskTasks: atRisk.map((r) => ({ reglament: String(r.reglament), step: String(r.step), count: n(r) })),
    timersByState: timers.map((r) => ({ state: String(r.state), count: n(r) })),
    openIncidents: incidents.map((r) => ({ reglament: String(r.reglament), count: n(r) })),
  };
}

/** sqlite takes `?`, PostgreSQL `$1, $2, ...`. */
function postgresParams(dataSource: DataSource, sql: string): string {
  if (dataSource.options.type !== 'postgres') return sql;
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** Connections of the database pool, where the driver has one (PostgreSQL); sqlite has one connection and no pool. */
export function poolUsage(dataSource: DataSource): { total: number; idle: number; waiting: number } | null {
  if (!dataSource.isInitialized || dataSource.options.type !== 'postgres') return null;
  const pool = (dataSource.driver as unknown as { master?: { totalCount?: number; idleCount?: number; waitingCount?: number } }).master;
  if (!pool || typeof pool.totalCount !== 'number') return null;
  return { total: pool.totalCount, idle: pool.idleCount ?? 0, waiting: pool.waitingCount ?? 0 };
}

/**
 * Timer leases held by one server process, given back (the host is shutting down): pending timers
 * it leased become free for the next poll of any server instead of staying locked until the lease
 * runs out. Fired timers keep their record of who fired them.
 */
export class SqlTimerLeases {
  constructor(private readonly dataSource: DataSource) {}

  async release(holder: string): Promise<number> {
    const result = await writeTransaction(this.dataSource, (manager) =>
      manager.createQueryBuilder().update(TimerEntity).set({ lockedBy: null, lockedUntil: null }).where("state = 'pending' AND \"lockedBy\" = :holder", { holder }).execute(),
    );
    return result.affected ?? 0;
  }
}

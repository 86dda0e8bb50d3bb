import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * The one write lock of a DataSource. Every write of the host is a `writeTransaction`: steps,
 * claims, timer leases, escalations, notification reads and deployments.
 *
 * Why one lock: on sqlite typeorm keeps ONE connection for the whole DataSource, and a transaction is
 * a state of that connection, not of the caller. Two transactions that overlap in time become one
 * (BEGIN inside BEGIN fails with "cannot start a transaction within a transaction", or the second
 * becomes a savepoint of the first), and a statement sent by anyone while a transaction is open runs
 * inside it: a write outside the lock is committed or rolled back with someone else's transaction, and
 * a read sees rows that may still be rolled back. So, on sqlite:
 *  - write transactions run one at a time, in arrival order;
 *  - a statement from outside the running transaction (a read of an API request or of a step being
 *    computed) waits until that transaction has ended, and a transaction starts only when the
 *    statements already running have finished: reads see committed data only. Readers that arrived
 *    while a transaction ran are let in before the next one, so neither side starves;
 *  - BEGIN is BEGIN IMMEDIATE, so that another process on the same file waits for the file's write
 *    lock (busy_timeout) up front instead of failing half-way when a read turns into a write.
 * On PostgreSQL each transaction has its own pooled connection; the lock still orders this process's
 * writes (per process only: across processes correctness stays with revision checks, compare-and-set
 * updates and unique keys).
 *
 * The function given to writeTransaction must only talk to the database (through the manager, or the
 * DataSource within the same async context); it must not wait for work started outside it, which may
 * itself be waiting for the lock.
 */
class WriteLock {
  private tail: Promise<void> = Promise.resolve();
  /** Transactions running or waiting for their turn. */
  private writers = 0;
  /** The running transaction (its statements pass the gate). */
  private owner: symbol | null = null;
  /** Statements from outside the transaction that are running. */
  private readers = 0;
  private readersDone: (() => void) | null = null;
  private waitingReaders: (() => void)[] = [];

  constructor(private readonly gateReads: boolean) {}

  async write<T>(fn: () => Promise<T>): Promise<T> {
    const inside = context.getStore();
    if (inside && inside.lock === this && inside.token === this.owner) {
      throw new Error('A write transaction was opened inside another one; run the writes in the outer transaction');
    }
    this.writers++;
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const token = Symbol('write transaction');
    this.owner = token;
    try {
      if (this.gateReads && this.readers > 0) await new Promise<void>((resolve) => (this.readersDone = resolve));
      return await context.run({ lock: this, token }, fn);
    } finally {
      this.owner = null;
      this.writers--;
      // Readers that queued behind this transaction go before the next one.
      for (const admit of this.waitingReaders.splice(0)) {
        this.readers++;
        admit();
      }
      release();
    }
  }

  /** Resolves once every transaction queued so far has ended (a closing host waits for it). */
  drained(): Promise<void> {
    return this.tail;
  }

  /** One statement from anywhere; outside the running transaction it waits for it to end. */
  async read<T>(statement: () => Promise<T>): Promise<T> {
    const inside = context.getStore();
    if (!this.gateReads || (inside && inside.lock === this && inside.token === this.owner)) return statement();
    if (this.writers > 0) await new Promise<void>((resolve) => this.waitingReaders.push(resolve));
    else this.readers++;
    try {
      return await statement();
    } finally {
      this.readers--;
      if (this.readers === 0 && this.readersDone) {
        const done = this.readersDone;
        this.readersDone = null;
        done();
      }
    }
  }
}

const context = new AsyncLocalStorage<{ lock: WriteLock; token: symbol }>();
const locks = new WeakMap<DataSource, WriteLock>();

function lockOf(dataSource: DataSource): WriteLock {
  let lock = locks.get(dataSource);
  if (!lock) {
    const sqlite = dataSource.options.type === 'sqlite';
    lock = new WriteLock(sqlite);
    locks.set(dataSource, lock);
    if (sqlite) gateSqliteStatements(dataSource, lock);
  }
  return lock;
}

/**
 * Routes every statement of the sqlite DataSource's single query runner through the lock's gate
 * (the runner is shared by every caller, so this covers repositories, query builders and raw queries).
 */
function gateSqliteStatements(dataSource: DataSource, lock: WriteLock): void {
  const runner = dataSource.driver.createQueryRunner('master') as QueryRunner & { __writeLockGate?: true };
  if (runner.__writeLockGate) return;
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = ((sql: string, ...rest: unknown[]) =>
    lock.read(() => query(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql, ...rest))) as QueryRunner['query'];
  runner.__writeLockGate = true;
}

/**
 * Runs fn in one database transaction under the DataSource's write lock: committed whole when fn
 * resolves, rolled back whole when it throws. The only way the host writes.
 */
export function writeTransaction<T>(dataSource: DataSource, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return lockOf(dataSource).write(() => dataSource.transaction(fn));
}

/** Installs the lock (and, on sqlite, its read gate) before the DataSource serves anything. */
export function installWriteLock(dataSource: DataSource): void {
  lockOf(dataSource);
}

/** Resolves once every write transaction queued so far has committed or rolled back. */
export function writesDrained(dataSource: DataSource): Promise<void> {
  return lockOf(dataSource).drained();
}

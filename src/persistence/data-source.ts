import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { compressInstanceColumns } from './compressed-columns';
import { allEntities } from './entities';
import { migrations } from './migrations';
import { installWriteLock } from './write-lock';

export interface DatabaseOptions {
  /** `postgres://...` selects PostgreSQL; anything else is ignored in favour of `sqliteFile`. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created when missing); default public. Tests give each host its own. */
  schema?: string;
  sqliteFile: string;
}

/** Any 64-bit number unique to this application: the session lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_415_001;

/**
 * Opens the database and brings its schema up to date with the migrations (never by synchronising
 * with the entities). sqlite runs in WAL mode with a busy timeout so that a reader never blocks the
 * single writer and a second process waits instead of failing at once. Several processes may start
 * at once on one database: on PostgreSQL an advisory lock lets one migrate while the others wait.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const isPostgres = options.databaseUrl?.startsWith('postgres');
  let dataSource: DataSource;
  if (isPostgres) {
    if (options.schema) await ensureSchema(options.databaseUrl!, options.schema);
    dataSource = new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      schema: options.schema,
      // The migrations' SQL names no schema: every connection resolves names in ours.
      extra: options.schema ? { options: `-c search_path=${options.schema.replace(/[^A-Za-z0-9_]/g, '')}` } : undefined,
      entities: allEntities,
      migrations,
      synchronize: false,
    });
  } else {
    if (options.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
    dataSource = new DataSource({
      type: 'sqlite',
      database: options.sqliteFile,
      entities: allEntities,
      migrations,
      synchronize: false,
      // No busyErrorRetry: in typeorm 0.3 it re-runs a busy statement every N ms forever, which
      // hangs a step whose snapshot went stale; busy_timeout waits, then the step fails whole.
      // busyTimeout is set on connect; WAL is switched on in migrate(), not by typeorm's enableWAL, which
      // runs before the busy timeout and so fails at once (SQLITE_BUSY) while another process migrates.
      busyTimeout: 5000,
    });
  }
  await dataSource.initialize();
  await migrate(dataSource, !!isPostgres);
  compressInstanceColumns(dataSource);
  // From here on every write goes through the DataSource's one write lock (see write-lock.ts).
  installWriteLock(dataSource);
  return dataSource;
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
  } catch (error) {
    // Two processes creating it at the same moment: the loser sees a unique violation; the schema exists.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await admin.destroy();
  }
}

async function migrate(dataSource: DataSource, isPostgres: boolean): Promise<void> {
  if (!isPostgres) {
    const file = (dataSource.options as { database: string }).database;
    // sqlite has no advisory lock; a lock file next to the database plays its part, so that a
    // second process never migrates into the first one's open transaction (which deadlocks).
    if (file === ':memory:') await dataSource.runMigrations({ transaction: 'all' });
    else {
      // WAL is switched on under the same lock: switching waits for every other connection's
      // transaction, and another process's first migrations on a loaded machine outlast the busy
      // timeout (SQLITE_BUSY in the migrations test under CI load).
      await withLockFile(`${file}.migrating`, async () => {
        await dataSource.query('PRAGMA journal_mode = WAL');
        await dataSource.runMigrations({ transaction: 'all' });
      });
    }
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/** Runs fn while holding an exclusive lock file; a lock older than a minute is a crashed holder's and is taken over. */
async function withLockFile<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lockFile, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lockFile).mtimeMs > 60_000) fs.rmSync(lockFile, { force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`Could not take ${lockFile}: another process holds it`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

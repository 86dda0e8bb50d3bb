/**
 * npm run backup -- <target file>            an online backup of the sqlite database (DB_FILE) while the server runs
 * npm run backup -- --restore <backup file>  puts a backup in place of DB_FILE; refused while a server has it open
 *
 * The backup uses sqlite's online backup API (sqlite3's Database#backup: sqlite3_backup_step), not a
 * copy of the file: a copy taken while the server writes may hold half a transaction, and the WAL
 * file beside the database holds the newest commits, which a copy of the main file alone misses. The
 * backup API reads through a connection of its own, so it sees committed transactions only, WAL
 * included; in WAL mode its reading blocks no writer of the server.
 *
 * It copies in batches, printing its progress. If the server commits between two batches, sqlite
 * restarts the copy from the first page (what it copied may be stale); rather than chase a busy
 * server, the rest is then copied in one step, within one read transaction, so the backup is the
 * database as it was at one instant. It is written to `<target>.<pid>.partial`, checked
 * (`PRAGMA integrity_check`), and only then given the target's name, with a link that fails if the
 * target appeared meanwhile: an existing file is never overwritten, and a failed backup leaves no
 * target behind. Exit code 0 on success, 1 with a message on stderr otherwise.
 *
 * On PostgreSQL (DATABASE_URL=postgres://...) it refuses and names pg_dump (docs/operations.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../src/config';
import { runMain } from './run-main';

class Refusal extends Error {}

/** Pages per step (4 KB each) between progress lines; BACKUP_STEP_PAGES changes it (the test makes it small). */
function pagesPerStep(): number {
  return whole('BACKUP_STEP_PAGES', 1000, 1);
}

/** A pause between steps (BACKUP_STEP_PAUSE_MS, default 0) spreads the backup's reads on a busy disk. */
function pauseMs(): number {
  return whole('BACKUP_STEP_PAUSE_MS', 0, 0);
}

function whole(name: string, fallback: number, least: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < least) throw new Refusal(`${name} must be a whole number of at least ${least}, got "${raw}"`);
  return n;
}
/** How long a step waits for the server's write lock to pass before it tries again (busy, locked). */
const RETRY_MS = 50;
const BUSY_TIMEOUT_MS = 5000;


function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (error) => (error ? reject(error) : resolve(db)));
  });
}

function all(db: sqlite3.Database, sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[]))));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
}

interface BackupHandle {
  step(pages: number, callback: (error: (Error & { code?: string }) | null, done: boolean) => void): void;
  finish(callback?: (error: Error | null) => void): void;
  readonly remaining: number;
  readonly pageCount: number;
  readonly failed: boolean;
}

function step(backup: BackupHandle, pages: number): Promise<{ done: boolean; busy: boolean }> {
  return new Promise((resolve, reject) =>
    backup.step(pages, (error, done) => {
      if (!error) return resolve({ done, busy: false });
      // Busy and locked are retried (sqlite3's retryErrors): the backup is still usable.
      if (!backup.failed) return resolve({ done: false, busy: true });
      reject(error);
    }),
  );
}

function finish(backup: BackupHandle): Promise<void> {
  return new Promise((resolve, reject) => backup.finish((error) => (error ? reject(error) : resolve())));
}

function sqliteFileOf(): string {
  const config = loadConfig();
  if (config.databaseUrl?.startsWith('postgres')) {
    throw new Refusal('DATABASE_URL is a PostgreSQL database: back it up with pg_dump -Fc and restore it with pg_restore (docs/operations.md, "Backup and restore").');
  }
  return config.database;
}

async function backUp(targetArg: string, log: (line: string) => void): Promise<void> {
  const source = sqliteFileOf();
  const target = path.resolve(targetArg);
  if (!fs.existsSync(source)) throw new Refusal(`No database at ${source} (DB_FILE): nothing to back up.`);
  if (fs.existsSync(target)) throw new Refusal(`${target} exists: a backup never overwrites a file. Choose another name or remove it.`);
  if (path.resolve(source) === target) throw new Refusal('The target is the database itself.');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  fs.rmSync(partial, { force: true });

  log(`Backing up ${source} to ${target}`);
  // Read-write without create: a missing database is an error, not a new empty one; the backup only reads.
  const db = await open(source, sqlite3.OPEN_READWRITE);
  try {
    db.configure('busyTimeout', BUSY_TIMEOUT_MS);
    const backup = await new Promise<BackupHandle>((resolve, reject) => {
      const handle = (db as unknown as { backup(file: string, cb: (error: Error | null) => void): BackupHandle }).backup(partial, (error) => (error ? reject(error) : resolve(handle)));
    });
    let pages = pagesPerStep();
    const pause = pauseMs();
    let previousRemaining = Infinity;
    let restarted = false;
    for (;;) {
      const { done, busy } = await step(backup, pages);
      if (done) break;
      if (busy) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      const total = backup.pageCount;
      const copied = total - backup.remaining;
      log(`  ${copied} of ${total} pages (${total > 0 ? Math.floor((copied * 100) / total) : 100}%)`);
      if (backup.remaining > previousRemaining && !restarted) {
        // The server committed meanwhile and sqlite began again: copy everything in one read transaction.
        restarted = true;
        pages = -1;
        log('  the database changed during the copy: copying the rest in one step');
      }
      previousRemaining = backup.remaining;
      if (pause > 0 && pages > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    log(`  ${backup.pageCount} of ${backup.pageCount} pages (100%)`);
    await finish(backup);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await close(db);
  }

  try {
    const summary = await check(partial, true);
    // link() fails with EEXIST if the target appeared meanwhile: never overwrite.
    fs.linkSync(partial, target);
    log(`Backup written: ${target} (${fs.statSync(target).size} bytes; integrity ok; ${summary})`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Refusal(`${target} appeared during the backup: not overwritten; nothing written.`);
    throw error;
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(partial + suffix, { force: true });
  }
}

/** The backup's integrity check and what it holds; throws if the file is damaged. */
async function check(file: string, standalone: boolean): Promise<string> {
  const db = await open(file, standalone ? sqlite3.OPEN_READWRITE : sqlite3.OPEN_READONLY);
  try {
    const integrity = await all(db, 'PRAGMA integrity_check');
    const verdict = integrity.map((row) => Object.values(row)[0]).join('; ');
    if (verdict !== 'ok') throw new Error(`The backup failed its integrity check: ${verdict}`);
    const [counts] = await all(
      db,
      `SELECT (SELECT count(*) FROM process_instances WHERE state = 'running') AS running,
              (SELECT count(*) FROM tasks WHERE state = 'open') AS tasks,
              (SELECT count(*) FROM timers WHERE state = 'pending') AS timers`,
    );
    // The copied header says WAL; in rollback mode the backup is one self-contained file (the
    // server turns WAL on again when it opens a restored copy).
    if (standalone) await all(db, 'PRAGMA journal_mode = DELETE');
    return `${counts.running} running instances, ${counts.tasks} open tasks, ${counts.timers} pending timers`;
  } finally {
    await close(db);
  }
}

/**
 * Restore: refused while any process has the database open (a server that is running). Probed with an
 * exclusive lock, which sqlite grants only to the sole connection. The old database is kept beside it.
 */
async function restore(backupArg: string, log: (line: string) => void): Promise<void> {
  const database = sqliteFileOf();
  const backup = path.resolve(backupArg);
  if (!fs.existsSync(backup)) throw new Refusal(`No backup at ${backup}.`);
  await check(backup, false).then((summary) => log(`Backup ${backup}: integrity ok; ${summary}`));
  let kept: string | undefined;
  if (fs.existsSync(database)) {
    const db = await open(database, sqlite3.OPEN_READWRITE);
    try {
      await all(db, 'PRAGMA locking_mode = EXCLUSIVE');
      await all(db, 'BEGIN EXCLUSIVE');
      await all(db, 'SELECT count(*) FROM sqlite_master');
      await all(db, 'COMMIT');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new Refusal(`${database} is in use (a server is running on it): stop the server first.`);
      throw error;
    } finally {
      // Closing the last connection checkpoints the WAL into the file and removes it.
      await close(db);
    }
    kept = `${database}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(database, kept);
  }
  // A WAL or shared-memory file left by the old database would be replayed onto the restored one.
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (!fs.existsSync(database + suffix)) continue;
    if (kept) fs.renameSync(database + suffix, kept + suffix);
    else fs.rmSync(database + suffix);
  }
  fs.mkdirSync(path.dirname(database), { recursive: true });
  const restoring = `${database}.restoring`;
  fs.copyFileSync(backup, restoring);
  fs.renameSync(restoring, database);
  log(`Restored ${backup} to ${database}${kept ? `; the previous database is kept as ${kept}` : ''}. Start the server.`);
}

export async function main(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const usage = 'Usage: npm run backup -- <target file>  |  npm run backup -- --restore <backup file>';
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { restore: { type: 'string' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.restore ? positionals.length !== 0 : positionals.length !== 1) {
    console.error(usage);
    return 1;
  }
  try {
    if (values.restore) await restore(values.restore, log);
    else await backUp(positionals[0], log);
    return 0;
  } catch (error) {
    const message = error instanceof Refusal ? error.message : `${values.restore ? 'Restore' : 'Backup'} failed: ${(error as Error).message}`;
    console.error(message);
    return 1;
  }
}

if (require.main === module) runMain(main);

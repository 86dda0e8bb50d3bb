import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { allEntities } from './entities';

export interface DatabaseOptions {
  /** `postgres://...` selects PostgreSQL; anything else is ignored in favour of `sqliteFile`. */
  databaseUrl?: string;
  sqliteFile: string;
}

/**
 * Opens the database and brings its schema up to date. sqlite runs in WAL mode with a busy
 * timeout so that a reader never blocks the single writer and a second process waits instead of
 * failing at once.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const isPostgres = options.databaseUrl?.startsWith('postgres');
  let dataSource: DataSource;
  if (isPostgres) {
    dataSource = new DataSource({ type: 'postgres', url: options.databaseUrl, entities: allEntities, synchronize: true });
  } else {
    if (options.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
    dataSource = new DataSource({
      type: 'sqlite',
      database: options.sqliteFile,
      entities: allEntities,
      synchronize: true,
      busyErrorRetry: 50,
      enableWAL: options.sqliteFile !== ':memory:',
    });
  }
  await dataSource.initialize();
  if (!isPostgres) await dataSource.query('PRAGMA busy_timeout = 5000');
  return dataSource;
}

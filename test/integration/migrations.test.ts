import path from 'node:path';
import sqlite3 from 'sqlite3';
import { openDatabase } from '../../src/persistence/data-source';
import { postgresFor, tempDir } from '../support/test-host';

/*
 * The schema comes from migrations only. After they ran, typeorm's schema builder must find
 * nothing to change against the entities: a changed entity without its migration fails here.
 */
describe('schema migrations', () => {
  const target = () => {
    const dir = tempDir();
    const pg = postgresFor(dir);
    return { databaseUrl: pg.DATABASE_URL, schema: pg.DATABASE_SCHEMA, sqliteFile: path.join(dir, 'm.sqlite') };
  };

  it('create exactly the schema the entities describe', async () => {
    const dataSource = await openDatabase(target());
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('run once when several processes open the same database at the same moment', async () => {
    const options = target();
    const opened = await Promise.all([openDatabase(options), openDatabase(options), openDatabase(options)]);
    try {
      const rows = await opened[0].query('SELECT name FROM migrations');
      expect(rows.map((r: { name: string }) => r.name)).toEqual(['InitialSchema1763900000000', 'TimerLeases1763910000000', 'TaskListOrder1763920000000', 'TaskGroupCounts1763930000000', 'TaskRisk1763947000000', 'Cases1763960000000', 'LawInForce1764900000000', 'WebSessions1765020000000', 'AssignmentComments1765100000000', 'Attachments1765300000000', 'TaskFilters1765500000000', 'ExternalTasks1796441063932', 'SigningDrafts1796441099129']);
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
    }
  });
  it('on sqlite, a process that opens the database while another holds it locked waits instead of failing', async () => {
    const options = target();
    if (options.databaseUrl) return; // PostgreSQL: the advisory lock above covers it.
    const holder = new sqlite3.Database(options.sqliteFile);
    const run = (sql: string) => new Promise<void>((resolve, reject) => holder.run(sql, (error) => (error ? reject(error) : resolve())));
    await run('CREATE TABLE held (x)');
    await run('BEGIN EXCLUSIVE');
    // Longer than node-sqlite3's default busy timeout (1 s), as a migration in another process can be under load.
    const release = setTimeout(() => void run('COMMIT'), 1500);
    try {
      const opened = await openDatabase(options);
      await opened.destroy();
    } finally {
      clearTimeout(release);
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

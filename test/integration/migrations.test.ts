import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/persistence/data-source';
import { InstanceEntity } from '../../src/persistence/entities';
import { migrations } from '../../src/persistence/migrations';
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
      expect(rows.map((r: { name: string }) => r.name)).toEqual(['InitialSchema1763900000000', 'TimerLeases1763910000000', 'TaskListOrder1763920000000', 'TaskGroupCounts1763930000000', 'TaskRisk1763947000000', 'Cases1763960000000', 'LawInForce1764900000000', 'WebSessions1765020000000', 'AssignmentComments1765100000000', 'Attachments1765300000000', 'TaskFilters1765500000000', 'ExternalTasks1796441063932', 'SigningDrafts1796441099129', 'CompactStorage1796441303500']);
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
    }
  });
  it('CompactStorage1796441303500 deflates the engine state and variables of the instances already stored (sqlite), which read back as they were written', async () => {
    const options = target();
    if (options.databaseUrl) return; // PostgreSQL: the migration leaves the columns as text (TOAST compresses them); the schema test above covers its index drops.
    const before = migrations.slice(0, migrations.findIndex((m) => m.name === 'CompactStorage1796441303500'));
    const old = new DataSource({ type: 'sqlite', database: options.sqliteFile, migrations: before, entities: [] });
    await old.initialize();
    await old.runMigrations({ transaction: 'all' });
    const engineState = JSON.stringify({ name: 'running', definitions: [{ environment: { variables: { applicantName: 'ТОО «Мақта»', note: 'x'.repeat(4000) } } }] });
    const variables = JSON.stringify({ applicantName: 'ТОО «Мақта»', note: 'x'.repeat(4000) });
    const insert = (id: string, state: string | null) =>
      old.query(`INSERT INTO process_instances (id, definitionId, processDefinitionKey, version, state, engineState, variables, activeActivities, startedAt, rev) VALUES (?, 'p:1', 'p', 1, ?, ?, ?, '[]', '2026-01-01T00:00:00.000Z', 0)`, [id, state ? 'running' : 'completed', state, variables]);
    await insert('running', engineState);
    await insert('ended', null);
    await old.destroy();

    const db = await openDatabase(options);
    try {
      const raw: { id: string; stateType: string; variablesType: string; variablesBytes: number }[] = await db.query(`SELECT id, typeof(engineState) AS stateType, typeof(variables) AS variablesType, length(variables) AS variablesBytes FROM process_instances ORDER BY id`);
      expect(raw.map(({ id, stateType, variablesType }) => ({ id, stateType, variablesType }))).toEqual([
        { id: 'ended', stateType: 'null', variablesType: 'blob' },
        { id: 'running', stateType: 'blob', variablesType: 'blob' },
      ]);
      expect(raw[1].variablesBytes).toBeLessThan(Buffer.byteLength(variables) / 4);
      const rows = await db.getRepository(InstanceEntity).find({ order: { id: 'ASC' } });
      expect(rows.map((r) => [r.id, r.engineState, r.variables])).toEqual([
        ['ended', null, variables],
        ['running', engineState, variables],
      ]);
      // What the store writes from now on is deflated too, and reads back unchanged.
      await db.getRepository(InstanceEntity).update({ id: 'running' }, { engineState: '{"next":true}', variables: '{}' });
      expect(await db.query(`SELECT typeof(engineState) AS t FROM process_instances WHERE id = 'running'`)).toEqual([{ t: 'blob' }]);
      expect(await db.getRepository(InstanceEntity).findOneByOrFail({ id: 'running' })).toMatchObject({ engineState: '{"next":true}', variables: '{}' });
    } finally {
      await db.destroy();
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

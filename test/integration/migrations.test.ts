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
      expect(rows.map((r: { name: string }) => r.name)).toEqual(['InitialSchema1763900000000', 'TimerLeases1763910000000', 'TaskListOrder1763920000000', 'TaskGroupCounts1763930000000', 'TaskRisk1763947000000', 'Cases1763960000000', 'LawInForce1764900000000', 'WebSessions1765020000000', 'AssignmentComments1765100000000', 'Attachments1765300000000', 'TaskFilters1765500000000', 'ExternalTasks1796441063932', 'SigningDrafts1796441099129', 'CompactStorage1796441303500', 'CalledStarts1796452010524', 'TaskInstanceIndex1796452185905']);
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

  it('CalledStarts1796452010524 keeps of a called instance\'s stored start only its call\'s inputs and the names it had from its caller', async () => {
    const options = target();
    const before = migrations.slice(0, migrations.findIndex((m) => m.name === 'CalledStarts1796452010524'));
    if (options.databaseUrl) {
      const admin = await new DataSource({ type: 'postgres', url: options.databaseUrl }).initialize();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await admin.destroy();
    }
    const old = options.databaseUrl
      ? new DataSource({ type: 'postgres', url: options.databaseUrl, schema: options.schema, extra: { options: `-c search_path=${options.schema}` }, migrations: before, entities: [] })
      : new DataSource({ type: 'sqlite', database: options.sqliteFile, migrations: before, entities: [] });
    await old.initialize();
    await old.runMigrations({ transaction: 'all' });
    const p = (n: number) => (options.databaseUrl ? `$${n}` : '?');
    const instance = (id: string, parent: string | null) =>
      old.query(`INSERT INTO process_instances ("id", "definitionId", "processDefinitionKey", "version", "state", "variables", "activeActivities", "startedAt", "rev", "parentInstanceId", "parentActivityId") VALUES (${p(1)}, 'p:1', 'p', 1, 'running', '{}', '[]', '2026-01-01T00:00:00.000Z', 0, ${p(2)}, ${p(3)})`, [id, parent, parent ? 'call' : null]);
    const history = (instanceId: string, type: string, activityId: string | null, data: unknown) =>
      old.query(`INSERT INTO history ("processInstanceId", "at", "type", "activityId", "data") VALUES (${p(1)}, '2026-01-01T00:00:00.000Z', ${p(2)}, ${p(3)}, ${p(4)})`, [instanceId, type, activityId, JSON.stringify(data)]);
    const callerVariables = { signedRequest: 'MII'.repeat(500), applicantName: 'ТОО «Мақта»' };
    await instance('caller', null);
    await instance('child', 'caller');
    await instance('orphan', 'nobody');
    await history('caller', 'instance-started', null, { processDefinitionKey: 'p', variables: callerVariables, parentInstanceId: null });
    await history('caller', 'call-started', 'call', { calledElement: 'c', inputs: { resultKind: 'licence' } });
    await history('child', 'instance-started', null, { processDefinitionKey: 'c', variables: { ...callerVariables, resultKind: 'licence' }, parentInstanceId: 'caller' });
    await history('orphan', 'instance-started', null, { processDefinitionKey: 'c', variables: callerVariables, parentInstanceId: 'nobody' });
    await old.destroy();

    const db = await openDatabase(options);
    try {
      const rows: { processInstanceId: string; data: string }[] = await db.query(`SELECT "processInstanceId", "data" FROM history WHERE "type" = 'instance-started' ORDER BY "id"`);
      expect(rows.map((r) => [r.processInstanceId, JSON.parse(r.data)])).toEqual([
        ['caller', { processDefinitionKey: 'p', variables: callerVariables, parentInstanceId: null }],
        ['child', { processDefinitionKey: 'c', variables: { resultKind: 'licence' }, parentInstanceId: 'caller', inherited: ['signedRequest', 'applicantName'] }],
        // No call-started row to say which were inputs: left as it was.
        ['orphan', { processDefinitionKey: 'c', variables: callerVariables, parentInstanceId: 'nobody' }],
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('serve an instance\'s tasks from the unique (processInstanceId, executionId) index once ix_task_instance is gone (sqlite plan)', async () => {
    const options = target();
    if (options.databaseUrl) return; // The plan is sqlite's; PostgreSQL's unique constraint has its index too.
    const db = await openDatabase(options);
    try {
      const plan: { detail: string }[] = await db.query(`EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE "processInstanceId" = ?`, ['x']);
      expect(plan.map((p) => p.detail)).toEqual([expect.stringMatching(/^SEARCH tasks USING INDEX sqlite_autoindex_tasks_\d \(processInstanceId=\?\)$/)]);
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

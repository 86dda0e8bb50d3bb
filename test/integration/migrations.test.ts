import path from 'node:path';
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
      expect(rows.map((r: { name: string }) => r.name)).toEqual(['InitialSchema1763900000000', 'TimerLeases1763910000000', 'TaskListOrder1763920000000', 'TaskGroupCounts1763930000000', 'TaskRisk1763947000000', 'Cases1763960000000', 'LawInForce1764900000000', 'WebSessions1765020000000', 'AssignmentComments1765100000000', 'Attachments1765300000000', 'TaskFilters1765500000000']);
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
    }
  });
});

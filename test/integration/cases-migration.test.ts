import path from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/persistence/data-source';
import { migrations } from '../../src/persistence/migrations';
import { tempDir } from '../support/test-host';

/*
 * Migration Cases1763960000000 on a database that already holds applications (sqlite): every
 * instance learns its application, the applicant is read from the variables, and of two applications
 * of one reglament with the same case number the first keeps it (the unique index is then made).
 */
describe('migration Cases1763960000000 on existing data', () => {
  it('fills roots and applicants, and renumbers a repeated case number so that the unique index can be made', async () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const before = migrations.slice(0, migrations.findIndex((m) => m.name === 'Cases1763960000000'));
    const old = new DataSource({ type: 'sqlite', database: file, migrations: before, entities: [] });
    await old.initialize();
    await old.runMigrations({ transaction: 'all' });
    const row = (id: string, key: string, businessKey: string | null, startedAt: string, parent: string | null, variables: Record<string, unknown>) =>
      old.query(
        `INSERT INTO process_instances (id, definitionId, processDefinitionKey, version, businessKey, state, engineState, variables, activeActivities, outcome, startedAt, endedAt, startedBy, parentInstanceId, rev) VALUES (?, ?, ?, 1, ?, 'running', NULL, ?, '[]', NULL, ?, NULL, 'olga', ?, 0)`,
        [id, `${key}:1`, key, businessKey, JSON.stringify(variables), startedAt, parent],
      );
    await row('a', 'cotton', 'DUP', '2025-01-01T00:00:00.000Z', null, { applicantName: 'ТОО  «Мақта»', applicantIinBin: '140540012346' });
    await row('b', 'cotton', 'DUP', '2025-01-02T00:00:00.000Z', null, {});
    await row('c', 'intake', 'DUP', '2025-01-01T00:00:01.000Z', 'a', { applicantName: 'ТОО  «Мақта»' });
    await row('d', 'delivery', 'DUP', '2025-01-01T00:00:02.000Z', 'c', {});
    await row('e', 'weapons', 'DUP', '2025-01-03T00:00:00.000Z', null, { applicantIinBin: 'not json-safe "' });
    await old.destroy();

    const db = await openDatabase({ sqliteFile: file });
    try {
      const rows: Record<string, unknown>[] = await db.query('SELECT id, businessKey, rootInstanceId, applicantName, applicantIinBin, applicantSearch FROM process_instances ORDER BY id');
      expect(rows).toEqual([
        { id: 'a', businessKey: 'DUP', rootInstanceId: 'a', applicantName: 'ТОО  «Мақта»', applicantIinBin: '140540012346', applicantSearch: 'тоо «мақта»' },
        { id: 'b', businessKey: 'DUP#b', rootInstanceId: 'b', applicantName: null, applicantIinBin: null, applicantSearch: null },
        { id: 'c', businessKey: 'DUP', rootInstanceId: 'a', applicantName: 'ТОО  «Мақта»', applicantIinBin: null, applicantSearch: 'тоо «мақта»' },
        { id: 'd', businessKey: 'DUP', rootInstanceId: 'a', applicantName: null, applicantIinBin: null, applicantSearch: null },
        { id: 'e', businessKey: 'DUP', rootInstanceId: 'e', applicantName: null, applicantIinBin: 'not json-safe "', applicantSearch: null },
      ]);
      await expect(db.query(`UPDATE process_instances SET businessKey = 'DUP' WHERE id = 'b'`)).rejects.toThrow(/UNIQUE/);
    } finally {
      await db.destroy();
    }
  });
});

import { MigrationInterface, QueryRunner } from 'typeorm';
import { deflateText, inflateText } from '../compressed-columns';

const BATCH = 200;

/**
 * Fewer bytes per open application (issue 19, docs/performance.md):
 * - on sqlite, every instance's engine state and variables become deflated BLOBs (compressed-columns.ts
 *   writes and reads them so from now on); the columns keep their declared type. Nothing changes on
 *   PostgreSQL, which compresses long text itself;
 * - two indexes that only repeat the first columns of another go: `ix_instance_parent`
 *   (parentInstanceId: `ix_instance_cases` starts with it) and `ix_task_group_group` (groupId, taskId:
 *   `ix_task_group_due` and `ix_task_group_created` start with groupId, the primary key serves taskId).
 */
export class CompactStorage1796441303500 implements MigrationInterface {
  name = 'CompactStorage1796441303500';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['ix_instance_parent', 'ix_task_group_group']) await queryRunner.query(`DROP INDEX "${index}"`);
    if (queryRunner.connection.options.type === 'postgres') return;
    await convert(queryRunner, (value) => (typeof value === 'string' ? deflateText(value) : value));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_instance_parent" ON "process_instances" ("parentInstanceId") `);
    await queryRunner.query(`CREATE INDEX "ix_task_group_group" ON "task_candidate_groups" ("groupId", "taskId") `);
    if (queryRunner.connection.options.type === 'postgres') return;
    await convert(queryRunner, (value) => (Buffer.isBuffer(value) ? inflateText(value) : value));
  }
}

async function convert(queryRunner: QueryRunner, change: (value: Buffer | string | null) => Buffer | string | null): Promise<void> {
  for (let after = ''; ; ) {
    const rows: { id: string; engineState: Buffer | string | null; variables: Buffer | string }[] = await queryRunner.query(`SELECT "id", "engineState", "variables" FROM "process_instances" WHERE "id" > ? ORDER BY "id" LIMIT ${BATCH}`, [after]);
    if (rows.length === 0) return;
    for (const row of rows) await queryRunner.query(`UPDATE "process_instances" SET "engineState" = ?, "variables" = ? WHERE "id" = ?`, [change(row.engineState), change(row.variables), row.id]);
    after = rows[rows.length - 1].id;
  }
}

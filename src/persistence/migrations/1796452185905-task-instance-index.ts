import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer bytes per application (issue 19 point 5, docs/performance.md): `ix_task_instance`
 * (processInstanceId) only repeated the first column of the unique `uq_task_execution`
 * (processInstanceId, executionId), whose index serves an instance's tasks as well.
 */
export class TaskInstanceIndex1796452185905 implements MigrationInterface {
  name = 'TaskInstanceIndex1796452185905';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_task_instance"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_task_instance" ON "tasks" ("processInstanceId") `);
  }
}

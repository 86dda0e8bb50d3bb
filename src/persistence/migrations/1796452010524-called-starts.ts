import { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 200;

/**
 * Fewer bytes per application (issue 19 point 5, docs/performance.md): the `instance-started` row of
 * a called instance stored a copy of all its caller's variables (the applicant's signed request among
 * them). From now on it keeps only the call's inputs (the `camunda:in` targets, as its caller's
 * `call-started` row names them) and the names of the others (`inherited`); this converts the rows
 * already stored the same way. A row whose caller has no `call-started` row for that call activity
 * is left as it is (readers take both forms).
 *
 * Down leaves the converted rows: the values they dropped are the caller's, and readers of the former
 * form read the new one too (a variable without a recorded time is dated from the instance's start,
 * the time `inherited` gives).
 */
export class CalledStarts1796452010524 implements MigrationInterface {
  name = 'CalledStarts1796452010524';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const p = (n: number) => (postgres ? `$${n}` : '?');
    const inputNames = new Map<string, string[] | null>();
    for (let after = 0; ; ) {
      const rows: { id: number | string; data: string | null; parentInstanceId: string; parentActivityId: string | null }[] = await queryRunner.query(
        `SELECT h."id", h."data", i."parentInstanceId", i."parentActivityId" FROM "history" h JOIN "process_instances" i ON i."id" = h."processInstanceId"
         WHERE h."type" = 'instance-started' AND i."parentInstanceId" IS NOT NULL AND h."id" > ${p(1)} ORDER BY h."id" LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        const data = row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null;
        const variables = data?.variables as Record<string, unknown> | undefined;
        if (!data || !variables || Array.isArray(data.inherited)) continue;
        const key = `${row.parentInstanceId} ${row.parentActivityId}`;
        if (!inputNames.has(key)) {
          const [call]: { data: string | null }[] = await queryRunner.query(
            `SELECT "data" FROM "history" WHERE "processInstanceId" = ${p(1)} AND "type" = 'call-started' AND "activityId" = ${p(2)} ORDER BY "id" LIMIT 1`,
            [row.parentInstanceId, row.parentActivityId],
          );
          const inputs = call?.data ? (JSON.parse(call.data) as { inputs?: Record<string, unknown> }).inputs : undefined;
          inputNames.set(key, inputs ? Object.keys(inputs) : null);
        }
        const names = inputNames.get(key);
        if (!names) continue;
        const own = new Set(names);
        const converted = {
          ...data,
          variables: Object.fromEntries(Object.entries(variables).filter(([name]) => own.has(name))),
          inherited: Object.keys(variables).filter((name) => !own.has(name)),
        };
        await queryRunner.query(`UPDATE "history" SET "data" = ${p(1)} WHERE "id" = ${p(2)}`, [JSON.stringify(converted), row.id]);
      }
      after = Number(rows[rows.length - 1].id);
      inputNames.clear();
    }
  }

  async down(): Promise<void> {
    // See the class comment: nothing to undo that a reader of either version needs.
  }
}

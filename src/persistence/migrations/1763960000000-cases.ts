import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list (issue 16): each instance knows its application (rootInstanceId) and its applicant
 * (name, IIN/BIN, the name folded for search); a case number is unique per reglament among top-level
 * instances (partial unique index); generated numbers come from case_number_sequences (per reglament
 * and year). Index statements as typeorm's schema builder writes them for the entities, frozen.
 *
 * Existing rows are filled: roots by walking up the callers (calls nest at most 8 deep), the applicant
 * from the variables as runtime/applicant.ts projects them (its ids, frozen here: a migration must not
 * change when the code does), and of top-level instances that share a case number in a reglament the
 * first started keeps it, the others get `<number>#<their id>` so that the unique index can be made.
 */
const COLUMNS = [
  ['rootInstanceId', 64],
  ['applicantName', 255],
  ['applicantIinBin', 64],
  ['applicantSearch', 255],
] as const;

const INDEXES = [
  'CREATE INDEX "ix_instance_root" ON "process_instances" ("rootInstanceId") ',
  'CREATE INDEX "ix_instance_applicant_iin_bin" ON "process_instances" ("applicantIinBin") ',
  'CREATE INDEX "ix_instance_cases" ON "process_instances" ("parentInstanceId", "startedAt", "id") ',
  'CREATE UNIQUE INDEX "uq_instance_case_number" ON "process_instances" ("processDefinitionKey", "businessKey") WHERE "parentInstanceId" IS NULL',
];

const SEQUENCES = 'CREATE TABLE "case_number_sequences" ("processDefinitionKey" varchar(128) NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL, PRIMARY KEY ("processDefinitionKey", "year"))';

const ROOTS = [
  'UPDATE "process_instances" SET "rootInstanceId" = "id" WHERE "parentInstanceId" IS NULL',
  'UPDATE "process_instances" SET "rootInstanceId" = (SELECT p."rootInstanceId" FROM "process_instances" p WHERE p."id" = "process_instances"."parentInstanceId") WHERE "rootInstanceId" IS NULL AND "parentInstanceId" IS NOT NULL',
];
const MAX_CALL_DEPTH = 8;

const RENUMBER_DUPLICATES = `UPDATE "process_instances" SET "businessKey" = SUBSTR("businessKey", 1, 190) || '#' || "id"
  WHERE "parentInstanceId" IS NULL AND "businessKey" IS NOT NULL AND EXISTS (
    SELECT 1 FROM "process_instances" o WHERE o."parentInstanceId" IS NULL AND o."processDefinitionKey" = "process_instances"."processDefinitionKey"
      AND o."businessKey" = "process_instances"."businessKey" AND (o."startedAt" < "process_instances"."startedAt" OR (o."startedAt" = "process_instances"."startedAt" AND o."id" < "process_instances"."id")))`;

const BATCH = 500;

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return value.trim().slice(0, max);
}

export class Cases1763960000000 implements MigrationInterface {
  name = 'Cases1763960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const p = (n: number) => (postgres ? `$${n}` : '?');
    for (const [column, length] of COLUMNS) {
      await queryRunner.query(postgres ? `ALTER TABLE "process_instances" ADD "${column}" character varying(${length})` : `ALTER TABLE "process_instances" ADD COLUMN "${column}" varchar(${length})`);
    }
    await queryRunner.query(ROOTS[0]);
    for (let depth = 0; depth < MAX_CALL_DEPTH + 1; depth++) await queryRunner.query(ROOTS[1]);

    for (let after = ''; ; ) {
      const rows: { id: string; variables: string }[] = await queryRunner.query(`SELECT "id", "variables" FROM "process_instances" WHERE "id" > ${p(1)} ORDER BY "id" LIMIT ${BATCH}`, [after]);
      if (rows.length === 0) break;
      for (const row of rows) {
        let variables: Record<string, unknown> = {};
        try {
          variables = JSON.parse(row.variables) as Record<string, unknown>;
        } catch {
          // a row whose variables do not parse has no applicant
        }
        const name = text(variables.applicantName, 255);
        const iinBin = text(variables.applicantIinBin, 64);
        if (name === null && iinBin === null) continue;
        const search = name === null ? null : name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');
        await queryRunner.query(`UPDATE "process_instances" SET "applicantName" = ${p(1)}, "applicantIinBin" = ${p(2)}, "applicantSearch" = ${p(3)} WHERE "id" = ${p(4)}`, [name, iinBin, search, row.id]);
      }
      after = rows[rows.length - 1].id;
    }

    await queryRunner.query(RENUMBER_DUPLICATES);
    for (const statement of INDEXES) await queryRunner.query(statement);
    await queryRunner.query(postgres ? SEQUENCES.replace(/varchar\(128\)/, 'character varying(128)') : SEQUENCES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "case_number_sequences"');
    for (const name of ['uq_instance_case_number', 'ix_instance_cases', 'ix_instance_applicant_iin_bin', 'ix_instance_root']) await queryRunner.query(`DROP INDEX "${name}"`);
    for (const [column] of [...COLUMNS].reverse()) await queryRunner.query(`ALTER TABLE "process_instances" DROP COLUMN "${column}"`);
  }
}

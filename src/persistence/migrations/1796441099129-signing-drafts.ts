import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drafts people sign at signing steps, with their signatures (issue 17 point 6, issue 18 point
 * 3). Written from SigningDraftEntity per dialect in typeorm's form and frozen.
 */
const SQLITE_UP = [
  'CREATE TABLE "signing_drafts" ("taskId" varchar(64) PRIMARY KEY NOT NULL, "id" varchar(64) NOT NULL, "processInstanceId" varchar(64) NOT NULL, "rootInstanceId" varchar(64) NOT NULL, "taskDefinitionKey" varchar(128) NOT NULL, "kind" varchar(32) NOT NULL, "sha256" varchar(64) NOT NULL, "pdf" text NOT NULL, "createdAt" varchar(24) NOT NULL, "cms" text, "signedBy" varchar(100), "signerIin" varchar(12), "signedAt" varchar(24))',
  'CREATE UNIQUE INDEX "ix_signing_draft_id" ON "signing_drafts" ("id")',
  'CREATE INDEX "ix_signing_draft_root" ON "signing_drafts" ("rootInstanceId", "createdAt")',
];
const POSTGRES_UP = [
  'CREATE TABLE "signing_drafts" ("taskId" character varying(64) NOT NULL, "id" character varying(64) NOT NULL, "processInstanceId" character varying(64) NOT NULL, "rootInstanceId" character varying(64) NOT NULL, "taskDefinitionKey" character varying(128) NOT NULL, "kind" character varying(32) NOT NULL, "sha256" character varying(64) NOT NULL, "pdf" text NOT NULL, "createdAt" character varying(24) NOT NULL, "cms" text, "signedBy" character varying(100), "signerIin" character varying(12), "signedAt" character varying(24), CONSTRAINT "PK_a7b11a2afa82e2721e523dc6eb3" PRIMARY KEY ("taskId"))',
  'CREATE UNIQUE INDEX "ix_signing_draft_id" ON "signing_drafts" ("id")',
  'CREATE INDEX "ix_signing_draft_root" ON "signing_drafts" ("rootInstanceId", "createdAt")',
];
const DOWN = ['DROP INDEX "ix_signing_draft_root"', 'DROP INDEX "ix_signing_draft_id"', 'DROP TABLE "signing_drafts"'];

export class SigningDrafts1796441099129 implements MigrationInterface {
  name = 'SigningDrafts1796441099129';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of queryRunner.connection.options.type === 'postgres' ? POSTGRES_UP : SQLITE_UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments of an application (issue 17, point 4): `attachments` (what, who, which step; generated
 * by typeorm's schema builder from AttachmentEntity and frozen) and `attachment_contents`, the bytes,
 * one row per attachment, written in the same transaction as its row: a backup of the database holds
 * the documents too, and a crash leaves both or neither. Not an entity (see attachment-entity.ts).
 */
const INDICES = [
  'CREATE INDEX "ix_attachment_root" ON "attachments" ("rootInstanceId", "uploadedAt", "id") ',
  'CREATE INDEX "ix_attachment_task" ON "attachments" ("taskId", "uploadedAt", "id") ',
];
const SQLITE_UP = [
  'CREATE TABLE "attachments" ("id" varchar(64) PRIMARY KEY NOT NULL, "processInstanceId" varchar(64) NOT NULL, "rootInstanceId" varchar(64) NOT NULL, "taskId" varchar(64) NOT NULL, "taskDefinitionKey" varchar(128) NOT NULL, "name" varchar(255) NOT NULL, "mediaType" varchar(100) NOT NULL, "size" integer NOT NULL, "sha256" varchar(64) NOT NULL, "uploadedBy" varchar(100) NOT NULL, "uploadedAt" varchar(24) NOT NULL)',
  ...INDICES,
  'CREATE TABLE "attachment_contents" ("attachmentId" varchar(64) PRIMARY KEY NOT NULL, "content" blob NOT NULL)',
];
const POSTGRES_UP = [
  'CREATE TABLE "attachments" ("id" character varying(64) NOT NULL, "processInstanceId" character varying(64) NOT NULL, "rootInstanceId" character varying(64) NOT NULL, "taskId" character varying(64) NOT NULL, "taskDefinitionKey" character varying(128) NOT NULL, "name" character varying(255) NOT NULL, "mediaType" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character varying(64) NOT NULL, "uploadedBy" character varying(100) NOT NULL, "uploadedAt" character varying(24) NOT NULL, CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))',
  ...INDICES,
  'CREATE TABLE "attachment_contents" ("attachmentId" character varying(64) NOT NULL, "content" bytea NOT NULL, CONSTRAINT "PK_attachment_contents" PRIMARY KEY ("attachmentId"))',
];
// A table's indexes go with it.
const DOWN = ['DROP TABLE "attachment_contents"', 'DROP TABLE "attachments"'];

export class Attachments1765300000000 implements MigrationInterface {
  name = 'Attachments1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of queryRunner.connection.options.type === 'postgres' ? POSTGRES_UP : SQLITE_UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: deployments, versioned definitions, instances, the task projection with its
 * candidate groups, history, host timers, incidents and notifications. The statements were
 * generated once by typeorm's schema builder from src/persistence/entities.ts for each dialect and
 * are frozen here; a later change to the entities gets its own migration (test/integration/
 * migrations.test.ts fails until it does).
 */
const SQLITE = [
  "CREATE TABLE \"notifications\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"groupId\" varchar(100), \"userId\" varchar(100), \"type\" varchar(40) NOT NULL, \"message\" text NOT NULL, \"processInstanceId\" varchar(64), \"taskId\" varchar(64), \"createdAt\" varchar(24) NOT NULL, \"readAt\" varchar(24), \"readBy\" varchar(100))",
  "CREATE INDEX \"ix_notification_group\" ON \"notifications\" (\"groupId\", \"createdAt\") ",
  "CREATE TABLE \"deployments\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"name\" varchar(255) NOT NULL, \"source\" varchar(40) NOT NULL, \"deployedAt\" varchar(24) NOT NULL, \"deployedBy\" varchar(100))",
  "CREATE TABLE \"process_definitions\" (\"id\" varchar(160) PRIMARY KEY NOT NULL, \"key\" varchar(128) NOT NULL, \"version\" integer NOT NULL, \"name\" text, \"resourceName\" varchar(255) NOT NULL, \"source\" text NOT NULL, \"sourceHash\" varchar(64) NOT NULL, \"deploymentId\" varchar(64) NOT NULL, \"deployedAt\" varchar(24) NOT NULL, CONSTRAINT \"uq_definition_key_version\" UNIQUE (\"key\", \"version\"))",
  "CREATE TABLE \"process_instances\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"definitionId\" varchar(160) NOT NULL, \"processDefinitionKey\" varchar(128) NOT NULL, \"version\" integer NOT NULL, \"businessKey\" varchar(255), \"state\" varchar(16) NOT NULL, \"engineState\" text, \"variables\" text NOT NULL, \"activeActivities\" text NOT NULL, \"outcome\" varchar(128), \"startedAt\" varchar(24) NOT NULL, \"endedAt\" varchar(24), \"startedBy\" varchar(100), \"deadline\" varchar(24), \"deadlineDerived\" boolean, \"rootProcessDefinitionKey\" varchar(128), \"parentInstanceId\" varchar(64), \"parentActivityId\" varchar(128), \"parentExecutionId\" varchar(160), \"rev\" integer NOT NULL)",
  "CREATE INDEX \"ix_instance_key_state\" ON \"process_instances\" (\"processDefinitionKey\", \"state\", \"startedAt\") ",
  "CREATE INDEX \"ix_instance_business_key\" ON \"process_instances\" (\"businessKey\") ",
  "CREATE INDEX \"ix_instance_parent\" ON \"process_instances\" (\"parentInstanceId\") ",
  "CREATE TABLE \"tasks\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"processInstanceId\" varchar(64) NOT NULL, \"processDefinitionKey\" varchar(128) NOT NULL, \"definitionId\" varchar(160) NOT NULL, \"businessKey\" varchar(255), \"taskDefinitionKey\" varchar(128) NOT NULL, \"executionId\" varchar(160) NOT NULL, \"name\" text, \"assignee\" varchar(100), \"created\" varchar(24) NOT NULL, \"due\" varchar(24), \"timeLimit\" varchar(100), \"priority\" integer NOT NULL DEFAULT (50), \"state\" varchar(12) NOT NULL, \"completedAt\" varchar(24), \"completedBy\" varchar(100), \"escalatedAt\" varchar(24), CONSTRAINT \"uq_task_execution\" UNIQUE (\"processInstanceId\", \"executionId\"))",
  "CREATE INDEX \"ix_task_state_due\" ON \"tasks\" (\"state\", \"due\") ",
  "CREATE INDEX \"ix_task_state_assignee\" ON \"tasks\" (\"state\", \"assignee\") ",
  "CREATE INDEX \"ix_task_instance\" ON \"tasks\" (\"processInstanceId\") ",
  "CREATE TABLE \"task_candidate_groups\" (\"taskId\" varchar(64) NOT NULL, \"groupId\" varchar(100) NOT NULL, PRIMARY KEY (\"taskId\", \"groupId\"))",
  "CREATE INDEX \"ix_task_group_group\" ON \"task_candidate_groups\" (\"groupId\", \"taskId\") ",
  "CREATE TABLE \"history\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"processInstanceId\" varchar(64) NOT NULL, \"at\" varchar(24) NOT NULL, \"type\" varchar(40) NOT NULL, \"activityId\" varchar(128), \"activityName\" text, \"userId\" varchar(100), \"data\" text)",
  "CREATE INDEX \"ix_history_instance\" ON \"history\" (\"processInstanceId\", \"id\") ",
  "CREATE TABLE \"timers\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"kind\" varchar(12) NOT NULL DEFAULT ('event'), \"processInstanceId\" varchar(64) NOT NULL, \"processDefinitionKey\" varchar(128) NOT NULL, \"activityId\" varchar(128) NOT NULL, \"executionId\" varchar(160) NOT NULL, \"timerType\" varchar(20) NOT NULL, \"timerValue\" varchar(100), \"createdAt\" varchar(24) NOT NULL, \"dueAt\" varchar(24) NOT NULL, \"state\" varchar(12) NOT NULL, \"firedAt\" varchar(24), CONSTRAINT \"uq_timer_execution\" UNIQUE (\"processInstanceId\", \"executionId\"))",
  "CREATE INDEX \"ix_timer_state_due\" ON \"timers\" (\"state\", \"dueAt\") ",
  "CREATE TABLE \"incidents\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"processInstanceId\" varchar(64) NOT NULL, \"processDefinitionKey\" varchar(128) NOT NULL, \"activityId\" varchar(128) NOT NULL, \"handler\" varchar(128) NOT NULL, \"message\" text NOT NULL, \"attempts\" integer NOT NULL, \"createdAt\" varchar(24) NOT NULL, \"updatedAt\" varchar(24) NOT NULL, \"resolvedAt\" varchar(24), \"resolvedBy\" varchar(100))",
  "CREATE INDEX \"ix_incident_instance\" ON \"incidents\" (\"processInstanceId\", \"resolvedAt\") ",
];

const POSTGRES = [
  "CREATE TABLE \"notifications\" (\"id\" character varying(64) NOT NULL, \"groupId\" character varying(100), \"userId\" character varying(100), \"type\" character varying(40) NOT NULL, \"message\" text NOT NULL, \"processInstanceId\" character varying(64), \"taskId\" character varying(64), \"createdAt\" character varying(24) NOT NULL, \"readAt\" character varying(24), \"readBy\" character varying(100), CONSTRAINT \"PK_6a72c3c0f683f6462415e653c3a\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_notification_group\" ON \"notifications\" (\"groupId\", \"createdAt\") ",
  "CREATE TABLE \"deployments\" (\"id\" character varying(64) NOT NULL, \"name\" character varying(255) NOT NULL, \"source\" character varying(40) NOT NULL, \"deployedAt\" character varying(24) NOT NULL, \"deployedBy\" character varying(100), CONSTRAINT \"PK_1e5627acb3c950deb83fe98fc48\" PRIMARY KEY (\"id\"))",
  "CREATE TABLE \"process_definitions\" (\"id\" character varying(160) NOT NULL, \"key\" character varying(128) NOT NULL, \"version\" integer NOT NULL, \"name\" text, \"resourceName\" character varying(255) NOT NULL, \"source\" text NOT NULL, \"sourceHash\" character varying(64) NOT NULL, \"deploymentId\" character varying(64) NOT NULL, \"deployedAt\" character varying(24) NOT NULL, CONSTRAINT \"uq_definition_key_version\" UNIQUE (\"key\", \"version\"), CONSTRAINT \"PK_068dfeb73af76e704e113f61ba1\" PRIMARY KEY (\"id\"))",
  "CREATE TABLE \"process_instances\" (\"id\" character varying(64) NOT NULL, \"definitionId\" character varying(160) NOT NULL, \"processDefinitionKey\" character varying(128) NOT NULL, \"version\" integer NOT NULL, \"businessKey\" character varying(255), \"state\" character varying(16) NOT NULL, \"engineState\" text, \"variables\" text NOT NULL, \"activeActivities\" text NOT NULL, \"outcome\" character varying(128), \"startedAt\" character varying(24) NOT NULL, \"endedAt\" character varying(24), \"startedBy\" character varying(100), \"deadline\" character varying(24), \"deadlineDerived\" boolean, \"rootProcessDefinitionKey\" character varying(128), \"parentInstanceId\" character varying(64), \"parentActivityId\" character varying(128), \"parentExecutionId\" character varying(160), \"rev\" integer NOT NULL, CONSTRAINT \"PK_58493abf24b5dfc4822edd7531f\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_instance_key_state\" ON \"process_instances\" (\"processDefinitionKey\", \"state\", \"startedAt\") ",
  "CREATE INDEX \"ix_instance_business_key\" ON \"process_instances\" (\"businessKey\") ",
  "CREATE INDEX \"ix_instance_parent\" ON \"process_instances\" (\"parentInstanceId\") ",
  "CREATE TABLE \"tasks\" (\"id\" character varying(64) NOT NULL, \"processInstanceId\" character varying(64) NOT NULL, \"processDefinitionKey\" character varying(128) NOT NULL, \"definitionId\" character varying(160) NOT NULL, \"businessKey\" character varying(255), \"taskDefinitionKey\" character varying(128) NOT NULL, \"executionId\" character varying(160) NOT NULL, \"name\" text, \"assignee\" character varying(100), \"created\" character varying(24) NOT NULL, \"due\" character varying(24), \"timeLimit\" character varying(100), \"priority\" integer NOT NULL DEFAULT '50', \"state\" character varying(12) NOT NULL, \"completedAt\" character varying(24), \"completedBy\" character varying(100), \"escalatedAt\" character varying(24), CONSTRAINT \"uq_task_execution\" UNIQUE (\"processInstanceId\", \"executionId\"), CONSTRAINT \"PK_8d12ff38fcc62aaba2cab748772\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_task_state_due\" ON \"tasks\" (\"state\", \"due\") ",
  "CREATE INDEX \"ix_task_state_assignee\" ON \"tasks\" (\"state\", \"assignee\") ",
  "CREATE INDEX \"ix_task_instance\" ON \"tasks\" (\"processInstanceId\") ",
  "CREATE TABLE \"task_candidate_groups\" (\"taskId\" character varying(64) NOT NULL, \"groupId\" character varying(100) NOT NULL, CONSTRAINT \"PK_ff3fb3c0f3f769f62e33c71140d\" PRIMARY KEY (\"taskId\", \"groupId\"))",
  "CREATE INDEX \"ix_task_group_group\" ON \"task_candidate_groups\" (\"groupId\", \"taskId\") ",
  "CREATE TABLE \"history\" (\"id\" SERIAL NOT NULL, \"processInstanceId\" character varying(64) NOT NULL, \"at\" character varying(24) NOT NULL, \"type\" character varying(40) NOT NULL, \"activityId\" character varying(128), \"activityName\" text, \"userId\" character varying(100), \"data\" text, CONSTRAINT \"PK_9384942edf4804b38ca0ee51416\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_history_instance\" ON \"history\" (\"processInstanceId\", \"id\") ",
  "CREATE TABLE \"timers\" (\"id\" character varying(64) NOT NULL, \"kind\" character varying(12) NOT NULL DEFAULT 'event', \"processInstanceId\" character varying(64) NOT NULL, \"processDefinitionKey\" character varying(128) NOT NULL, \"activityId\" character varying(128) NOT NULL, \"executionId\" character varying(160) NOT NULL, \"timerType\" character varying(20) NOT NULL, \"timerValue\" character varying(100), \"createdAt\" character varying(24) NOT NULL, \"dueAt\" character varying(24) NOT NULL, \"state\" character varying(12) NOT NULL, \"firedAt\" character varying(24), CONSTRAINT \"uq_timer_execution\" UNIQUE (\"processInstanceId\", \"executionId\"), CONSTRAINT \"PK_d13ea0d2fe75274ca5a9576aae6\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_timer_state_due\" ON \"timers\" (\"state\", \"dueAt\") ",
  "CREATE TABLE \"incidents\" (\"id\" character varying(64) NOT NULL, \"processInstanceId\" character varying(64) NOT NULL, \"processDefinitionKey\" character varying(128) NOT NULL, \"activityId\" character varying(128) NOT NULL, \"handler\" character varying(128) NOT NULL, \"message\" text NOT NULL, \"attempts\" integer NOT NULL, \"createdAt\" character varying(24) NOT NULL, \"updatedAt\" character varying(24) NOT NULL, \"resolvedAt\" character varying(24), \"resolvedBy\" character varying(100), CONSTRAINT \"PK_ccb34c01719889017e2246469f9\" PRIMARY KEY (\"id\"))",
  "CREATE INDEX \"ix_incident_instance\" ON \"incidents\" (\"processInstanceId\", \"resolvedAt\") ",
];

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of queryRunner.connection.options.type === 'postgres' ? POSTGRES : SQLITE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notifications', 'incidents', 'timers', 'history', 'task_candidate_groups', 'tasks', 'process_instances', 'process_definitions', 'deployments']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

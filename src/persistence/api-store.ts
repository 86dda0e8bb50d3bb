/**
 * What the HTTP layer reads (and the one small write it makes, a notification marked read), as
 * functions over the DataSource. Routes call these and services; they never see TypeORM.
 */
import { Brackets, DataSource, In } from 'typeorm';
import {
  DefinitionEntity,
  DefinitionRow,
  DeploymentEntity,
  DeploymentRow,
  HistoryEntity,
  HistoryRow,
  InstanceEntity,
  InstanceRow,
  NotificationEntity,
  NotificationRow,
  TaskEntity,
  TaskGroupEntity,
  TaskRow,
} from './entities';
import { InstanceFilter, instanceHistory, Page, queryInstances, queryTasks, TaskFilter } from './queries';
import { LateTaskFilter, openTasksOf, queryLateTasks } from './lateness-query';
import { writeTransaction } from './write-lock';
import { applicantsOf, applicationHasTaskOfGroups, CaseFilter, queryCases } from './case-query';
import { CommentEntity, CommentRow } from './comment-entity';
import { taskFilterStore } from './task-filter-store';
import { camundaQueries } from './camunda-query';

export interface NotificationFilter extends Page {
  /** Whose notifications: to the user or to one of the groups; undefined = everyone's (admin). */
  audience?: { userId: string; groups: string[] };
  unread?: boolean;
}

export interface CompletedTaskFilter {
  processDefinitionKey?: string;
  /** Completed at or after (ISO). */
  from?: string;
  /** Completed before (ISO). */
  to?: string;
}

export interface DeploymentFilter extends Page {
  name?: string;
  source?: string;
}

export function apiStore(dataSource: DataSource) {
  const tasks = dataSource.getRepository(TaskEntity);
  const instances = dataSource.getRepository(InstanceEntity);
  const notifications = dataSource.getRepository(NotificationEntity);
  const deployments = dataSource.getRepository(DeploymentEntity);
  const definitions = dataSource.getRepository(DefinitionEntity);
  return {
    /** Throws when the database does not answer (the health check). */
    async ping(): Promise<void> {
      await dataSource.query('SELECT 1');
    },

    /** The task list, each task with its application's applicant (name, IIN/BIN). */
    async tasks(filter: TaskFilter) {
      const page = await queryTasks(dataSource, filter);
      const applicants = await applicantsOf(dataSource, page.items.map((t) => t.processInstanceId));
      return { ...page, items: page.items.map((t) => ({ ...t, applicantName: null, applicantIinBin: null, ...applicants.get(t.processInstanceId) })) };
    },
    cases: (filter: CaseFilter) => queryCases(dataSource, filter),
    /** A task of one of the groups is or was in the application the instance belongs to. */
    applicationHasTaskOfGroups: (instanceId: string, groups: readonly string[]) => applicationHasTaskOfGroups(dataSource, instanceId, groups),
    task: (id: string): Promise<TaskRow | null> => tasks.findOne({ where: { id } }),
    async taskGroups(taskId: string): Promise<string[]> {
      return (await dataSource.getRepository(TaskGroupEntity).find({ where: { taskId } })).map((r) => r.groupId).sort();
    },
    async completedTasks(filter: CompletedTaskFilter): Promise<(TaskRow & { completedAt: string })[]> {
      const qb = tasks.createQueryBuilder('t').where("t.state = 'completed'");
      if (filter.processDefinitionKey) qb.andWhere('t.processDefinitionKey = :key', { key: filter.processDefinitionKey });
      if (filter.from) qb.andWhere('t.completedAt >= :from', { from: filter.from });
      if (filter.to) qb.andWhere('t.completedAt < :to', { to: filter.to });
      return (await qb.getMany()).map((r) => ({ ...r, completedAt: r.completedAt! }));
    },
    openTasks: (processDefinitionKey?: string) => openTasksOf(dataSource, processDefinitionKey),
    lateTasks: (filter: LateTaskFilter) => queryLateTasks(dataSource, filter),

    instances: (filter: InstanceFilter) => queryInstances(dataSource, filter),
    instance: (id: string): Promise<InstanceRow | null> => instances.findOne({ where: { id } }),
    history: (instanceId: string) => instanceHistory(dataSource, instanceId),

    async notifications(filter: NotificationFilter): Promise<{ items: NotificationRow[]; total: number }> {
      const qb = notifications.createQueryBuilder('n');
      const audience = filter.audience;
      if (audience) {
        qb.where(
          new Brackets((w) => {
            w.where('n.userId = :user', { user: audience.userId });
            if (audience.groups.length > 0) w.orWhere('n.groupId IN (:...groups)', { groups: audience.groups });
          }),
        );
      }
      if (filter.unread === true) qb.andWhere('n.readAt IS NULL');
      // Unread first, then newest first.
      const [items, total] = await qb.orderBy('CASE WHEN n.readAt IS NULL THEN 0 ELSE 1 END', 'ASC').addOrderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'ASC').skip(filter.firstResult).take(filter.maxResults).getManyAndCount();
      return { items, total };
    },
    notification: (id: string): Promise<NotificationRow | null> => notifications.findOne({ where: { id } }),
    /** Marks it read by `userId` unless someone read it first (the first reader is kept); answers the stored row. */
    async markNotificationRead(id: string, userId: string, at: string): Promise<NotificationRow> {
      await writeTransaction(dataSource, (manager) =>
        manager.createQueryBuilder().update(NotificationEntity).set({ readAt: at, readBy: userId }).where('id = :id AND readAt IS NULL', { id }).execute(),
      );
      return notifications.findOneOrFail({ where: { id } });
    },
    /** Marks every unread notification of the audience read by `userId`; answers how many it marked. */
    async markAllNotificationsRead(audience: NotificationFilter['audience'], userId: string, at: string): Promise<number> {
      const result = await writeTransaction(dataSource, (manager) => {
        const qb = manager.createQueryBuilder().update(NotificationEntity).set({ readAt: at, readBy: userId }).where('readAt IS NULL');
        if (audience) {
          qb.andWhere(
            new Brackets((w) => {
              w.where('userId = :user', { user: audience.userId });
              if (audience.groups.length > 0) w.orWhere('groupId IN (:...groups)', { groups: audience.groups });
            }),
          );
        }
        return qb.execute();
      });
      return result.affected ?? 0;
    },
    /** Name, case number and due date of the tasks notifications point at (the list shows them, not ids). */
    async notificationTasks(taskIds: string[]): Promise<Map<string, Pick<TaskRow, 'id' | 'name' | 'taskDefinitionKey' | 'processDefinitionKey' | 'businessKey' | 'due' | 'state' | 'assignee'>>> {
      if (taskIds.length === 0) return new Map();
      const rows = await tasks.find({ where: { id: In(taskIds) }, select: { id: true, name: true, taskDefinitionKey: true, processDefinitionKey: true, businessKey: true, due: true, state: true, assignee: true } });
      return new Map(rows.map((r) => [r.id, r]));
    },

    async deployments(filter: DeploymentFilter): Promise<DeploymentRow[]> {
      const qb = deployments.createQueryBuilder('d');
      if (filter.name) qb.andWhere('d.name = :name', { name: filter.name });
      if (filter.source) qb.andWhere('d.source = :source', { source: filter.source });
      return qb.orderBy('d.deployedAt', 'ASC').addOrderBy('d.id', 'ASC').skip(filter.firstResult).take(filter.maxResults).getMany();
    },
    /** The comments on an instance and its tasks, and, for an application, on its called flows too; oldest first. */
    comments(instanceId: string): Promise<CommentRow[]> {
      return dataSource.getRepository(CommentEntity).find({ where: [{ rootInstanceId: instanceId }, { processInstanceId: instanceId }], order: { at: 'ASC', id: 'ASC' } });
    },
    taskComments(taskId: string): Promise<CommentRow[]> {
      return dataSource.getRepository(CommentEntity).find({ where: { taskId }, order: { at: 'ASC', id: 'ASC' } });
    },
    /** Stores a comment with its history row, both or neither. */
    async addComment(comment: CommentRow, history: HistoryRow): Promise<void> {
      await writeTransaction(dataSource, async (manager) => {
        await manager.getRepository(CommentEntity).insert(comment);
        await manager.getRepository(HistoryEntity).insert(history);
      });
    },

    deploymentCount: (): Promise<number> => deployments.count(),
    deployment: (id: string): Promise<DeploymentRow | null> => deployments.findOne({ where: { id } }),
    definition: (id: string): Promise<DefinitionRow | null> => definitions.findOne({ where: { id } }),
    latestDefinition: (key: string): Promise<DefinitionRow | null> => definitions.findOne({ where: { key }, order: { version: 'DESC' } }),
    ...taskFilterStore(dataSource),
    ...camundaQueries(dataSource),
  };
}

export type ApiStore = ReturnType<typeof apiStore>;

/** The row shapes the API presents (types only: the API never sees the entities). */
export type { DefinitionRow, DeploymentRow, HistoryRow, IncidentRow, InstanceRow, NotificationRow, TaskRow } from './entities';
export type { CommentRow } from './comment-entity';
export type { TaskFilterRow } from './task-filter-entity';
export type { TaskWithGroups } from './queries';
export type { CaseFilter, CaseRow, CaseStep, CaseVisibility } from './case-query';
export type { LateTask } from './lateness-query';

/**
 * The case list: applications (top-level instances) a user may see, searched and paged. Visibility
 * comes from identity/access.ts (caseScope) as plain facts; this module turns them into SQL.
 *
 * Indexes that serve it (migration 1763960000000-cases): a case number with uq_instance_case_number
 * (with the reglament) or ix_instance_business_key, an IIN/BIN with ix_instance_applicant_iin_bin, the
 * newest-first page with ix_instance_cases (top-level, startedAt, id), a clerk's "their groups had a task
 * in it" through ix_instance_root and the task indexes. A name is searched as a substring of the folded
 * name (no index serves a substring; it filters what the other conditions leave).
 */
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { InstanceEntity, InstanceRow, TaskEntity } from './entities';
import type { Page } from './queries';

/** Which cases a user sees (see identity/access.ts caseScope). */
export type CaseVisibility = { all: true } | { all: false; userId: string; groups: readonly string[]; processKeys: readonly string[] };

export interface CaseFilter extends Page {
  visibility: CaseVisibility;
  /** One search box: a case number, an IIN/BIN, or part of the applicant's name (already folded, see runtime/applicant.ts). */
  q?: { text: string; folded: string };
  caseNumber?: string;
  iinBin?: string;
  /** Part of the applicant's name, folded. */
  applicantName?: string;
  processDefinitionKey?: string;
  state?: 'running' | 'completed';
  sortBy: 'started' | 'caseNumber' | 'applicant';
  sortOrder: 'asc' | 'desc';
}

export interface CaseStep {
  taskId: string;
  activityId: string;
  name: string | null;
  assignee: string | null;
  due: string | null;
  /** The instance the task belongs to (the application or a flow it called). */
  processInstanceId: string;
}

export interface CaseRow extends InstanceRow {
  /** Open tasks of the application and of the flows it called, oldest first. */
  openTasks: CaseStep[];
}

/** `%text%` for LIKE with the text's own % _ \ taken literally. */
function contains(folded: string): string {
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Only the cases the visibility admits (every one for an admin). */
function visible(qb: SelectQueryBuilder<InstanceRow>, visibility: CaseVisibility): void {
  if (visibility.all) return;
  const { userId, groups, processKeys } = visibility;
  qb.andWhere(
    new Brackets((w) => {
      w.where('i.startedBy = :caseUser', { caseUser: userId });
      if (processKeys.length > 0) w.orWhere('i.processDefinitionKey IN (:...caseKeys)', { caseKeys: processKeys });
      if (groups.length > 0) {
        w.orWhere(
          `EXISTS (SELECT 1 FROM process_instances c JOIN tasks t ON t."processInstanceId" = c.id JOIN task_candidate_groups g ON g."taskId" = t.id WHERE c."rootInstanceId" = i.id AND g."groupId" IN (:...caseGroups))`,
          { caseGroups: groups },
        );
      }
    }),
  );
}

export async function queryCases(dataSource: DataSource, filter: CaseFilter): Promise<{ items: CaseRow[]; total: number }> {
  const qb = dataSource.getRepository(InstanceEntity).createQueryBuilder('i').where('i.parentInstanceId IS NULL');
  visible(qb, filter.visibility);
  if (filter.processDefinitionKey) qb.andWhere('i.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.state) qb.andWhere('i.state = :state', { state: filter.state });
  if (filter.caseNumber) qb.andWhere('i.businessKey = :caseNumber', { caseNumber: filter.caseNumber });
  if (filter.iinBin) qb.andWhere('i.applicantIinBin = :iinBin', { iinBin: filter.iinBin });
  if (filter.applicantName) qb.andWhere("i.applicantSearch LIKE :name ESCAPE '\\'", { name: contains(filter.applicantName) });
  const q = filter.q;
  if (q) {
    qb.andWhere(
      new Brackets((w) =>
        w
          .where('i.businessKey IN (:...qNumbers)', { qNumbers: [...new Set([q.text, q.text.toUpperCase()])] })
          .orWhere('i.applicantIinBin = :qText', { qText: q.text })
          .orWhere("i.applicantSearch LIKE :qName ESCAPE '\\'", { qName: contains(q.folded) }),
      ),
    );
  }
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  // Nullable sort keys compare as '' so that both dialects put cases without one at the same end.
  const key = { started: 'i.startedAt', caseNumber: `COALESCE(i."businessKey", '')`, applicant: `COALESCE(i."applicantSearch", '')` }[filter.sortBy];
  if (filter.sortBy === 'started') qb.orderBy('i.startedAt', direction);
  else qb.addSelect(key, 'case_sort').orderBy('case_sort', direction).addOrderBy('i.startedAt', direction);
  qb.addOrderBy('i.id', direction);

  const total = await qb.clone().getCount();
  const rows = await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  const byCase = new Map<string, CaseStep[]>(rows.map((r) => [r.id, []]));
  if (rows.length > 0) {
    const steps: (CaseStep & { root: string })[] = await dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .innerJoin('Instance', 'c', 'c.id = t.processInstanceId')
      .select('t.id', 'taskId')
      .addSelect('t.taskDefinitionKey', 'activityId')
      .addSelect('t.name', 'name')
      .addSelect('t.assignee', 'assignee')
      .addSelect('t.due', 'due')
      .addSelect('t.processInstanceId', 'processInstanceId')
      .addSelect('c.rootInstanceId', 'root')
      .where("t.state = 'open'")
      .andWhere('c.rootInstanceId IN (:...roots)', { roots: [...byCase.keys()] })
      .orderBy('t.created', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getRawMany();
    for (const { root, ...step } of steps) byCase.get(root)?.push(step);
  }
  return { items: rows.map((r) => ({ ...r, openTasks: byCase.get(r.id) ?? [] })), total };
}

/** The applicant of each instance (by id), for the task list's column. */
export async function applicantsOf(dataSource: DataSource, instanceIds: readonly string[]): Promise<Map<string, { applicantName: string | null; applicantIinBin: string | null }>> {
  if (instanceIds.length === 0) return new Map();
  const rows = await dataSource
    .getRepository(InstanceEntity)
    .createQueryBuilder('i')
    .select(['i.id', 'i.applicantName', 'i.applicantIinBin'])
    .where('i.id IN (:...ids)', { ids: [...new Set(instanceIds)] })
    .getMany();
  return new Map(rows.map((r) => [r.id, { applicantName: r.applicantName ?? null, applicantIinBin: r.applicantIinBin ?? null }]));
}

/**
 * Whether a task of one of `groups` is or was in the application `instanceId` belongs to (the
 * application itself or a flow it called): a clerk who worked on a called flow sees the case.
 */
export async function applicationHasTaskOfGroups(dataSource: DataSource, instanceId: string, groups: readonly string[]): Promise<boolean> {
  if (groups.length === 0) return false;
  const instance = await dataSource.getRepository(InstanceEntity).findOne({ where: { id: instanceId }, select: { id: true, rootInstanceId: true } });
  if (!instance) return false;
  const count = await dataSource
    .getRepository(TaskEntity)
    .createQueryBuilder('t')
    .innerJoin('Instance', 'c', 'c.id = t.processInstanceId')
    .where('c.rootInstanceId = :root', { root: instance.rootInstanceId ?? instance.id })
    .andWhere(`EXISTS (SELECT 1 FROM task_candidate_groups g WHERE g."taskId" = t.id AND g."groupId" IN (:...groups))`, { groups })
    .getCount();
  return count > 0;
}

import { z } from 'zod';
import { caseScope, CaseScope, ReglamentGroups } from '../../identity/access';
import { User } from '../../identity/users';
import type { CaseRow } from '../../persistence/api-store';
import { foldForSearch } from '../../runtime/applicant';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';
import { oneOf, paging, text } from '../schemas/query';
import { CaseSchema, pageOf } from '../schemas/resources';

/** Every deployed reglament with the groups its user tasks name (identity/access.ts decides with them). */
export async function reglamentGroups(host: HostContext): Promise<ReglamentGroups[]> {
  const rows = await host.definitions.list(false);
  return Promise.all(
    rows.map(async (row) => {
      const model = (await host.definitions.load(row.id)).model;
      return { key: row.key, groups: [...new Set([...model.userTasks.values()].flatMap((task) => task.candidateGroups))] };
    }),
  );
}

/** The cases the user may see (admins all; heads their reglaments'; everyone those of their groups' tasks and their own starts). */
export async function caseScopeOf(host: HostContext, user: User): Promise<CaseScope> {
  return caseScope(user, await reglamentGroups(host));
}

export function caseRoutes(host: HostContext): ApiRoute[] {
  /** The case as the list shows it: reglament and outcome by name, the open steps of the application and its called flows. */
  async function present(row: CaseRow, now: Date) {
    const loaded = await host.definitions.load(row.definitionId);
    const nowIso = now.toISOString();
    return {
      id: row.id,
      caseNumber: row.businessKey,
      processDefinitionKey: row.processDefinitionKey,
      processDefinitionId: row.definitionId,
      reglamentName: loaded.model.name ?? loaded.row.name ?? null,
      applicantName: row.applicantName ?? null,
      applicantIinBin: row.applicantIinBin ?? null,
      state: row.state,
      outcome: row.outcome,
      outcomeName: row.outcome ? (loaded.model.endEvents.get(row.outcome)?.name ?? null) : null,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      startedBy: row.startedBy,
      deadline: row.deadline ?? null,
      overdue: row.state === 'running' && !!row.deadline && row.deadline < nowIso,
      currentSteps: row.openTasks.map((step) => ({ ...step, overdue: step.due !== null && step.due < nowIso })),
    };
  }

  return [
    route({
      method: 'get',
      path: '/cases',
      summary: 'Applications the caller may see, searched, sorted and paged (the case list)',
      description:
        'Top-level instances only (a called flow is part of its application). Admins see every application; heads (group head) every application of the reglaments whose user tasks name one of their groups; everyone the applications they started and those in which one of their groups has or had a task, in the application or in a flow it called. `q` matches a case number (as given or upper-cased), an IIN/BIN, or part of the applicant\'s name (case-insensitive, Kazakh and Russian letters included). Ties are broken by id, so pages never overlap.',
      query: z.object({
        q: text('Search: case number, IIN/BIN or part of the applicant name'),
        caseNumber: text('Exact case number (business key)'),
        iinBin: text("Exact applicant's IIN/BIN"),
        applicantName: text("Part of the applicant's name, case-insensitive"),
        processDefinitionKey: text('Reglament (process key)'),
        state: oneOf(['running', 'completed', ''] as const, '', 'Case state (any when empty)'),
        sortBy: oneOf(['started', 'caseNumber', 'applicant'] as const, 'started', 'Sort key'),
        sortOrder: oneOf(['asc', 'desc'] as const, 'desc', 'Sort direction'),
        ...paging,
      }),
      responses: { 200: { description: 'OK', schema: pageOf(CaseSchema) } },
      async handle({ query, user }) {
        const q = query.q?.trim();
        const result = await host.store.cases({
          visibility: await caseScopeOf(host, user),
          q: q ? { text: q, folded: foldForSearch(q) } : undefined,
          caseNumber: query.caseNumber?.trim() || undefined,
          iinBin: query.iinBin?.trim() || undefined,
          applicantName: query.applicantName?.trim() ? foldForSearch(query.applicantName) : undefined,
          processDefinitionKey: query.processDefinitionKey,
          state: query.state || undefined,
          sortBy: query.sortBy,
          sortOrder: query.sortOrder,
          firstResult: query.firstResult,
          maxResults: query.maxResults,
        });
        const now = host.clock.now();
        return { items: await Promise.all(result.items.map((row) => present(row, now))), total: result.total };
      },
    }),
  ];
}

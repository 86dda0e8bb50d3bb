import type { Case } from '../../api/schemas/resources';
import { api, Definition } from '../api';
import { clear, h } from '../dom';
import { formatDateTime, lang, t } from '../i18n';
import type { Page } from '../router';
import { type DiagramTexts, named, type Names, textsOfAll, translationNote } from '../translations';

const PAGE_SIZE = 20;
const SORTS = ['started-desc', 'started-asc', 'caseNumber-asc', 'applicant-asc'] as const;
type Sort = (typeof SORTS)[number];

/**
 * The cases: applications the user may see (the server decides which: their groups' tasks, their
 * own starts, a head's reglaments, all for an admin), found by case number, IIN/BIN or the applicant's
 * name, filtered by reglament and state, sorted and paged; each row opens the case. The search is
 * kept in the address, so a found list can be reloaded or sent on.
 */
export const casesPage: Page = async (root, _params, query) => {
  const tx = t();
  const state = {
    q: query.get('q') ?? '',
    key: query.get('key') ?? '',
    status: ['running', 'completed'].includes(query.get('state') ?? '') ? (query.get('state') as string) : '',
    sort: (SORTS as readonly string[]).includes(query.get('sort') ?? '') ? (query.get('sort') as Sort) : 'started-desc',
    first: Math.max(0, Number(query.get('first')) || 0),
  };
  const all = await api<Definition[]>('/process-definitions');
  const definitions = all.filter((d) => d.startable || d.key === state.key);
  // Shared flows (started only by a reglament's call activity): where a called flow's current step is named.
  const sharedFlows = all.filter((d) => d.startRefusal?.code === 'NOT_STARTABLE').map((d) => d.key);
  const reglamentName = (key: string, fallback: string | null) => all.find((d) => d.key === key)?.names?.[lang()] ?? fallback ?? key;

  const search = h('input', { type: 'search', name: 'q', id: 'case-search', 'data-filter': 'q', value: state.q, placeholder: tx.caseSearchHint, autocomplete: 'off' });
  const select = (name: string, value: string, options: [string, string][]) => {
    const el = h('select', { name, 'data-filter': name }, ...options.map(([v, label]) => h('option', { value: v }, label)));
    el.value = value;
    return el;
  };
  const reglament = select('key', state.key, [['', tx.allReglaments], ...definitions.map((d) => [d.key, reglamentName(d.key, d.name)] as [string, string])]);
  const status = select('state', state.status, [['', tx.allStates], ['running', tx.states.running], ['completed', tx.states.completed]]);
  const sort = select('sort', state.sort, [['started-desc', tx.sortNewest], ['started-asc', tx.sortOldest], ['caseNumber-asc', tx.sortCaseNumber], ['applicant-asc', tx.sortApplicant]]);
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'data-form': 'case-search' },
    h('label', { for: 'case-search', class: 'visually-hidden' }, tx.caseSearchHint),
    search,
    h('label', {}, tx.reglament, ' ', reglament),
    h('label', {}, tx.state, ' ', status),
    h('label', {}, tx.sort, ' ', sort),
    h('button', { type: 'submit', class: 'primary', 'data-action': 'search' }, tx.search),
  );
  const list = h('div', { class: 'case-list', 'aria-live': 'polite' });
  clear(root, h('h1', {}, tx.cases), translationNote(), form, list);

  const read = () => {
    state.q = search.value.trim();
    state.key = reglament.value;
    state.status = status.value;
    state.sort = sort.value as Sort;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    read();
    state.first = 0;
    void load();
  });
  for (const el of [reglament, status, sort]) el.addEventListener('change', () => (read(), (state.first = 0), void load()));

  // The diagrams' texts of the listed cases' versions, in the interface language.
  let texts = new Map<string, DiagramTexts>();
  async function load() {
    const [sortBy, sortOrder] = state.sort.split('-');
    const params = new URLSearchParams({ sortBy, sortOrder, firstResult: String(state.first), maxResults: String(PAGE_SIZE) });
    if (state.q) params.set('q', state.q);
    if (state.key) params.set('processDefinitionKey', state.key);
    if (state.status) params.set('state', state.status);
    const result = await api<{ items: Case[]; total: number }>(`/cases?${params}`);
    const address = new URLSearchParams({ ...(state.q ? { q: state.q } : {}), ...(state.key ? { key: state.key } : {}), ...(state.status ? { state: state.status } : {}), ...(state.sort !== 'started-desc' ? { sort: state.sort } : {}), ...(state.first ? { first: String(state.first) } : {}) });
    history.replaceState(null, '', `/instances${address.size ? `?${address}` : ''}`);
    const calledSteps = result.items.some((c) => c.currentSteps.some((step) => step.processInstanceId !== c.id));
    texts = await textsOfAll([...result.items.map((c) => c.processDefinitionId), ...(calledSteps ? sharedFlows : [])]);
    draw(result.items, result.total);
  }

  /**
   * A current step's names: from the case's own diagram, or for a step of a flow it called (the list does
   * not say which), from the shared flow whose texts name that step with the Kazakh name the step has.
   */
  function stepNames(c: Case, step: Case['currentSteps'][number]): Names | undefined {
    if (step.processInstanceId === c.id) return texts.get(c.processDefinitionId)?.texts[step.activityId];
    const candidates = sharedFlows.map((key) => texts.get(key)?.texts[step.activityId]).filter((names): names is Names => !!names);
    return candidates.find((names) => names.kk === step.name) ?? candidates[0];
  }

  function draw(items: Case[], total: number) {
    if (items.length === 0) {
      clear(list, h('p', { class: 'empty', 'data-empty': 'cases' }, state.q || state.key || state.status ? tx.noCasesFound : tx.noCases));
      return;
    }
    const rows = items.map((c) =>
      h(
        'tr',
        { 'data-case-id': c.id, 'data-state': c.state, class: c.overdue ? 'overdue' : null },
        h('td', {}, h('a', { href: `/instances/${encodeURIComponent(c.id)}`, 'data-case-link': c.id }, c.caseNumber ?? '—')),
        h('td', { 'data-col': 'applicant' }, c.applicantName ?? '—'),
        h('td', { 'data-col': 'iin-bin', class: 'mono' }, c.applicantIinBin ?? '—'),
        h('td', { class: 'muted' }, reglamentName(c.processDefinitionKey, c.reglamentName)),
        h(
          'td',
          { 'data-col': 'state' },
          tx.states[c.state] ?? c.state,
          c.state === 'completed' && c.outcomeName ? h('div', { class: 'muted', 'data-outcome': c.outcome ?? '' }, named(c.outcome ? texts.get(c.processDefinitionId)?.texts[c.outcome] : undefined, c.outcomeName)) : null,
          c.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null,
        ),
        h('td', {}, formatDateTime(c.startedAt)),
        h('td', {}, formatDateTime(c.endedAt)),
        h('td', { 'data-col': 'steps' }, c.currentSteps.length ? c.currentSteps.map((s) => h('div', {}, named(stepNames(c, s), s.name ?? s.activityId), s.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null)) : '—'),
      ),
    );
    const from = state.first + 1;
    const to = state.first + items.length;
    clear(
      list,
      h(
        'table',
        { class: 'grid' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, tx.caseNumber), h('th', {}, tx.applicant), h('th', {}, tx.iinBin), h('th', {}, tx.reglament), h('th', {}, tx.state), h('th', {}, tx.started), h('th', {}, tx.ended), h('th', {}, tx.currentStep)),
        ),
        h('tbody', {}, rows),
      ),
      h(
        'div',
        { class: 'pager' },
        h('button', { type: 'button', 'data-action': 'prev', disabled: state.first === 0, onclick: () => ((state.first = Math.max(0, state.first - PAGE_SIZE)), void load()) }, tx.prev),
        h('span', { 'data-total': total }, tx.pageOf(from, to, total)),
        h('button', { type: 'button', 'data-action': 'next', disabled: to >= total, onclick: () => ((state.first += PAGE_SIZE), void load()) }, tx.next),
      ),
    );
  }

  await load();
};


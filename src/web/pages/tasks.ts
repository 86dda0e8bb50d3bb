import { api, Definition, session, Task } from '../api';
import { clear, h } from '../dom';
import { formatDateTime, t } from '../i18n';
import type { Page } from '../router';
import { type DiagramTexts, named, say, textsOfAll, translationNote } from '../translations';
import { groupsWords } from '../words';

const PAGE_SIZE = 10;
const REFRESH_MS = 4000;

type Scope = 'all' | 'mine' | 'unassigned';

function isToday(iso: string | null): boolean {
  if (!iso) return false;
  const d = new Date(iso);
  const now = new Date();
  return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
}

/**
 * The signed-in user's tasks (the API lists only those of their groups): mine / unassigned / all
 * my groups, filter by reglament, sort by due date, overdue and due-today marks, paging. Polls the
 * API and redraws when the list changed.
 */
export const tasksPage: Page = async (root, _params, query) => {
  const tx = t();
  const me = session.user!;
  const state = {
    scope: (['all', 'mine', 'unassigned'].includes(query.get('scope') ?? '') ? query.get('scope') : 'all') as Scope,
    key: query.get('key') ?? '',
    sort: query.get('sort') === 'due-desc' ? 'due-desc' : query.get('sort') === 'created' ? 'created' : 'due-asc',
    first: Math.max(0, Number(query.get('first')) || 0),
  };
  const definitions = await api<Definition[]>('/process-definitions');

  const select = (name: string, value: string, options: [string, string][], onChange: (v: string) => void) => {
    const el = h('select', { name, 'data-filter': name }, ...options.map(([v, label]) => h('option', { value: v }, label)));
    el.value = value;
    el.addEventListener('change', () => onChange(el.value));
    return el;
  };

  const list = h('div', { class: 'task-list', 'aria-live': 'polite' });
  const filters = h(
    'div',
    { class: 'filters' },
    h('label', {}, tx.scope, ' ', select('scope', state.scope, [['all', tx.scopeAll], ['mine', tx.scopeMine], ['unassigned', tx.scopeUnassigned]], (v) => ((state.scope = v as Scope), (state.first = 0), void load(true)))),
    h('label', {}, tx.reglament, ' ', select('key', state.key, [['', tx.allReglaments], ...definitions.map((d) => [d.key, say(d.names, d.name ?? d.key)] as [string, string])], (v) => ((state.key = v), (state.first = 0), void load(true)))),
    h('label', {}, tx.sort, ' ', select('sort', state.sort, [['due-asc', tx.sortDueAsc], ['due-desc', tx.sortDueDesc], ['created', tx.sortCreated]], (v) => ((state.sort = v as typeof state.sort), void load(true)))),
  );
  clear(root, h('h1', {}, tx.tasks), translationNote(), filters, list);

  let lastJson = '';
  // The diagrams' texts of the listed tasks' versions, in the interface language.
  let texts = new Map<string, DiagramTexts>();
  async function load(force = false) {
    const params = new URLSearchParams();
    if (state.scope === 'mine') params.set('assignee', me.id);
    if (state.scope === 'unassigned') params.set('unassigned', 'true');
    if (state.key) params.set('processDefinitionKey', state.key);
    params.set('sortBy', state.sort === 'created' ? 'created' : 'due');
    params.set('sortOrder', state.sort === 'due-desc' ? 'desc' : 'asc');
    params.set('firstResult', String(state.first));
    params.set('maxResults', String(PAGE_SIZE));
    const result = await api<{ items: Task[]; total: number }>(`/tasks?${params}`);
    const json = JSON.stringify(result);
    if (!force && json === lastJson) return;
    lastJson = json;
    const address = new URLSearchParams({ scope: state.scope, sort: state.sort, ...(state.key ? { key: state.key } : {}), ...(state.first ? { first: String(state.first) } : {}) });
    history.replaceState(null, '', `/tasks?${address}`);
    texts = await textsOfAll(result.items.map((task) => task.processDefinitionId));
    draw(result.items, result.total);
  }

  async function act(task: Task, action: 'claim' | 'unclaim') {
    try {
      await api(`/tasks/${task.id}/${action}`, { method: 'POST' });
    } catch (err) {
      alertIn(list, (err as Error).message);
    }
    await load(true);
  }

  function draw(items: Task[], total: number) {
    if (items.length === 0) {
      clear(list, h('p', { class: 'empty' }, tx.noTasks));
      return;
    }
    const rows = items.map((task) => {
      const today = !task.overdue && isToday(task.due);
      const mark = task.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : today ? h('span', { class: 'badge today' }, tx.dueToday) : null;
      const mine = task.assignee === me.id;
      const button = !task.assignee
        ? h('button', { type: 'button', 'data-action': 'claim', onclick: () => void act(task, 'claim') }, tx.claim)
        : mine
          ? h('button', { type: 'button', 'data-action': 'unclaim', onclick: () => void act(task, 'unclaim') }, tx.unclaim)
          : null;
      return h(
        'tr',
        { 'data-task-id': task.id, 'data-task-key': task.taskDefinitionKey, class: [task.overdue ? 'overdue' : '', today ? 'today' : '', mine ? 'mine' : ''].join(' ').trim() || null },
        h('td', {}, h('a', { href: `/tasks/${task.id}` }, named(texts.get(task.processDefinitionId)?.texts[task.taskDefinitionKey], task.name ?? task.taskDefinitionKey))),
        h('td', { class: 'muted' }, named(texts.get(task.processDefinitionId)?.texts[task.processDefinitionKey] ?? definitions.find((d) => d.key === task.processDefinitionKey)?.names, task.processDefinitionKey)),
        h('td', {}, task.businessKey ?? '—'),
        h('td', { 'data-col': 'applicant' }, task.applicantName ?? '—', task.applicantIinBin ? h('div', { class: 'muted mono' }, task.applicantIinBin) : null),
        h('td', {}, groupsWords(task.candidateGroups)),
        h('td', { 'data-col': 'assignee', 'data-assignee': task.assignee ?? '' }, task.assigneeName ?? task.assignee ?? '—', task.owner && task.owner !== task.assignee ? h('div', { class: 'muted', 'data-owner': task.owner }, `${tx.owner}: ${task.ownerName ?? task.owner}`) : null),
        h('td', { class: 'due' }, formatDateTime(task.due), ' ', mark),
        h('td', {}, button),
      );
    });
    const from = state.first + 1;
    const to = state.first + items.length;
    clear(
      list,
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, tx.task), h('th', {}, tx.reglament), h('th', {}, tx.businessKey), h('th', {}, tx.applicant), h('th', {}, tx.group), h('th', {}, tx.assignee), h('th', {}, tx.due), h('th', {}))),
        h('tbody', {}, rows),
      ),
      h(
        'div',
        { class: 'pager' },
        h('button', { type: 'button', 'data-action': 'prev', disabled: state.first === 0, onclick: () => ((state.first = Math.max(0, state.first - PAGE_SIZE)), void load(true)) }, tx.prev),
        h('span', { 'data-total': total }, tx.pageOf(from, to, total)),
        h('button', { type: 'button', 'data-action': 'next', disabled: to >= total, onclick: () => ((state.first += PAGE_SIZE), void load(true)) }, tx.next),
      ),
    );
  }

  await load(true);
  const timer = window.setInterval(() => void load().catch(() => undefined), REFRESH_MS);
  const onFocus = () => void load().catch(() => undefined);
  window.addEventListener('focus', onFocus);
  return () => {
    window.clearInterval(timer);
    window.removeEventListener('focus', onFocus);
  };
};

export function alertIn(el: HTMLElement, message: string) {
  el.prepend(h('div', { class: 'form-error', role: 'alert' }, message));
}

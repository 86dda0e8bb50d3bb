import { api, session, TaskDetail } from '../api';
import { clear, h } from '../dom';
import { generateForm } from '../form';
import { formatDateTime, t } from '../i18n';
import { flash, navigate, Page } from '../router';
import { splitDocumentation } from '../elements';
import { citationNode } from '../citation';
import type { Definition } from '../api';
import { variablesTable } from './instance';

/** One task: what it is, its case's variables, claim / unclaim, and its generated form. */
export const taskPage: Page = async (root, params) => {
  const tx = t();
  const me = session.user!;
  const task = await api<TaskDetail>(`/tasks/${encodeURIComponent(params.id)}`);
  const reload = () => navigate(`/tasks/${task.id}`, true);
  const mine = task.assignee === me.id;
  const open = task.state === 'open';

  const actions = h('div', { class: 'task-actions' });
  if (open && !task.assignee) actions.append(h('button', { type: 'button', class: 'primary', 'data-action': 'claim', onclick: () => void claim('claim') }, tx.claim));
  if (open && mine) actions.append(h('button', { type: 'button', 'data-action': 'unclaim', onclick: () => void claim('unclaim') }, tx.unclaim));
  actions.append(h('a', { href: `/instances/${task.processInstanceId}`, class: 'button' }, tx.openInstance));

  async function claim(action: 'claim' | 'unclaim') {
    try {
      await api(`/tasks/${task.id}/${action}`, { method: 'POST' });
      reload();
    } catch (err) {
      actions.append(h('div', { class: 'form-error', role: 'alert' }, (err as Error).message));
    }
  }

  const form = generateForm(task.formFields, task.formSchema, task.variables, tx.complete, async (variables) => {
    await api(`/tasks/${task.id}/complete`, { method: 'POST', body: { variables } });
    flash(tx.taskCompleted);
    navigate('/tasks');
  });
  if (!open || !mine) form.setDisabled(true);
  const hint = !open ? null : !task.assignee ? h('p', { class: 'hint' }, tx.claimFirst) : !mine ? h('p', { class: 'hint' }, tx.claimedBy(task.assignee)) : null;

  const { meaning, source } = splitDocumentation(task.documentation);
  // The act of the task's own version (a later version may cite an amended act).
  const act = (await api<Definition[]>('/process-definitions?all=true').catch(() => [] as Definition[])).find((d) => d.id === task.processDefinitionId)?.act;
  clear(
    root,
    h('h1', { 'data-task-key': task.taskDefinitionKey }, task.name ?? task.taskDefinitionKey),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tx.businessKey),
      h('dd', {}, task.businessKey ?? '—'),
      h('dt', {}, tx.group),
      h('dd', {}, task.candidateGroups.join(', ')),
      h('dt', {}, tx.assignee),
      h('dd', { 'data-field': 'assignee' }, task.assignee ?? '—'),
      h('dt', {}, tx.due),
      h('dd', {}, formatDateTime(task.due), task.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null),
      h('dt', {}, tx.legalLimit),
      h('dd', {}, task.timeLimit ?? tx.notStated),
      meaning ? [h('dt', {}, tx.englishMeaning), h('dd', { lang: 'en' }, meaning)] : null,
      source || act ? [h('dt', {}, tx.legalSource), h('dd', { class: 'source', 'data-info': 'source' }, citationNode(act, source))] : null,
    ),
    actions,
    h('section', { class: 'task-form' }, hint, form.element),
    h('section', {}, h('h2', {}, tx.variables), variablesTable(task.variables)),
  );
};

import { api, ApiError, session, TaskDetail } from '../api';
import { clear, h } from '../dom';
import { generateForm } from '../form';
import { formatDateTime, t } from '../i18n';
import { flash, navigate, Page } from '../router';
import { splitDocumentation } from '../elements';
import { citationNode } from '../citation';
import type { Definition } from '../api';
import { signedDocuments, signedDocumentsSection, variableCatalogue, variablesSection } from '../case-view';
import { diagramTexts, localizeFields, named, translationNote } from '../translations';
import { groupsWords, timeLimitWords } from '../words';
import { assignmentPanel, commentsSection } from '../collaboration';
import { attachmentsSection, uploadControl } from '../attachments';
import { refusalText } from '../refusals';
import { signingSection } from '../signing';

/** How often an open task page asks whether its task changed (someone else claimed or completed it). */
const POLL_MS = 3000;

/** What a 409 on a task means, in the user's language: who holds it, or that it is done (never the server's English). */
export function conflictText(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const details = err.details as { reason?: string; assigneeName?: string; completedByName?: string | null } | undefined;
  if (details?.reason === 'claimed' && details.assigneeName) return t().taskTakenBy(details.assigneeName);
  if (details?.reason === 'not-open') return t().taskDoneBy(details.completedByName ?? null);
  return null;
}

/** One task: what it is, its case's variables, claim / unclaim, and its generated form; it follows changes others make. */
export const taskPage: Page = async (root, params) => {
  const tx = t();
  const me = session.user!;
  const task = await api<TaskDetail>(`/tasks/${encodeURIComponent(params.id)}`);
  const [texts, catalogue, documents] = await Promise.all([
    diagramTexts(task.processDefinitionId),
    variableCatalogue(task.processDefinitionKey, Number(task.processDefinitionId.split(':').pop())),
    signedDocuments(task.processInstanceId),
  ]);
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
      const conflict = conflictText(err);
      if (conflict) {
        // The page shows the task as it now is, with who took it.
        flash(conflict);
        reload();
        return;
      }
      const refusal = refusalText(err);
      actions.append(h('div', { class: 'form-error', role: 'alert', title: refusal.detail }, refusal.text));
    }
  }

  const form = generateForm(localizeFields(task.formFields, texts, task.taskDefinitionKey), task.formSchema, task.variables, tx.complete, async (variables) => {
    try {
      await api(`/tasks/${task.id}/complete`, { method: 'POST', body: { variables } });
    } catch (err) {
      const conflict = conflictText(err);
      if (!conflict) throw err;
      flash(conflict);
      reload();
      return;
    }
    flash(tx.taskCompleted);
    navigate('/tasks');
  });
  if (!open || !mine) form.setDisabled(true);
  const hint = !open ? null : !task.assignee ? h('p', { class: 'hint' }, tx.claimFirst) : !mine ? h('p', { class: 'hint' }, tx.claimedBy(task.assigneeName ?? task.assignee)) : null;
  // A signing step is completed by its person's EDS over the draft shown, not by the form.
  const signing = task.signs && open ? await signingSection(task, mine, () => {
    flash(tx.signDone);
    navigate('/tasks');
  }) : null;

  const [assignment, comments] = await Promise.all([assignmentPanel(task, reload), commentsSection(`/tasks/${encodeURIComponent(task.id)}/comments`)]);
  // The case's documents; its holder (or, while nobody holds it, its group) attaches more while it is open.
  const stepName = (key: string, fallback: string) => named(texts.texts[key], fallback);
  let attachments = await attachmentsSection(task.processInstanceId, { step: stepName }, task.id);
  const upload = open && (!task.assignee || mine) ? uploadControl(task.id, async () => {
    const next = await attachmentsSection(task.processInstanceId, { step: stepName }, task.id);
    attachments.replaceWith(next);
    attachments = next;
  }) : null;
  const { meaning, source } = splitDocumentation(task.documentation);
  // The act of the task's own version (a later version may cite an amended act).
  const act = (await api<Definition[]>('/process-definitions?all=true').catch(() => [] as Definition[])).find((d) => d.id === task.processDefinitionId)?.act;
  clear(
    root,
    h('h1', { 'data-task-key': task.taskDefinitionKey }, named(texts.texts[task.taskDefinitionKey], task.name ?? task.taskDefinitionKey)),
    translationNote(),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tx.businessKey),
      h('dd', {}, task.businessKey ?? '—'),
      h('dt', {}, tx.group),
      h('dd', {}, groupsWords(task.candidateGroups)),
      h('dt', {}, tx.assignee),
      h('dd', { 'data-field': 'assignee', 'data-assignee': task.assignee ?? '' }, task.assigneeName ?? task.assignee ?? '—'),
      task.owner ? [h('dt', {}, tx.owner), h('dd', { 'data-field': 'owner' }, task.ownerName ?? task.owner)] : null,
      h('dt', {}, tx.due),
      h('dd', {}, formatDateTime(task.due), task.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null),
      h('dt', {}, tx.legalLimit),
      h('dd', {}, timeLimitWords(task.timeLimit)),
      meaning ? [h('dt', {}, tx.englishMeaning), h('dd', { lang: 'en' }, meaning)] : null,
      source || act ? [h('dt', {}, tx.legalSource), h('dd', { class: 'source', 'data-info': 'source' }, citationNode(act, source))] : null,
    ),
    actions,
    assignment,
    signing ? [hint, signing] : h('section', { class: 'task-form' }, hint, form.element),
    attachments,
    upload,
    h('section', { class: 'case-variables' }, h('h2', {}, tx.variables), variablesSection(task.variables, catalogue, documents)),
    signedDocumentsSection(documents, catalogue),
    comments,
  );
  return followChanges(task, reload);
};

/**
 * Polls the task while the page is visible; when its state or holder changed (another clerk claimed or
 * completed it, an admin gave it back), the page is drawn again with a notice saying what happened.
 */
function followChanges(shown: TaskDetail, reload: () => void): () => void {
  let stopped = false;
  let busy = false;
  const key = (x: TaskDetail) => `${x.state}|${x.assignee ?? ''}`;
  const timer = setInterval(async () => {
    if (stopped || busy || document.visibilityState !== 'visible') return;
    busy = true;
    try {
      const now = await api<TaskDetail>(`/tasks/${encodeURIComponent(shown.id)}`);
      if (stopped || key(now) === key(shown)) return;
      stop();
      const tx = t();
      flash(now.state !== 'open' ? tx.taskDoneBy(now.completedByName ?? null) : now.assignee && now.assignee !== session.user?.id ? tx.taskTakenBy(now.assigneeName ?? now.assignee) : tx.taskChanged);
      reload();
    } catch {
      // A poll that failed (network, a restart) is tried again at the next tick; a 401 already signed the user out.
    } finally {
      busy = false;
    }
  }, POLL_MS);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}

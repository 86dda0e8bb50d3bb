/**
 * Assignment and comments on the task and case pages (issue 17, points 2 and 3): an "Assign to…"
 * chooser of the task's group members, Delegate, Resolve, a head's Take back, and a comments list with
 * a box to add one. The server decides who may (identity/access); a refusal is shown as it says.
 */
import { api, ApiError, session, TaskDetail } from './api';
import type { Comment, GroupMember, TaskHolders } from '../api/schemas/collaboration';
import { h } from './dom';
import { formatDateTime, t } from './i18n';
import { flash } from './router';

/** A 409 on an assignment in the user's language: who holds the task now, or that it is done. */
function conflictText(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const details = err.details as { reason?: string; assigneeName?: string | null; completedByName?: string | null } | undefined;
  if (details?.reason === 'claimed' && details.assigneeName) return t().taskTakenBy(details.assigneeName);
  if (details?.reason === 'not-open') return t().taskDoneBy(details.completedByName ?? null);
  return null;
}

/** The members of the task's candidate groups, by name; none when the user may not list them. */
async function candidates(groups: readonly string[]): Promise<GroupMember[]> {
  const lists = await Promise.all(groups.map((group) => api<GroupMember[]>(`/users?group=${encodeURIComponent(group)}`).catch(() => [] as GroupMember[])));
  const byId = new Map(lists.flat().map((member) => [member.id, member]));
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The task page's assignment controls. The holder hands the task to a colleague or delegates it; a head
 * or an admin assigns, delegates or takes back a task whoever holds it; the delegate resolves it.
 */
export async function assignmentPanel(task: TaskDetail, reload: () => void): Promise<HTMLElement | null> {
  const tx = t();
  const me = session.user!;
  if (task.state !== 'open') return null;
  const distributor = session.isHead();
  const delegate = task.delegationState === 'PENDING' && task.assignee === me.id;
  const holder = task.assignee === me.id && !delegate;
  const panel = h('div', { class: 'task-actions assignment', 'data-section': 'assignment' });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });

  async function send(path: string, body?: unknown) {
    error.hidden = true;
    try {
      const holders = await api<TaskHolders>(`/tasks/${encodeURIComponent(task.id)}/${path}`, { method: 'POST', body });
      if (holders.assigneeName) flash(tx.assignedTo(holders.assigneeName));
      reload();
    } catch (err) {
      const conflict = conflictText(err);
      if (conflict) {
        flash(conflict);
        reload();
        return;
      }
      error.hidden = false;
      error.textContent = (err as Error).message;
    }
  }

  if (delegate) {
    panel.append(h('p', { class: 'hint' }, tx.delegatedBy(task.ownerName ?? task.owner ?? '—')));
    panel.append(h('button', { type: 'button', class: 'primary', 'data-action': 'resolve', onclick: () => void send('resolve') }, tx.resolve));
  }
  if (holder || distributor) {
    const members = (await candidates(task.candidateGroups)).filter((m) => m.id !== task.assignee);
    if (members.length > 0) {
      const select = h('select', { 'data-field': 'assign-to', 'aria-label': tx.assignTo }, h('option', { value: '' }, tx.chooseUser), members.map((m) => h('option', { value: m.id }, m.name)));
      const chosen = () => select.value || null;
      const expected = { expectedAssignee: task.assignee };
      panel.append(h('label', {}, `${tx.assignTo}: `, select), h('button', { type: 'button', 'data-action': 'assign', onclick: () => chosen() && void send('assignee', { userId: chosen(), ...expected }) }, tx.assign));
      if (task.assignee) panel.append(h('button', { type: 'button', 'data-action': 'delegate', onclick: () => chosen() && void send('delegate', { userId: chosen(), ...expected }) }, tx.delegate));
    }
  }
  if (distributor && task.assignee && task.assignee !== me.id) {
    panel.append(h('button', { type: 'button', 'data-action': 'take-back', onclick: () => void send('assignee', { userId: null, expectedAssignee: task.assignee }) }, tx.takeBack));
  }
  if (panel.childElementCount === 0) return null;
  panel.append(error);
  return panel;
}

/** A case's or a task's comments, oldest first, with a box to add one (1 to 4000 characters). */
export async function commentsSection(path: string): Promise<HTMLElement> {
  const tx = t();
  const list = h('ol', { class: 'comments', 'data-list': 'comments' });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const box = h('textarea', { 'data-field': 'comment', rows: 3, maxlength: 4000, placeholder: tx.commentPlaceholder, 'aria-label': tx.addComment });
  const button = h('button', { type: 'button', 'data-action': 'comment' }, tx.addComment);

  function show(comments: Comment[]) {
    list.replaceChildren(
      ...(comments.length === 0
        ? [h('li', { class: 'muted' }, tx.noComments)]
        : comments.map((c) =>
            h(
              'li',
              { 'data-comment': c.id },
              h('div', { class: 'comment-meta' }, h('strong', {}, c.userName), ' · ', formatDateTime(c.at), c.taskName ? ` · ${tx.commentOnTask(c.taskName)}` : ''),
              h('div', { class: 'comment-text' }, c.text),
            ),
          )),
    );
  }

  button.addEventListener('click', async () => {
    if (!box.value.trim()) return;
    button.disabled = true;
    error.hidden = true;
    try {
      await api<Comment>(path, { method: 'POST', body: { text: box.value } });
      box.value = '';
      show(await api<Comment[]>(path));
    } catch (err) {
      error.hidden = false;
      error.textContent = (err as Error).message;
    } finally {
      button.disabled = false;
    }
  });
  show(await api<Comment[]>(path));
  return h('section', { class: 'comments-section', 'data-section': 'comments' }, h('h2', {}, tx.comments), list, box, h('div', { class: 'task-actions' }, button), error);
}

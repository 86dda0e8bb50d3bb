import type { Notification } from '../../api/schemas/resources';
import { api } from '../api';
import { clear, h } from '../dom';
import { formatDateTime, t } from '../i18n';
import { navigate, Page } from '../router';
import { type DiagramTexts, named, textsOfAll, translationNote } from '../translations';

type Page_ = { items: Notification[]; total: number };

/** Unread notifications of the signed-in user (and their groups); the header's badge shows it. */
export async function unreadCount(): Promise<number> {
  return (await api<Page_>('/notifications?unread=true&maxResults=1')).total;
}

/** Tells the header that the unread count changed (it listens and asks again). */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event('reglament:notifications'));
}

/** The user's notifications, unread first, each linked to its case and task; mark one or all read. */
export const notificationsPage: Page = async (root, _params, query) => {
  const tx = t();
  const first = Number(query.get('first') ?? '0') || 0;
  const size = 50;
  const page = await api<Page_>(`/notifications?firstResult=${first}&maxResults=${size}`);
  // Step and reglament names in the interface language (the latest version's texts: a notification names its reglament by key).
  const texts = await textsOfAll(page.items.flatMap((n) => (n.task ? [n.task.processDefinitionKey] : [])));
  const label = (type: string) => (type === 'task-overdue' ? tx.notifTaskOverdue : type === 'task-at-risk' ? tx.notifTaskAtRisk : tx.notifOther);
  const markAll = h('button', { type: 'button', 'data-action': 'mark-all-read' }, tx.markAllRead);
  markAll.addEventListener('click', async () => {
    await api('/notifications/read-all', { method: 'POST' });
    notificationsChanged();
    navigate(`/notifications${first ? `?first=${first}` : ''}`, true);
  });
  const rows = page.items.map((n) => {
    const read = h('button', { type: 'button', 'data-action': 'mark-read', hidden: !!n.readAt }, tx.markRead);
    const row = h(
      'li',
      { class: `notification${n.readAt ? ' read' : ' unread'}`, 'data-notification': n.id, 'data-type': n.type, 'data-unread': String(!n.readAt) },
      h('strong', { class: `chip ${n.type === 'task-overdue' ? 'heat-late' : 'heat-warn'}` }, label(n.type)),
      ' ',
      n.task ? stepAndReglament(n.task, texts.get(n.task.processDefinitionKey)) : null,
      h('div', { class: 'muted' }, formatDateTime(n.createdAt), n.task?.due ? ` · ${tx.lateness}: ${formatDateTime(n.task.due)}` : ''),
      h(
        'div',
        { class: 'links' },
        n.processInstanceId ? h('a', { href: `/instances/${encodeURIComponent(n.processInstanceId)}`, 'data-link': 'case' }, tx.openCase) : null,
        n.taskId && n.task?.state === 'open' ? [' · ', h('a', { href: `/tasks/${encodeURIComponent(n.taskId)}`, 'data-link': 'task' }, tx.openTask)] : null,
        ' ',
        read,
      ),
    );
    read.addEventListener('click', async () => {
      await api(`/notifications/${encodeURIComponent(n.id)}/read`, { method: 'POST' });
      row.classList.replace('unread', 'read');
      row.setAttribute('data-unread', 'false');
      read.hidden = true;
      notificationsChanged();
    });
    return row;
  });
  const pager = h(
    'div',
    { class: 'pager' },
    first > 0 ? h('a', { href: `/notifications?first=${Math.max(0, first - size)}` }, tx.previousPage) : null,
    ' ',
    first + size < page.total ? h('a', { href: `/notifications?first=${first + size}` }, tx.nextPage) : null,
  );
  clear(root, h('h1', {}, tx.notifications), translationNote(), page.items.length ? [markAll, h('ul', { class: 'notifications', 'data-list': 'notifications' }, rows), pager] : h('p', { class: 'muted' }, tx.noNotifications));
};

/** "Step · case number · reglament": the diagram's names in the interface language, the Kazakh original as a title. */
function stepAndReglament(task: NonNullable<Notification['task']>, texts: DiagramTexts | undefined): HTMLElement {
  return h(
    'span',
    {},
    h('span', { 'data-step': task.taskDefinitionKey }, named(texts?.texts[task.taskDefinitionKey], task.name ?? task.taskDefinitionKey)),
    task.businessKey ? ` · ${task.businessKey}` : '',
    ' · ',
    h('span', { 'data-reglament': task.processDefinitionKey, class: 'muted' }, named(texts?.texts[task.processDefinitionKey], task.processDefinitionKey)),
  );
}

let badgeTimer: number | undefined;

/**
 * The header's link to the notifications with the unread count: asked on every render of the
 * header (each navigation), every minute, and when a page marks something read.
 */
export function notificationBadge(text: string): HTMLElement {
  const count = h('span', { class: 'badge', 'data-badge': 'notifications', hidden: true });
  const link = h('a', { href: '/notifications', 'data-nav': 'notifications', class: location.pathname.startsWith('/notifications') ? 'active' : null }, text, ' ', count);
  const refresh = async () => {
    const n = await unreadCount().catch(() => 0);
    count.textContent = String(n);
    count.hidden = n === 0;
    count.setAttribute('data-count', String(n));
  };
  void refresh();
  window.clearInterval(badgeTimer);
  badgeTimer = window.setInterval(() => void refresh(), 60_000);
  window.removeEventListener('reglament:notifications', badgeListener);
  badgeListener = () => void refresh();
  window.addEventListener('reglament:notifications', badgeListener);
  return link;
}
let badgeListener: () => void = () => undefined;

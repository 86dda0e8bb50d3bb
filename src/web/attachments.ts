/**
 * Attachments on the task and case pages (issue 17, point 4): the case's documents with download
 * links, and on a task its holder may attach to, a control that sends several files one by one with
 * their progress. The server decides what may be attached; its refusals are said here in the user's
 * language, at the control.
 */
import { api, ApiError, uploadFile } from './api';
import type { Attachment } from '../api/schemas/attachments';
import { h } from './dom';
import { formatDateTime, t } from './i18n';

/** What a refused file gets told, by the server's code. */
function refusalText(name: string, err: unknown): string {
  const tx = t();
  if (!(err instanceof ApiError)) return tx.attachFailed(name, (err as Error).message);
  const details = err.details as { limit?: number } | undefined;
  switch (err.code) {
    case 'ATTACHMENT_TOO_LARGE':
      return tx.attachTooBig(name, Math.floor((details?.limit ?? 0) / 1024 / 1024));
    case 'ATTACHMENT_TYPE_NOT_ALLOWED':
      return tx.attachWrongType(name);
    case 'ATTACHMENT_TYPE_MISMATCH':
      return tx.attachTypeMismatch(name);
    case 'ATTACHMENT_EMPTY':
      return tx.attachEmpty(name);
    default:
      return tx.attachFailed(name, err.message);
  }
}

/** The documents attached to a case, oldest first; the ones added at `taskId` are marked. */
export async function attachmentsSection(instanceId: string, names: { step: (key: string, fallback: string) => Node | string }, taskId?: string): Promise<HTMLElement> {
  const tx = t();
  const items = await api<Attachment[]>(`/process-instances/${encodeURIComponent(instanceId)}/attachments`).catch(() => [] as Attachment[]);
  const body =
    items.length === 0
      ? h('p', { class: 'hint', 'data-empty': 'attachments' }, tx.noAttachments)
      : h(
          'table',
          { class: 'grid attachments' },
          h('thead', {}, h('tr', {}, h('th', {}, tx.attachmentName), h('th', {}, tx.attachmentSize), h('th', {}, tx.attachmentBy), h('th', {}, tx.attachmentAt), h('th', {}, tx.attachmentStep))),
          h(
            'tbody',
            {},
            items.map((a) =>
              h(
                'tr',
                { 'data-attachment': a.id, class: a.taskId === taskId ? 'this-task' : null },
                h('td', {}, h('a', { href: a.download, download: a.name, 'data-download': a.name, title: `SHA-256 ${a.sha256}` }, a.name)),
                h('td', {}, tx.bytesWords(a.size)),
                h('td', {}, a.uploadedByName),
                h('td', {}, formatDateTime(a.uploadedAt)),
                h('td', {}, names.step(a.taskDefinitionKey, a.taskName ?? a.taskDefinitionKey)),
              ),
            ),
          ),
        );
  return h('section', { class: 'attachments', 'data-section': 'attachments' }, h('h2', {}, tx.attachments), body);
}

/**
 * The task page's upload control: several files, each sent on its own (one refused file does not stop
 * the others), the button busy and a progress line while they go; each refusal listed at the control.
 * `done` runs when at least one file was stored (the page draws the list again).
 */
export function uploadControl(taskId: string, done: () => void): HTMLElement {
  const tx = t();
  const input = h('input', { type: 'file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff', 'data-input': 'attachments' });
  const progress = h('p', { class: 'hint', 'data-status': 'upload', 'aria-live': 'polite' });
  const errors = h('ul', { class: 'form-error', role: 'alert', 'data-errors': 'attachments', hidden: true });
  const button = h('button', { type: 'button', 'data-action': 'attach', onclick: () => void send() }, tx.attachFiles);

  async function send() {
    const files = [...(input.files ?? [])];
    errors.replaceChildren();
    errors.hidden = true;
    if (files.length === 0) {
      errors.append(h('li', {}, tx.attachChoose));
      errors.hidden = false;
      return;
    }
    button.disabled = true;
    input.disabled = true;
    control.setAttribute('aria-busy', 'true');
    let stored = 0;
    for (const file of files) {
      progress.textContent = tx.attachUploading(file.name, 0);
      try {
        // The server refuses an empty file too; saying it here spares the round trip.
        if (file.size === 0) throw new ApiError(400, 'ATTACHMENT_EMPTY', 'empty');
        await uploadFile(`/tasks/${encodeURIComponent(taskId)}/attachments`, file, (percent) => (progress.textContent = tx.attachUploading(file.name, percent)));
        stored++;
      } catch (err) {
        errors.append(h('li', { 'data-refused': file.name }, refusalText(file.name, err)));
        errors.hidden = false;
      }
    }
    progress.textContent = stored > 0 ? tx.attachDone(stored) : '';
    button.disabled = false;
    input.disabled = false;
    input.value = '';
    control.removeAttribute('aria-busy');
    if (stored > 0) done();
  }

  const control = h('div', { class: 'attach-control', 'data-section': 'attach' }, h('p', { class: 'hint' }, tx.attachHint), input, button, progress, errors);
  return control;
}

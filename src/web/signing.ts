/**
 * The signing step's page part (issue 17 point 6): the draft document the server keeps, shown before
 * the sign button, and the signature of exactly the bytes shown, made by NCALayer on the signer's
 * computer and sent to POST /api/tasks/{id}/sign. Every answer is said in the interface language;
 * the step stays open on any refusal.
 */
import { api, ApiError, TaskDetail } from './api';
import { h } from './dom';
import { formatDateTime, lang, t } from './i18n';
import { signWithNcaLayer } from './ncalayer';
import { refusalText } from './refusals';

/** The draft's bytes as the server keeps them, and their SHA-256 as the server states it. */
async function fetchDraft(taskId: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const response = await fetch(`/api/tasks/${encodeURIComponent(taskId)}/draft.pdf`, { headers: { accept: 'application/pdf' } });
  if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, `The draft could not be had (HTTP ${response.status})`);
  return { bytes: new Uint8Array(await response.arrayBuffer()), sha256: response.headers.get('x-document-sha256') ?? '' };
}

export async function signingSection(task: TaskDetail, enabled: boolean, onSigned: () => void): Promise<HTMLElement> {
  const tx = t();
  const section = h('section', { class: 'signing', 'data-signing': task.signs ?? '' }, h('h2', {}, tx.signTitle), h('p', { class: 'hint' }, tx.signIntro));
  let draft: { bytes: Uint8Array; sha256: string };
  try {
    draft = await fetchDraft(task.id);
  } catch (err) {
    section.append(h('div', { class: 'form-error', role: 'alert' }, refusalText(err).text));
    return section;
  }
  // The preview is of the very bytes that will be signed: a blob of what was fetched, not a second request.
  const url = URL.createObjectURL(new Blob([draft.bytes as BlobPart], { type: 'application/pdf' }));
  const status = h('div', { class: 'signing-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'primary', 'data-action': 'sign', disabled: !enabled, onclick: () => void sign() }, tx.signButton);
  section.append(
    h('iframe', { class: 'draft-preview', src: url, title: tx.signTitle, 'data-sha256': draft.sha256 }),
    h('p', {}, h('a', { href: url, target: '_blank', rel: 'noopener', 'data-action': 'open-draft' }, tx.signOpenDraft)),
    h('p', { class: 'hint', 'data-field': 'draft-sha256' }, tx.signHash(draft.sha256)),
    button,
    status,
  );

  function say(text: string, error: boolean) {
    status.replaceChildren(h('div', { class: error ? 'form-error' : 'hint', role: error ? 'alert' : 'status' }, text));
  }

  async function sign() {
    button.disabled = true;
    say(tx.signWaiting, false);
    const ncalayerUrl = task.ncalayerUrl ?? 'wss://127.0.0.1:13579/';
    const outcome = await signWithNcaLayer(ncalayerUrl, draft.bytes, lang());
    if (outcome.kind !== 'signed') {
      say(outcome.kind === 'cancelled' ? tx.signCancelled : outcome.kind === 'unreachable' ? tx.signUnreachable(ncalayerUrl) : tx.signNcaLayerError(outcome.message), true);
      status.firstElementChild?.setAttribute('data-outcome', outcome.kind);
      button.disabled = false;
      return;
    }
    try {
      await api(`/tasks/${encodeURIComponent(task.id)}/sign`, { method: 'POST', body: { cms: outcome.cms } });
    } catch (err) {
      const failure = err instanceof ApiError && err.code === 'SIGNATURE_REFUSED' ? String(err.details?.failure ?? '') : '';
      const text = failure && tx.signRefused[failure] ? tx.signRefused[failure] : refusalText(err).text;
      say(text, true);
      status.firstElementChild?.setAttribute('data-outcome', failure || 'error');
      if (err instanceof Error) status.firstElementChild?.setAttribute('title', err.message);
      button.disabled = false;
      return;
    }
    say(tx.signDone, false);
    onSigned();
  }

  return section;
}

interface PersonSignature {
  id: string;
  kind: string;
  sha256: string;
  signed: boolean;
  signedByName: string | null;
  signerIin: string | null;
  signedAt: string | null;
  pdf: string;
  cms: string | null;
}

/** The case's documents its people signed with EDS: the exact PDF shown and signed, and its CMS. */
export async function personSignaturesSection(instanceId: string): Promise<HTMLElement | null> {
  const tx = t();
  const all = await api<PersonSignature[]>(`/process-instances/${encodeURIComponent(instanceId)}/signatures`).catch(() => [] as PersonSignature[]);
  const signed = all.filter((d) => d.signed);
  if (signed.length === 0) return null;
  return h(
    'section',
    { class: 'person-signatures' },
    h('h2', {}, tx.signedByPeople),
    h(
      'ul',
      {},
      signed.map((d) =>
        h(
          'li',
          { 'data-signed-document': d.id },
          `${d.signedByName ?? '—'}${d.signerIin ? ` (${d.signerIin})` : ''}, ${formatDateTime(d.signedAt)}: `,
          h('a', { href: d.pdf, target: '_blank', rel: 'noopener', 'data-action': 'signed-pdf' }, tx.signedPdf),
          ' · ',
          d.cms ? h('a', { href: d.cms, 'data-action': 'signed-cms' }, tx.signedCms) : null,
          h('div', { class: 'hint', 'data-field': 'signed-sha256' }, tx.signHash(d.sha256)),
        ),
      ),
    ),
  );
}

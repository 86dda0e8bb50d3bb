/**
 * A case as people read it (issue 16, point 4): variables under their form labels with values in
 * words, signed documents as a summary the server verified, and the history as steps (who did what,
 * with their decision) with the engine's technical events behind a toggle. Shared by the case page
 * and the task page.
 */
import { api, type HistoryEntry } from './api';
import type { Names, SignedDocumentInfo, VariableCatalogue } from '../api/schemas/resources';
import { h } from './dom';
import { formatDateTime, lang, t } from './i18n';
import type { CodedVariable, VariableId } from './i18n/kk';

export type { SignedDocumentInfo, VariableCatalogue };

/** How a page names a diagram element (its translation, where one exists): given by the page. */
export type ElementName = (elementId: string | undefined, fallback: string) => Node | string;
/** How a page says a history event's kind in words: given by the page. */
export type EventName = (type: string) => string;

const EMPTY_CATALOGUE: VariableCatalogue = { processDefinitionKey: '', version: 0, variables: {} };

/** The labels of a version's variables; a failure leaves the dictionary's labels (never the page broken). */
export function variableCatalogue(processDefinitionKey: string, version: number): Promise<VariableCatalogue> {
  return api<VariableCatalogue>(`/process-definitions/${encodeURIComponent(processDefinitionKey)}/variables?version=${version}`).catch(() => EMPTY_CATALOGUE);
}

/** The signed documents of an instance; none when they cannot be had (the values are then hidden, not shown as base64). */
export function signedDocuments(instanceId: string): Promise<SignedDocumentInfo[]> {
  return api<SignedDocumentInfo[]>(`/process-instances/${encodeURIComponent(instanceId)}/signed-documents`).catch(() => []);
}

/** The text in the interface language, else the Kazakh. */
function pick(names: Names): string {
  const current = lang();
  return (current === 'kk' ? names.kk : names[current]) ?? names.kk;
}

/** A variable's label: its form's label, else the dictionary's; the id only when neither knows it. */
export function variableLabel(id: string, catalogue: VariableCatalogue): string {
  const declared = catalogue.variables[id];
  if (declared) return pick(declared.label);
  return (t().variableLabels as Record<string, string | undefined>)[id as VariableId] ?? id;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function civilDate(value: string): string {
  return new Date(`${value}T00:00:00Z`).toLocaleDateString(lang(), { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Whether a value looks like a signed document (long base64 or PEM) even when the server did not summarise it. */
function looksSigned(value: unknown): boolean {
  return typeof value === 'string' && (value.startsWith('-----BEGIN') || (value.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(value)));
}

/** A variable's value in words: option names for codes, yes/no, local times; a signed document points to its summary. */
export function variableValue(id: string, value: unknown, catalogue: VariableCatalogue, signed: ReadonlySet<string>): Node | string {
  const tx = t();
  if (signed.has(id) || looksSigned(value)) return signed.has(id) ? h('a', { href: `#signed-${id}`, 'data-signed-link': id }, tx.signedDocumentBelow) : tx.signedDocumentBelow;
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? tx.yes : tx.no;
  const declared = catalogue.variables[id];
  if (typeof value === 'string') {
    const option = declared?.values?.[value];
    if (option) return h('span', { title: value }, pick(option));
    const coded = (tx.valueLabels as Record<string, Record<string, string> | undefined>)[id as CodedVariable]?.[value];
    if (coded) return h('span', { title: value }, coded);
    if (ISO_INSTANT.test(value)) return h('time', { datetime: value }, formatDateTime(value));
    if (CIVIL_DATE.test(value)) return h('time', { datetime: value }, civilDate(value));
    return value;
  }
  if (typeof value === 'object') {
    // A certificate's subject (edsSubject): who, with the IIN/BIN; other objects as compact text.
    const subject = value as { commonName?: string; iin?: string; bin?: string };
    if (subject.commonName || subject.iin || subject.bin) return [subject.commonName, subject.iin ?? subject.bin].filter(Boolean).join(' · ');
    return h('code', { class: 'value-json' }, JSON.stringify(value));
  }
  return String(value);
}

type Group = 'application' | 'decisions' | 'systems';

/**
 * The variables in three groups: the application (start form, in its order), the decisions at the
 * steps (task forms), and what information systems and the provider produced. The id stays as a
 * tooltip for whoever needs it.
 */
export function variablesSection(variables: Record<string, unknown>, catalogue: VariableCatalogue, documents: SignedDocumentInfo[]): HTMLElement {
  const tx = t();
  const signed = new Set(documents.map((d) => d.variable));
  const order = Object.keys(catalogue.variables);
  const groupOf = (id: string): Group => {
    const source = catalogue.variables[id]?.source;
    return source === 'start-form' ? 'application' : source === 'task-form' ? 'decisions' : 'systems';
  };
  const rank = (id: string) => {
    const at = order.indexOf(id);
    return at < 0 ? order.length : at;
  };
  const ids = Object.keys(variables).sort((a, b) => rank(a) - rank(b) || variableLabel(a, catalogue).localeCompare(variableLabel(b, catalogue)));
  const titles: Record<Group, string> = { application: tx.applicationData, decisions: tx.decisionsData, systems: tx.systemsData };
  const groups = (['application', 'decisions', 'systems'] as Group[])
    .map((group) => ({ group, ids: ids.filter((id) => groupOf(id) === group) }))
    .filter((g) => g.ids.length > 0);
  return h(
    'div',
    { class: 'variables' },
    groups.map(({ group, ids: members }) =>
      h(
        'section',
        { 'data-variable-group': group },
        h('h3', {}, titles[group]),
        h(
          'table',
          { class: 'grid vars' },
          h('tbody', {}, members.map((id) => h('tr', { 'data-variable': id }, h('th', { scope: 'row', title: id }, variableLabel(id, catalogue)), h('td', {}, variableValue(id, variables[id], catalogue, signed))))),
        ),
      ),
    ),
  );
}

/** Each signed document as a card: signer, IIN/BIN, signing time, the server's verdict, and the file. */
export function signedDocumentsSection(documents: SignedDocumentInfo[], catalogue: VariableCatalogue): HTMLElement | null {
  if (documents.length === 0) return null;
  const tx = t();
  const failures = tx.valueLabels.edsFailure as Record<string, string | undefined>;
  return h(
    'section',
    { class: 'signed-documents' },
    h('h2', {}, tx.signedDocuments),
    documents.map((d) => {
      const state = d.valid === true ? 'valid' : d.valid === false ? 'invalid' : 'unknown';
      const verdict = d.valid === true ? tx.signatureValid : d.valid === false ? tx.signatureInvalid : tx.signatureUnknown;
      const reason = d.failure ? (failures[d.failure] ?? d.failure) : null;
      return h(
        'article',
        { class: 'signed-document', id: `signed-${d.variable}`, 'data-signed-document': d.variable, 'data-valid': state },
        h('h3', { title: d.variable }, variableLabel(d.variable, catalogue)),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, tx.signer),
          h('dd', { 'data-signer': 'name' }, d.signer.commonName ?? '—', d.signer.organization ? h('span', { class: 'muted' }, ` · ${d.signer.organization}`) : null),
          h('dt', {}, tx.signerIinBin),
          h('dd', { 'data-signer': 'iin-bin' }, [d.signer.iin, d.signer.bin].filter(Boolean).join(' / ') || '—'),
          h('dt', {}, tx.signedAtLabel),
          h('dd', { 'data-signer': 'signed-at' }, d.signedAt ? h('time', { datetime: d.signedAt }, formatDateTime(d.signedAt)) : '—'),
          h('dt', {}, tx.signatureCheck),
          h(
            'dd',
            { 'data-signer': 'valid' },
            h('span', { class: `badge signature ${state}` }, verdict),
            reason ? h('span', { title: d.message ?? undefined }, ` ${reason}`) : null,
            d.checkedAgainstApplicant && d.valid === true ? h('span', { class: 'muted' }, ` · ${tx.signatureAgainstApplicant}`) : null,
          ),
        ),
        h(
          'div',
          { class: 'task-actions' },
          h('a', { class: 'button', href: d.download, download: '', 'data-download': 'der' }, tx.downloadDer),
          h('a', { class: 'button', href: `${d.download}?format=pem`, download: '', 'data-download': 'pem' }, tx.downloadPem),
        ),
      );
    }),
  );
}

/** The kinds of result the server prints (src/documents/result-pdf.ts RESULT_KINDS); the web app may not import it. */
const PRINTABLE_KINDS = new Set(['licence', 'permit', 'certificate', 'attestat', 'notification', 'refusal']);

/**
 * Links to the printable PDF of a case's signed result in Kazakh and Russian (the languages the office
 * issues in), only when the case has one: the kind is the result's (resultKind), which is what the
 * server signed and prints.
 */
export function printLinks(instanceId: string, variables: Record<string, unknown>, documents: SignedDocumentInfo[]): HTMLElement | null {
  const kind = variables.resultKind;
  if (typeof kind !== 'string' || !PRINTABLE_KINDS.has(kind) || !documents.some((d) => d.variable === 'resultDocument')) return null;
  const tx = t();
  const href = (language: 'kk' | 'ru') => `/api/process-instances/${encodeURIComponent(instanceId)}/documents/${kind}.pdf?lang=${language}`;
  return h(
    'section',
    { class: 'print-documents' },
    h('h2', {}, tx.printDocuments),
    h(
      'div',
      { class: 'task-actions' },
      h('a', { class: 'button', href: href('kk'), target: '_blank', rel: 'noopener', 'data-print': 'kk' }, tx.printKk),
      h('a', { class: 'button', href: href('ru'), target: '_blank', rel: 'noopener', 'data-print': 'ru' }, tx.printRu),
    ),
    officeDocumentLinks(instanceId, variables, tx),
  );
}

/**
 * What the office sends with a result that goes out on paper (asked for on paper, or registered as
 * outgoing): the cover letter with the outgoing registration and the paper copy the head signs and seals.
 */
function officeDocumentLinks(instanceId: string, variables: Record<string, unknown>, tx: ReturnType<typeof t>): HTMLElement | null {
  if (typeof variables.outgoingNumber !== 'string' && variables.resultForm !== 'paper') return null;
  const link = (document: 'cover-letter' | 'paper-copy', language: 'kk' | 'ru', text: string) =>
    h('a', { class: 'button', href: `/api/process-instances/${encodeURIComponent(instanceId)}/office-documents/${document}.pdf?lang=${language}`, target: '_blank', rel: 'noopener', 'data-office-document': document, 'data-lang': language }, text);
  return h(
    'div',
    { class: 'task-actions' },
    link('cover-letter', 'kk', tx.printCoverLetterKk),
    link('cover-letter', 'ru', tx.printCoverLetterRu),
    link('paper-copy', 'kk', tx.printPaperCopyKk),
    link('paper-copy', 'ru', tx.printPaperCopyRu),
  );
}

/** History kinds that are a step of the case for the people in it; every other kind is the engine's own bookkeeping. */
const STEP_KINDS = new Set(['instance-started', 'task-completed', 'task-cancelled', 'call-completed', 'business-error', 'incident-created', 'incident-resolved', 'instance-completed']);

export function isStep(entry: HistoryEntry): boolean {
  return STEP_KINDS.has(entry.type);
}

/** The values a completion sent, under their labels (the decision of the step); a chosen user by name, the id as its title. */
function decisionList(values: Record<string, unknown>, catalogue: VariableCatalogue, userNames: Record<string, string> = {}): HTMLElement | null {
  const ids = Object.keys(values);
  if (ids.length === 0) return null;
  return h(
    'dl',
    { class: 'decision' },
    ids.map((id) => {
      const value = values[id];
      const user = typeof value === 'string' ? userNames[value] : undefined;
      return [h('dt', { title: id, 'data-decision': id }, variableLabel(id, catalogue)), h('dd', {}, user ? h('span', { title: value as string, 'data-user': value as string }, user) : variableValue(id, value, catalogue, new Set()))];
    }),
  );
}

/**
 * The history as steps: the application received, each step with who completed it and what they
 * decided, the systems' refusals and incidents, the end with its outcome. The engine's events
 * (gateways passed, flows taken, service tasks' internals, tasks created or claimed) are listed in
 * their place but hidden until "technical events" is switched on.
 */
export function historySteps(history: HistoryEntry[], catalogue: VariableCatalogue, names: { element: ElementName; event: EventName }): HTMLElement {
  const tx = t();
  const list = h('ol', { class: 'steps', 'data-list': 'history' });
  for (const entry of history) {
    const data = (entry.data ?? {}) as { variables?: Record<string, unknown>; code?: string; message?: string; outcome?: string; type?: string };
    const element = entry.activityId ? names.element(entry.activityId, entry.activityName ?? entry.activityId) : null;
    const actor = entry.user ? h('span', { class: 'actor', 'data-user': entry.user }, `${tx.doneBy}: ${entry.userName ?? entry.user}`) : null;
    const when = h('time', { datetime: entry.at, class: 'muted' }, formatDateTime(entry.at));
    if (!isStep(entry)) {
      list.append(
        h(
          'li',
          { class: 'technical', 'data-history': entry.type, 'data-technical': entry.type, 'data-element-type': data.type ?? null, hidden: true },
          when,
          ' ',
          h('span', { title: entry.type }, names.event(entry.type)),
          element ? [' · ', element] : null,
          actor ? [' · ', actor] : null,
        ),
      );
      continue;
    }
    let title: Array<Node | string | null>;
    let details: Node | null = null;
    switch (entry.type) {
      case 'instance-started':
        title = [tx.caseFiled];
        break;
      case 'task-completed':
        title = [element];
        details = decisionList(data.variables ?? {}, catalogue, entry.userNames);
        break;
      case 'task-cancelled':
        title = [element, ` (${tx.stepCancelledNote})`];
        break;
      case 'call-completed':
        title = [element ?? tx.stepCallCompleted];
        break;
      case 'business-error':
        title = [tx.stepRefusedBySystem, element ? [': ', element] : null].flat();
        details = data.message ? h('p', { class: 'muted', title: data.code ?? undefined }, data.message) : null;
        break;
      case 'incident-created':
        title = [tx.stepIncident, element ? [': ', element] : null].flat();
        details = data.message ? h('p', { class: 'muted' }, data.message) : null;
        break;
      case 'incident-resolved':
        title = [tx.stepIncidentResolved, element ? [': ', element] : null].flat();
        break;
      default:
        // instance-completed: the end event reached is the outcome.
        title = [tx.caseClosed, element ? [': ', element] : null].flat();
    }
    list.append(
      h(
        'li',
        { class: `step ${entry.type}`, 'data-history': entry.type, 'data-step': entry.type, 'data-activity': entry.activityId ?? null },
        h('div', { class: 'step-head' }, h('strong', {}, title), ' ', when),
        h('div', { class: 'step-actor' }, actor ?? (entry.type === 'instance-started' || entry.type === 'instance-completed' ? null : h('span', { class: 'actor system' }, tx.bySystem))),
        details,
      ),
    );
  }
  const toggle = h('input', { type: 'checkbox', 'data-action': 'technical-events', id: 'technical-events' });
  toggle.addEventListener('change', () => {
    for (const row of list.querySelectorAll<HTMLElement>('li.technical')) row.hidden = !toggle.checked;
  });
  return h('div', { class: 'history-steps' }, h('label', { class: 'toggle' }, toggle, ' ', tx.technicalEvents), list);
}

import type { StartedInstance } from '../../api/schemas/resources';
import { api, ApiError, Definition } from '../api';
import { showDiagram } from '../diagram';
import { clear, h } from '../dom';
import { generateForm } from '../form';
import { t } from '../i18n';
import { flash, navigate, Page } from '../router';
import { diagramTexts, localizeFields, originalTitle, say, translationNote, translatedDiagram } from '../translations';

/** Registers a new application: the start form of a reglament, generated from its start event. */
export const startPage: Page = async (root, params) => {
  const tx = t();
  // Only what this user may start: shared flows (started by call activities) and reglaments of other units are left out.
  const definitions = (await api<Definition[]>('/process-definitions')).filter((d) => d.startable);
  const picker = h('select', { name: 'reglament', 'data-filter': 'reglament' }, h('option', { value: '' }, tx.chooseReglament), definitions.map((d) => h('option', { value: d.key, title: originalTitle(d.names) }, say(d.names, d.name ?? d.key))));
  picker.value = params.key ?? '';
  picker.addEventListener('change', () => navigate(picker.value ? `/start/${picker.value}` : '/start'));
  clear(root, h('h1', {}, tx.startTitle), translationNote(), h('label', { class: 'picker' }, tx.reglament, ' ', picker));
  if (!params.key) return;

  // A key typed into the address bar: the server says whether this user may start it, and why not.
  const definition = await api<Definition>(`/process-definitions/${encodeURIComponent(params.key)}`);
  if (!definition.startable) {
    const code = definition.startRefusal?.code ?? 'NOT_STARTABLE';
    // The server's reason, said in the user's language (its message is English, for API clients).
    const reason = code === 'NOT_A_STARTER' ? tx.notAStarter : code === 'NOT_STARTABLE' ? tx.sharedFlowNotStartable : tx.notStartable;
    root.append(h('div', { class: 'form-error', role: 'alert', 'data-refusal': code }, reason));
    return;
  }

  const [xml, texts] = await Promise.all([api<string>(`/process-definitions/${encodeURIComponent(params.key)}/xml`), diagramTexts(params.key)]);
  // The diagram is shown small beside the form.
  const preview = h('div', { class: 'diagram small' });
  const businessKey = h('input', { id: 'businessKey', name: 'businessKey', type: 'text', autocomplete: 'off', 'aria-describedby': 'businessKey-hint businessKey-error' });
  const businessKeyError = h('div', { class: 'field-error', id: 'businessKey-error', 'data-error-for': 'businessKey', hidden: true });
  const businessKeyRow = h('div', { class: 'field', 'data-field-row': 'businessKey' }, h('label', { for: 'businessKey' }, tx.businessKey), businessKey, h('div', { class: 'hint', id: 'businessKey-hint' }, tx.caseNumberHint), businessKeyError);
  const section = h('section', { class: 'task-form' });
  root.append(businessKeyRow, section, preview);
  const diagram = await showDiagram(preview, translatedDiagram(xml, texts));
  // One key per form shown (and business key): a submission repeated because its answer was lost
  // returns the application the first one registered instead of registering a second.
  // (getRandomValues, not randomUUID: the latter exists only in secure contexts, and the server may be reached over plain HTTP.)
  const formKey = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  // The start form as the server serves it with the definition: its fields and their JSON Schema.
  const form = generateForm(localizeFields(definition.startFormFields ?? [], texts, texts.startFormElementId), definition.startFormSchema ?? {}, {}, tx.start, async (variables) => {
    const key = businessKey.value.trim();
    businessKeyError.hidden = true;
    businessKeyRow.classList.remove('invalid');
    let started: StartedInstance;
    try {
      started = await api<StartedInstance>(`/process-definitions/${encodeURIComponent(params.key)}/start`, {
        method: 'POST',
        body: { businessKey: key || undefined, variables },
        headers: { 'idempotency-key': `${formKey}:${encodeURIComponent(key)}`.slice(0, 255) },
      });
    } catch (error) {
      // A case number already used in this reglament: said at the number, with the case that has it.
      if (!(error instanceof ApiError) || error.code !== 'CASE_NUMBER_TAKEN') throw error;
      const existing = String(error.details?.instanceId ?? '');
      clear(businessKeyError, tx.caseNumberTaken, ' ', h('a', { href: `/instances/${encodeURIComponent(existing)}`, 'data-existing-case': existing }, tx.openExistingCase));
      businessKeyError.hidden = false;
      businessKeyRow.classList.add('invalid');
      businessKey.focus();
      return;
    }
    if (started.state === 'running') {
      flash(tx.startedCase(started.businessKey ?? ''));
      navigate(`/instances/${started.id}`);
      return;
    }
    // The run ended at once (a formal refusal, say): the outcome, not a "started" message.
    clear(
      section,
      h(
        'div',
        { class: 'form-error', role: 'alert', 'data-start-outcome': started.outcome ?? '', 'data-state': started.state },
        tx.endedAtOnce,
        ' ',
        h('strong', {}, started.outcomeName ?? started.outcome ?? tx.states.completed),
        ' ',
        h('a', { href: `/instances/${encodeURIComponent(started.id)}` }, `${tx.caseNumber} ${started.businessKey ?? ''}`.trim()),
      ),
    );
  });
  section.append(form.element);
  return () => diagram.destroy();
};

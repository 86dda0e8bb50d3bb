import { activeIds, api, HistoryEntry, Instance, session, Task, Definition } from '../api';
import { actStatus, citeAct } from '../citation';
import { addMarker, addOverlay, Diagram, showDiagram } from '../diagram';
import { clear, h } from '../dom';
import { formatDateTime, t } from '../i18n';
import { historySteps, printLinks, signedDocuments, signedDocumentsSection, variableCatalogue, variablesSection } from '../case-view';
import { flash, navigate, type Page } from '../router';
import { commentsSection } from '../collaboration';
import { attachmentsSection } from '../attachments';
import { diagramTexts, named, translationNote, translatedDiagram } from '../translations';
import { eventWord, stateWord, timeLimitWords } from '../words';
import { personSignaturesSection } from '../signing';

/**
 * An instance: the diagram of its version with completed elements, the current element(s), the
 * sequence flows taken and incidents marked; the history beside it; its variables; the due date of
 * the current step against its legal limit.
 */
export const instancePage: Page = async (root, params) => {
  const tx = t();
  const id = encodeURIComponent(params.id);
  const [instance, history, tasks] = await Promise.all([
    api<Instance>(`/process-instances/${id}`),
    api<HistoryEntry[]>(`/process-instances/${id}/history`),
    api<{ items: Task[] }>(`/tasks?processInstanceId=${id}&maxResults=100`),
  ]);
  const [xml, texts, catalogue, documents] = await Promise.all([
    api<string>(`/process-definitions/${encodeURIComponent(instance.processDefinitionKey)}/xml?version=${instance.version}`),
    diagramTexts(instance.processDefinitionId),
    variableCatalogue(instance.processDefinitionKey, instance.version),
    signedDocuments(instance.id),
  ]);
  const text = (elementId: string | null | undefined, fallback: string) => named(elementId ? texts.texts[elementId] : undefined, fallback);

  const act = (await api<Definition[]>('/process-definitions?all=true').catch(() => [] as Definition[])).find((d) => d.id === instance.processDefinitionId)?.act;
  const canvas = h('div', { class: 'diagram', 'data-diagram': instance.processDefinitionKey });
  const comments = await commentsSection(`/process-instances/${id}/comments`);
  const attachments = await attachmentsSection(id, { step: text });
  const current = tasks.items.map((task) =>
    h(
      'li',
      { 'data-current-task': task.taskDefinitionKey },
      h('a', { href: `/tasks/${task.id}` }, text(task.taskDefinitionKey, task.name ?? task.taskDefinitionKey)),
      ` — ${tx.due}: ${formatDateTime(task.due)} · ${tx.legalLimit}: ${timeLimitWords(task.timeLimit)}`,
      task.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null,
    ),
  );
  clear(
    root,
    h('h1', {}, tx.instance, ' ', h('span', { class: 'muted' }, instance.businessKey ?? instance.id)),
    translationNote(),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tx.reglament),
      h('dd', {}, h('a', { href: `/catalog/${instance.processDefinitionKey}?version=${instance.version}` }, text(instance.processDefinitionKey, instance.processDefinitionKey), ` · ${tx.version} ${instance.version}`)),
      act ? [h('dt', {}, tx.act), h('dd', { 'data-info': 'act' }, `${citeAct(act)} · ${actStatus(act)}`)] : null,
      h('dt', {}, tx.state),
      h('dd', { 'data-state': instance.state }, stateWord(instance.state), instance.outcome ? [' (', text(instance.outcome, instance.outcome), ')'] : ''),
      h('dt', {}, tx.started),
      h('dd', {}, formatDateTime(instance.startedAt)),
      instance.endedAt ? [h('dt', {}, tx.ended), h('dd', {}, formatDateTime(instance.endedAt))] : null,
      h('dt', {}, tx.deadline),
      h('dd', {}, formatDateTime(instance.deadline), instance.overdue ? h('span', { class: 'badge overdue' }, tx.overdue) : null),
    ),
    current.length ? h('section', {}, h('h2', {}, tx.currentStep), h('ul', { class: 'current' }, current)) : null,
    h(
      'div',
      { class: 'legend' },
      `${tx.legend}: `,
      h('span', { class: 'chip done' }, tx.legendDone),
      h('span', { class: 'chip current' }, tx.legendCurrent),
      h('span', { class: 'chip incident' }, tx.legendIncident),
    ),
    h(
      'div',
      { class: 'split' },
      canvas,
      h(
        'section',
        { class: 'history' },
        h('h2', {}, tx.history),
        historySteps(history, catalogue, { element: text, event: eventWord }),
      ),
    ),
    h('section', { class: 'case-variables' }, h('h2', {}, tx.variables), variablesSection(instance.variables, catalogue, documents)),
    signedDocumentsSection(documents, catalogue),
    printLinks(instance.id, instance.variables, documents),
    await personSignaturesSection(instance.id),
    instance.incidents?.length
      ? h('section', {}, h('h2', {}, tx.incidents), h('ul', {}, instance.incidents.map((i) => h('li', { 'data-incident': i.activityId }, `${i.activityId} (${i.handler}): ${i.message}`))), session.isAdmin() ? retryButton(instance.id) : null)
      : null,
    attachments,
    comments,
  );

  const diagram: Diagram = await showDiagram(canvas, translatedDiagram(xml, texts));
  const active = new Set(activeIds(instance));
  for (const e of history) {
    if (!e.activityId) continue;
    if (e.type === 'activity-end' || e.type === 'task-completed') addMarker(diagram, e.activityId, 'rg-done');
    if (e.type === 'flow-taken') addMarker(diagram, e.activityId, 'rg-taken');
  }
  for (const activityId of active) addMarker(diagram, activityId, 'rg-current');
  for (const incident of instance.incidents ?? []) {
    addMarker(diagram, incident.activityId, 'rg-incident');
    addOverlay(diagram, incident.activityId, h('div', { class: 'overlay incident', title: incident.message }, '!'));
  }
  return () => diagram.destroy();
};

/** An admin runs the failed step of an instance with an open incident again (POST .../retry); the page then shows the instance as it is. */
function retryButton(instanceId: string) {
  const tx = t();
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', class: 'primary', 'data-action': 'retry' }, tx.retry);
  button.addEventListener('click', async () => {
    button.disabled = true;
    error.hidden = true;
    try {
      const result = await api<{ resolved: boolean }>(`/process-instances/${encodeURIComponent(instanceId)}/retry`, { method: 'POST' });
      flash(result.resolved ? tx.incidentResolved : tx.incidentStillOpen);
      navigate(`/instances/${instanceId}`, true);
    } catch (err) {
      button.disabled = false;
      error.hidden = false;
      error.textContent = (err as Error).message;
    }
  });
  return h('div', { class: 'task-actions' }, button, error);
}

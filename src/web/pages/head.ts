import type { Lateness, LatenessEntry } from '../../api/schemas/resources';
import type { ProcessFigures, StepFigures } from '../../reports/sla-report';
import { activeIds, api, Definition, Instance, session } from '../api';
import { addMarker, addOverlay, showDiagram } from '../diagram';
import { clear, h } from '../dom';
import { formatDateTime, t, type Texts } from '../i18n';
import { navigate, Page } from '../router';
import { diagramTexts, named, originalTitle, say, textsOfAll, translationNote, translatedDiagram } from '../translations';
import { groupsWords, timeLimitWords } from '../words';

/** The report's figures as GET /api/reports/sla sends them (src/reports/sla-report.ts makes them). */
interface SlaReport {
  processes: ProcessFigures[];
}

/**
 * Heat colour of a step: red when any of its tasks (completed or open) went over the limit, amber
 * when none did but an open one is in the last share of its limit, green otherwise; none without a limit.
 */
export function heat(step: Pick<StepFigures, 'overLimitShare' | 'openAtRisk'>): 'none' | 'ok' | 'warn' | 'late' {
  if (step.overLimitShare === null) return 'none';
  if (step.overLimitShare > 0) return 'late';
  if ((step.openAtRisk ?? 0) > 0) return 'warn';
  return 'ok';
}

/** Working minutes in words: "2 working h 15 min". */
export function workingTime(minutes: number, tx: Texts): string {
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  return hours > 0 ? `${hours} ${tx.workingHours} ${rest} ${tx.workingMinutes}` : `${rest} ${tx.workingMinutes}`;
}

const LATE_PAGE = 50;

/** Every open application overdue or at risk, most overdue first, each linked to its case. */
async function latenessSection(key: string | null, first: number, tx: Texts): Promise<HTMLElement> {
  const query = `${key ? `processDefinitionKey=${encodeURIComponent(key)}&` : ''}firstResult=${first}&maxResults=${LATE_PAGE}`;
  const late = await api<Lateness>(`/reports/lateness?${query}`);
  const texts = await textsOfAll(late.items.map((e) => e.processDefinitionKey));
  const holder = (e: LatenessEntry) => (e.assignee ? e.assignee : h('span', { class: 'muted', 'data-unclaimed': 'true' }, `${tx.unclaimed} (${groupsWords(e.candidateGroups)})`));
  const when = (e: LatenessEntry) =>
    e.state === 'overdue'
      ? h('span', { class: 'chip heat-late' }, `${tx.overdueBy} ${workingTime(e.workingMinutesOver, tx)}`)
      : h('span', { class: 'chip heat-warn' }, `${workingTime(e.workingMinutesLeft, tx)} ${tx.timeLeft}`);
  const base = `/head?${key ? `key=${encodeURIComponent(key)}&` : 'key=*&'}`;
  return h(
    'section',
    { 'data-section': 'lateness' },
    h('h2', {}, tx.lateCases, late.total ? ` (${late.overdue} / ${late.total})` : ''),
    late.items.length
      ? h(
          'table',
          { class: 'grid', 'data-list': 'late-cases' },
          h('thead', {}, h('tr', {}, h('th', {}, tx.caseNumber), h('th', {}, tx.applicant), h('th', {}, tx.step), h('th', {}, tx.holder), h('th', {}, tx.lateness))),
          h(
            'tbody',
            {},
            late.items.map((e) =>
              h(
                'tr',
                { 'data-late-task': e.taskId, 'data-state': e.state },
                h('td', {}, h('a', { href: `/instances/${encodeURIComponent(e.processInstanceId)}`, 'data-link': 'case' }, e.businessKey ?? e.processInstanceId.slice(0, 8))),
                h('td', {}, e.applicantName ?? '—', e.applicantIinBin ? h('div', { class: 'muted' }, e.applicantIinBin) : null),
                h('td', {}, named(texts.get(e.processDefinitionKey)?.texts[e.taskDefinitionKey], e.stepName ?? e.taskDefinitionKey), h('div', { class: 'muted' }, timeLimitWords(e.timeLimit))),
                h('td', {}, holder(e)),
                h('td', {}, when(e), h('div', { class: 'muted' }, formatDateTime(e.due))),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, tx.noLateCases),
    h(
      'div',
      { class: 'pager' },
      first > 0 ? h('a', { href: `${base}late=${Math.max(0, first - LATE_PAGE)}` }, tx.previousPage) : null,
      ' ',
      first + LATE_PAGE < late.total ? h('a', { href: `${base}late=${first + LATE_PAGE}` }, tx.nextPage) : null,
    ),
  );
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

/**
 * The head's view of one reglament: open applications per step, the SLA report as a chart, a
 * heatmap of the diagram (median time taken against the legal limit per step) and the late steps.
 */
export const headPage: Page = async (root, _params, query) => {
  const tx = t();
  if (!session.isHead()) {
    clear(root, h('p', { class: 'form-error' }, tx.forbidden));
    return;
  }
  const definitions = await api<Definition[]>('/process-definitions');
  // key "*": every reglament together (the lateness list only; the diagram and SLA need one).
  const chosen = query.get('key') ?? '*';
  const key = chosen === '*' ? null : chosen;
  const picker = h('select', { name: 'key', 'data-filter': 'key' }, h('option', { value: '*' }, tx.latenessAllReglaments), definitions.map((d) => h('option', { value: d.key, title: originalTitle(d.names) }, say(d.names, d.name ?? d.key))));
  picker.value = key ?? '*';
  picker.addEventListener('change', () => navigate(`/head?key=${encodeURIComponent(picker.value)}`));
  const lateness = await latenessSection(key, Number(query.get('late') ?? '0') || 0, tx);
  if (!key) {
    clear(root, h('h1', {}, tx.headTitle), translationNote(), h('label', { class: 'picker' }, tx.reglament, ' ', picker), lateness);
    return;
  }

  const [report, running, xml] = await Promise.all([
    api<SlaReport>(`/reports/sla?processDefinitionKey=${encodeURIComponent(key)}`),
    api<{ items: Instance[]; total: number }>(`/process-instances?processDefinitionKey=${encodeURIComponent(key)}&state=running&maxResults=1000`),
    api<string>(`/process-definitions/${encodeURIComponent(key)}/xml`),
  ]);
  const { texts } = await diagramTexts(key);
  const stepName = (id: string, fallback: string | null | undefined) => say(texts[id], fallback ?? id);
  const figures = report.processes.find((p) => p.processDefinitionKey === key);
  const steps = figures?.steps ?? [];
  const openPerStep = new Map<string, number>();
  const stepNames = new Map<string, string>();
  for (const instance of running.items) {
    for (const a of activeIds(instance)) openPerStep.set(a, (openPerStep.get(a) ?? 0) + 1);
    for (const a of instance.activeActivities) if (typeof a !== 'string' && a.name) stepNames.set(a.id, a.name);
  }

  const canvas = h('div', { class: 'diagram' });
  const maxShare = Math.max(1, ...steps.map((s) => s.medianShareOfLimit ?? 0));
  const chart = steps.length
    ? h(
        'table',
        { class: 'grid chart', 'data-chart': 'sla' },
        h('thead', {}, h('tr', {}, h('th', {}, tx.step), h('th', {}, tx.completed), h('th', {}, tx.withinLimit), h('th', {}, tx.overLimitShare), h('th', {}, tx.median), h('th', {}, tx.p90))),
        h(
          'tbody',
          {},
          steps.map((s) =>
            h(
              'tr',
              { 'data-step': s.taskDefinitionKey },
              h('td', {}, named(texts[s.taskDefinitionKey], s.name ?? s.taskDefinitionKey), h('div', { class: 'muted' }, timeLimitWords(s.timeLimit))),
              h('td', { class: 'num' }, String(s.completed)),
              h('td', { class: 'num' }, s.withinLimit === null ? '—' : `${s.withinLimit} (${pct(s.withinLimit / Math.max(1, s.completed))})`),
              h('td', { class: `num heat-${heat(s)}`, 'data-over': s.taskDefinitionKey }, s.overLimitShare === null ? '—' : `${pct(s.overLimitShare)} (${(s.completedOverLimit ?? 0) + (s.openOverLimit ?? 0)}/${s.withLimit})`),
              h(
                'td',
                { class: 'bar-cell' },
                s.medianShareOfLimit === null
                  ? h('span', { class: 'muted' }, tx.notStated)
                  : h(
                      'div',
                      { class: 'bar-track' },
                      h('div', { class: `bar heat-${heat(s)}`, style: `width:${Math.min(100, (s.medianShareOfLimit / maxShare) * 100)}%` }),
                      h('span', { class: 'bar-label' }, pct(s.medianShareOfLimit)),
                      h('div', { class: 'bar-limit', style: `left:${(1 / maxShare) * 100}%` }),
                    ),
              ),
              h('td', { class: 'num' }, s.p90ShareOfLimit === null ? '—' : pct(s.p90ShareOfLimit)),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted' }, tx.noData);
  const late = steps.filter((s) => (s.overLimitShare ?? 0) > 0);

  clear(
    root,
    h('h1', {}, tx.headTitle),
    translationNote(),
    h('label', { class: 'picker' }, tx.reglament, ' ', picker),
    lateness,
    h('div', { class: 'legend' }, tx.heatmapOver, ': ', h('span', { class: 'chip heat-ok' }, '0%'), h('span', { class: 'chip heat-warn' }, `0% · ${tx.notifTaskAtRisk}`), h('span', { class: 'chip heat-late' }, '> 0%')),
    canvas,
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        {},
        h('h2', {}, tx.openPerStep),
        openPerStep.size
          ? h('ul', { 'data-list': 'open-per-step' }, [...openPerStep].map(([id, n]) => h('li', { 'data-step': id }, `${stepName(id, stepNames.get(id) ?? steps.find((s) => s.taskDefinitionKey === id)?.name)}: ${n}`)))
          : h('p', { class: 'muted' }, tx.noData),
      ),
      h(
        'section',
        {},
        h('h2', {}, tx.lateSteps),
        late.length
          ? h('ul', { 'data-list': 'late-steps' }, late.map((s) => h('li', { 'data-step': s.taskDefinitionKey }, `${stepName(s.taskDefinitionKey, s.name)}: ${pct(s.overLimitShare ?? 0)} (${(s.completedOverLimit ?? 0) + (s.openOverLimit ?? 0)}/${s.withLimit})`)))
          : h('p', { class: 'muted' }, tx.noLateSteps),
      ),
    ),
    h('section', {}, h('h2', {}, tx.slaReport), chart),
  );

  const diagram = await showDiagram(canvas, translatedDiagram(xml, { texts }));
  for (const s of steps) {
    const colour = heat(s);
    addMarker(diagram, s.taskDefinitionKey, `rg-heat-${colour}`);
    addOverlay(
      diagram,
      s.taskDefinitionKey,
      h('div', { class: `overlay heat heat-${colour}`, 'data-heat': s.taskDefinitionKey, title: `${s.completed} · ${timeLimitWords(s.timeLimit)}` }, s.overLimitShare === null ? `${s.completed}` : pct(s.overLimitShare)),
      { bottom: 8, left: -8 },
    );
  }
  for (const [id, n] of openPerStep) addOverlay(diagram, id, h('div', { class: 'overlay open-count', 'data-open': id }, String(n)), { top: -10, right: 10 });
  return () => diagram.destroy();
};

import { activeIds, api, Definition, Instance, session } from '../api';
import { addMarker, addOverlay, showDiagram } from '../diagram';
import { clear, h } from '../dom';
import { t } from '../i18n';
import { navigate, Page } from '../router';

interface StepFigures {
  taskDefinitionKey: string;
  name: string | null;
  timeLimit: string | null;
  completed: number;
  withinLimit: number | null;
  medianWorkingMinutes: number;
  p90WorkingMinutes: number;
  limitWorkingMinutes: number | null;
  medianShareOfLimit: number | null;
  p90ShareOfLimit: number | null;
}

interface SlaReport {
  processes: { processDefinitionKey: string; completed: number; withinLimit: number; withLimit: number; steps: StepFigures[] }[];
}

/** Heat colour of a share of the legal limit: green well within, amber close, red over. */
export function heat(share: number | null): 'none' | 'ok' | 'warn' | 'late' {
  if (share === null) return 'none';
  if (share > 1) return 'late';
  if (share > 0.75) return 'warn';
  return 'ok';
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
  const key = query.get('key') ?? definitions[0]?.key;
  const picker = h('select', { name: 'key', 'data-filter': 'key' }, definitions.map((d) => h('option', { value: d.key }, d.name ?? d.key)));
  if (key) picker.value = key;
  picker.addEventListener('change', () => navigate(`/head?key=${encodeURIComponent(picker.value)}`));
  if (!key) {
    clear(root, h('h1', {}, tx.headTitle), h('p', {}, tx.noData));
    return;
  }

  const [report, running, xml] = await Promise.all([
    api<SlaReport>(`/reports/sla?processDefinitionKey=${encodeURIComponent(key)}`),
    api<{ items: Instance[]; total: number }>(`/process-instances?processDefinitionKey=${encodeURIComponent(key)}&state=running&maxResults=1000`),
    api<string>(`/process-definitions/${encodeURIComponent(key)}/xml`),
  ]);
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
        h('thead', {}, h('tr', {}, h('th', {}, tx.step), h('th', {}, tx.completed), h('th', {}, tx.withinLimit), h('th', {}, tx.median))),
        h(
          'tbody',
          {},
          steps.map((s) =>
            h(
              'tr',
              { 'data-step': s.taskDefinitionKey },
              h('td', {}, s.name ?? s.taskDefinitionKey, h('div', { class: 'muted' }, s.timeLimit ?? tx.notStated)),
              h('td', { class: 'num' }, String(s.completed)),
              h('td', { class: 'num' }, s.withinLimit === null ? '—' : `${s.withinLimit} (${pct(s.withinLimit / Math.max(1, s.completed))})`),
              h(
                'td',
                { class: 'bar-cell' },
                s.medianShareOfLimit === null
                  ? h('span', { class: 'muted' }, tx.notStated)
                  : h(
                      'div',
                      { class: 'bar-track' },
                      h('div', { class: `bar heat-${heat(s.medianShareOfLimit)}`, style: `width:${Math.min(100, (s.medianShareOfLimit / maxShare) * 100)}%` }),
                      h('span', { class: 'bar-label' }, pct(s.medianShareOfLimit)),
                      h('div', { class: 'bar-limit', style: `left:${(1 / maxShare) * 100}%` }),
                    ),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted' }, tx.noData);
  const late = steps.filter((s) => (s.medianShareOfLimit ?? 0) > 1 || (s.withinLimit !== null && s.withinLimit < s.completed));

  clear(
    root,
    h('h1', {}, tx.headTitle),
    h('label', { class: 'picker' }, tx.reglament, ' ', picker),
    h('div', { class: 'legend' }, tx.heatmap, ': ', h('span', { class: 'chip heat-ok' }, '≤ 75%'), h('span', { class: 'chip heat-warn' }, '75–100%'), h('span', { class: 'chip heat-late' }, '> 100%')),
    canvas,
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        {},
        h('h2', {}, tx.openPerStep),
        openPerStep.size
          ? h('ul', { 'data-list': 'open-per-step' }, [...openPerStep].map(([id, n]) => h('li', { 'data-step': id }, `${stepNames.get(id) ?? steps.find((s) => s.taskDefinitionKey === id)?.name ?? id}: ${n}`)))
          : h('p', { class: 'muted' }, tx.noData),
      ),
      h(
        'section',
        {},
        h('h2', {}, tx.lateSteps),
        late.length
          ? h('ul', { 'data-list': 'late-steps' }, late.map((s) => h('li', { 'data-step': s.taskDefinitionKey }, `${s.name ?? s.taskDefinitionKey}: ${s.medianShareOfLimit === null ? '' : pct(s.medianShareOfLimit)} (${s.withinLimit ?? 0}/${s.completed})`)))
          : h('p', { class: 'muted' }, tx.noLateSteps),
      ),
    ),
    h('section', {}, h('h2', {}, tx.slaReport), chart),
  );

  const diagram = await showDiagram(canvas, xml);
  for (const s of steps) {
    const colour = heat(s.medianShareOfLimit);
    addMarker(diagram, s.taskDefinitionKey, `rg-heat-${colour}`);
    addOverlay(
      diagram,
      s.taskDefinitionKey,
      h('div', { class: `overlay heat heat-${colour}`, 'data-heat': s.taskDefinitionKey, title: `${s.completed} · ${s.timeLimit ?? tx.notStated}` }, s.medianShareOfLimit === null ? `${s.completed}` : pct(s.medianShareOfLimit)),
      { bottom: 8, left: -8 },
    );
  }
  for (const [id, n] of openPerStep) addOverlay(diagram, id, h('div', { class: 'overlay open-count', 'data-open': id }, String(n)), { top: -10, right: 10 });
  return () => diagram.destroy();
};

import { api, Definition } from '../api';
import { Act, actStatus, citationNode, citeAct } from '../citation';
import { addMarker, Diagram, onElementClick, showDiagram } from '../diagram';
import { clear, h } from '../dom';
import { describeElement, ElementInfo } from '../elements';
import type { InForce } from '../../api/schemas/resources';
import { formatDate, t } from '../i18n';
import type { Page } from '../router';
import { type DiagramTexts, diagramTexts, named, originalTitle, say, translationNote } from '../translations';
import { durationWords, groupsWords, timeLimitWords } from '../words';

/**
 * For analysts: every deployed reglament and shared flow with its versions and diagram. Clicking an
 * element shows its Kazakh name, English meaning, legal source, time limit, candidate group and
 * handler; a call activity links to the process it calls.
 */
export const catalogPage: Page = async (root, params, query) => {
  const tx = t();
  const all = await api<Definition[]>('/process-definitions?all=true');
  const byKey = new Map<string, Definition[]>();
  for (const d of all) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  const latest = [...byKey.values()].map((versions) => versions[versions.length - 1]);
  // Shared flows: processes another process calls.
  const sources = await Promise.all(latest.map((d) => api<string>(`/process-definitions/${encodeURIComponent(d.key)}/xml`).catch(() => '')));
  const called = new Set<string>();
  for (const xml of sources) for (const m of xml.matchAll(/calledElement="([^"]+)"/g)) called.add(m[1]);

  const key = params.key ?? latest[0]?.key;
  const versions = key ? byKey.get(key) ?? [] : [];
  const wanted = Number(query.get('version'));
  const selected = versions.find((v) => v.version === wanted) ?? versions[versions.length - 1];

  // Which version a new application starts on, by filing date (a version may come into force later).
  const inForce = selected ? await api<InForce>(`/process-definitions/${encodeURIComponent(selected.key)}/in-force`).catch(() => null) : null;
  const inForceLine = inForce
    ? h(
        'div',
        { class: 'in-force', 'data-in-force': inForce.key },
        `${tx.inForceTitle}: `,
        inForce.periods.map((p, i) => [i > 0 ? '; ' : null, h('span', { 'data-in-force-version': p.version }, tx.inForcePeriod(p.version, p.from && formatDate(p.from), p.until && formatDate(p.until)))]),
      )
    : null;

  const list = h(
    'ul',
    { class: 'catalog-list' },
    latest.map((d) =>
      h(
        'li',
        { class: d.key === key ? 'active' : null, 'data-key': d.key },
        h('a', { href: `/catalog/${d.key}`, title: originalTitle(d.names) }, say(d.names, d.name ?? d.key)),
        h('div', { class: 'muted' }, d.key, called.has(d.key) ? h('span', { class: 'badge shared' }, tx.sharedFlow) : null),
      ),
    ),
  );
  const panel = h('aside', { class: 'element-panel', 'data-panel': 'element' }, h('p', { class: 'hint' }, tx.clickElement));
  const canvas = h('div', { class: 'diagram' });
  clear(
    root,
    h('h1', {}, tx.catalog),
    translationNote(),
    h(
      'div',
      { class: 'catalog' },
      list,
      h(
        'div',
        { class: 'catalog-main' },
        selected
          ? [
              h('h2', {}, named(selected.names, selected.name ?? selected.key)),
              selected.act ? h('p', { class: 'act-citation', 'data-act': selected.key }, `${t().act}: ${citeAct(selected.act)} · ${actStatus(selected.act)}`) : null,
              h(
                'div',
                { class: 'versions' },
                `${tx.versions}: `,
                versions.map((v) => h('a', { href: `/catalog/${v.key}?version=${v.version}`, class: v.version === selected.version ? 'active' : null, 'data-version': v.version }, `${v.version}`)),
              ),
              inForceLine,
              h('div', { class: 'split' }, canvas, panel),
            ]
          : h('p', {}, tx.noData),
      ),
    ),
  );
  if (!selected) return;

  const [xml, texts] = await Promise.all([api<string>(`/process-definitions/${encodeURIComponent(selected.key)}/xml?version=${selected.version}`), diagramTexts(selected.id)]);
  const diagram: Diagram = await showDiagram(canvas, xml);
  let marked: string | null = null;
  onElementClick(diagram, (bo) => {
    if (!bo || bo.$type === 'bpmn:Collaboration') return;
    if (marked) diagram.canvas.removeMarker(marked, 'rg-selected');
    marked = bo.id;
    addMarker(diagram, bo.id, 'rg-selected');
    showElement(panel, describeElement(diagram.process, bo), byKey, selected.act, texts);
  });
  return () => diagram.destroy();
};

function showElement(panel: HTMLElement, info: ElementInfo, byKey: Map<string, Definition[]>, act: Act | undefined, texts: DiagramTexts) {
  const tx = t();
  const row = (label: string, value: Node | string | null | undefined, name: string) => (value ? [h('dt', {}, label), h('dd', { 'data-info': name }, value)] : null);
  clear(
    panel,
    h('h3', { 'data-element-id': info.id }, named(texts.texts[info.id], info.name ?? info.id)),
    h(
      'dl',
      { class: 'facts' },
      row(tx.type, typeWords(info), 'type'),
      row(tx.kazakhName, info.name, 'name'),
      row(tx.englishMeaning, info.meaning ? h('span', { lang: 'en' }, info.meaning) : null, 'meaning'),
      row(tx.legalSource, citationNode(act, info.source), 'source'),
      row(tx.timeLimit, info.timeLimit ? timeLimitWords(info.timeLimit) : null, 'timeLimit'),
      row(tx.timer, info.timer ? durationWords(info.timer) : null, 'timer'),
      row(tx.candidateGroup, groupsWords(info.candidateGroups), 'candidateGroup'),
      row(tx.handler, info.handler, 'handler'),
      row(tx.calls, info.calledElement ? (byKey.has(info.calledElement) ? h('a', { href: `/catalog/${info.calledElement}` }, info.calledElement) : info.calledElement) : null, 'calls'),
    ),
  );
}

/** The element's type in words of the interface language; its BPMN type and id only beside it, for analysts. */
function typeWords(info: ElementInfo): HTMLElement {
  const tx = t();
  const type = info.type.replace(/^bpmn:/, '');
  return h('span', {}, h('span', { 'data-type-word': info.type, title: info.type }, tx.elementTypes[type] ?? tx.elementTypeOther), ' ', h('span', { class: 'muted mono' }, info.id));
}

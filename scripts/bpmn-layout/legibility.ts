/**
 * Legibility of a drawn diagram: activity text inside its shape and clear of the task icon, no word
 * broken across lines, external labels (events, gateways, flows) clear of other labels, flow nodes
 * and flow paths. It judges a `DrawnDiagram` (text lines with their boxes, in diagram coordinates),
 * whoever measured it: the browser test takes the boxes from what bpmn-js draws in Chromium; the
 * layout check (./check.ts) predicts them with ./text-layout.ts from the same font metrics.
 */
import type { Bounds, Point } from './types';

export interface DrawnLine {
  text: string;
  box: Bounds;
}

export interface DrawnDiagram {
  activities: { id: string; name: string; bounds: Bounds; lines: DrawnLine[]; icons: Bounds[] }[];
  labels: { id: string; name: string; lines: DrawnLine[] }[];
  nodes: { id: string; bounds: Bounds }[];
  flows: { id: string; waypoints: Point[] }[];
}

export interface LegibilityReport {
  /** Activities whose text runs outside the shape. */
  textOutside: string[];
  /** Activities whose text lies on the task's icon or marker. */
  textOnIcon: string[];
  /** Elements (activities and labels) with a word broken across two lines. */
  brokenWords: string[];
  /** External labels overlapping another label, a flow node or a flow's path, with what they overlap. */
  labelOverlaps: { id: string; with: string[] }[];
}

/** Sub-pixel slack: anti-aliasing and rounding of the text boxes. */
const EPS = 0.5;

export function unionOf(boxes: Bounds[]): Bounds | undefined {
  if (boxes.length === 0) return undefined;
  const x1 = Math.min(...boxes.map((b) => b.x));
  const y1 = Math.min(...boxes.map((b) => b.y));
  const x2 = Math.max(...boxes.map((b) => b.x + b.width));
  const y2 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

export function boxesIntersect(a: Bounds, b: Bounds, eps = EPS): boolean {
  return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > eps && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > eps;
}

function within(inner: Bounds, outer: Bounds): boolean {
  return inner.x >= outer.x - EPS && inner.y >= outer.y - EPS && inner.x + inner.width <= outer.x + outer.width + EPS && inner.y + inner.height <= outer.y + outer.height + EPS;
}

/** Does the segment a-b (horizontal or vertical) run through the box's interior, not just along its edge? */
export function segmentCrossesBox(a: Point, b: Point, box: Bounds, eps = EPS): boolean {
  const spanOverlap = (p1: number, p2: number, lo: number, hi: number): number => Math.min(Math.max(p1, p2), hi) - Math.max(Math.min(p1, p2), lo);
  if (a.y === b.y) return a.y > box.y + eps && a.y < box.y + box.height - eps && spanOverlap(a.x, b.x, box.x, box.x + box.width) > eps;
  if (a.x === b.x) return a.x > box.x + eps && a.x < box.x + box.width - eps && spanOverlap(a.y, b.y, box.y, box.y + box.height) > eps;
  // A diagonal segment (never drawn by the layout tool): test its bounding box.
  return boxesIntersect({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) }, box, eps);
}

/**
 * A line break is legitimate after a space or a hyphen of the name; anywhere else the word was cut.
 * Lines are matched against the name with runs of whitespace collapsed.
 */
export function breaksWord(name: string, lines: string[]): boolean {
  const text = name.replace(/\s+/g, ' ').trim();
  let pos = 0;
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '') continue;
    while (text[pos] === ' ') pos++;
    if (!text.startsWith(line, pos)) {
      // A soft hyphen turned into '-' by the wrapper: treat as a cut (our names carry none).
      return true;
    }
    pos += line.length;
    if (pos < text.length && text[pos] !== ' ' && text[pos - 1] !== '-') return true;
  }
  return false;
}

export function judgeLegibility(d: DrawnDiagram): LegibilityReport {
  const report: LegibilityReport = { textOutside: [], textOnIcon: [], brokenWords: [], labelOverlaps: [] };
  for (const a of d.activities) {
    const lines = a.lines.filter((l) => l.text.trim() !== '');
    const text = unionOf(lines.map((l) => l.box));
    if (text && !within(text, a.bounds)) report.textOutside.push(a.id);
    if (lines.some((l) => a.icons.some((icon) => boxesIntersect(l.box, icon)))) report.textOnIcon.push(a.id);
    if (breaksWord(a.name, lines.map((l) => l.text))) report.brokenWords.push(a.id);
  }
  const labels = d.labels
    .map((l) => ({ ...l, lines: l.lines.filter((line) => line.text.trim() !== '') }))
    .filter((l) => l.lines.length > 0)
    .map((l) => ({ ...l, box: unionOf(l.lines.map((line) => line.box))! }));
  for (const label of labels) {
    if (breaksWord(label.name, label.lines.map((l) => l.text))) report.brokenWords.push(label.id);
    const hits = new Set<string>();
    for (const other of labels) {
      if (other !== label && other.lines.some((o) => label.lines.some((l) => boxesIntersect(l.box, o.box)))) hits.add(`label of ${other.id}`);
    }
    for (const node of d.nodes) {
      if (label.lines.some((l) => boxesIntersect(l.box, node.bounds))) hits.add(node.id);
    }
    for (const flow of d.flows) {
      const crosses = flow.waypoints.some((p, i) => i > 0 && label.lines.some((l) => segmentCrossesBox(flow.waypoints[i - 1], p, l.box)));
      if (crosses) hits.add(`path of ${flow.id}`);
    }
    if (hits.size > 0) report.labelOverlaps.push({ id: label.id, with: [...hits].sort() });
  }
  return report;
}

export function legibilityProblemCount(r: LegibilityReport): number {
  return r.textOutside.length + r.textOnIcon.length + r.brokenWords.length + r.labelOverlaps.length;
}

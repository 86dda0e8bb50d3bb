/**
 * Geometry check of a BPMN file's diagram interchange (works on any file, drawn by hand or generated):
 * - every participant, lane and flow node has a shape, every sequence flow an edge, every named
 *   event / gateway / flow a label with bounds;
 * - sizes: events 36x36, gateways 50x50, activities at least 100x80;
 * - lanes are horizontal, stacked without gap or overlap, and fill the pool;
 * - every flow node lies inside the lane that lists it; no two flow nodes overlap;
 * - edges are orthogonal, start on their source's border and end on their target's border, never
 *   cross a node, never run along another edge, and (warning) never run right to left;
 * - text as bpmn-js draws it, predicted with Arial's metrics (./text-layout.ts) and judged by
 *   ./legibility.ts like the browser test judges what Chromium drew: activity names whole, inside
 *   their box and clear of the icon; external labels clear of other labels, nodes and edges; labels
 *   inside the pool.
 */
import { moddle } from '../../src/definitions/moddle';
import { judgeLegibility, type DrawnDiagram } from './legibility';
import { activityIcons } from './render';
import { layoutActivityText, layoutLabelText } from './text-layout';
import type { NodeSpec } from './types';

export interface LayoutProblem {
  severity: 'error' | 'warning';
  element?: string;
  message: string;
}

export interface LayoutReport {
  problems: LayoutProblem[];
  /** Number of points where two edges cross (not an error; reported for information). */
  crossings: number;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Pt {
  x: number;
  y: number;
}


const EPS = 0.5;

function overlap1(a1: number, a2: number, b1: number, b2: number): number {
  return Math.min(Math.max(a1, a2), Math.max(b1, b2)) - Math.max(Math.min(a1, a2), Math.min(b1, b2));
}

function rectsIntersect(a: Rect, b: Rect): boolean {
  return overlap1(a.x, a.x + a.width, b.x, b.x + b.width) > EPS && overlap1(a.y, a.y + a.height, b.y, b.y + b.height) > EPS;
}

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x - EPS && inner.y >= outer.y - EPS && inner.x + inner.width <= outer.x + outer.width + EPS && inner.y + inner.height <= outer.y + outer.height + EPS;
}

/** Does the axis-aligned segment a-b pass through the open interior of r? */
function segmentHitsRect(a: Pt, b: Pt, r: Rect): boolean {
  if (a.x === b.x) {
    return a.x > r.x + EPS && a.x < r.x + r.width - EPS && overlap1(a.y, b.y, r.y, r.y + r.height) > EPS;
  }
  return a.y > r.y + EPS && a.y < r.y + r.height - EPS && overlap1(a.x, b.x, r.x, r.x + r.width) > EPS;
}

function onBorder(p: Pt, r: Rect): boolean {
  const withinX = p.x >= r.x - EPS && p.x <= r.x + r.width + EPS;
  const withinY = p.y >= r.y - EPS && p.y <= r.y + r.height + EPS;
  const onVertical = Math.abs(p.x - r.x) <= EPS || Math.abs(p.x - (r.x + r.width)) <= EPS;
  const onHorizontal = Math.abs(p.y - r.y) <= EPS || Math.abs(p.y - (r.y + r.height)) <= EPS;
  return (onVertical && withinY) || (onHorizontal && withinX);
}

function rect(bounds: any): Rect {
  return { x: Number(bounds.x), y: Number(bounds.y), width: Number(bounds.width), height: Number(bounds.height) };
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

const STANDARD_SIZES: [string, number, number][] = [
  ['bpmn:Task', 100, 80],
  ['bpmn:CallActivity', 100, 80],
  ['bpmn:Event', 36, 36],
  ['bpmn:Gateway', 50, 50],
];

/** A boundary event and the activity it is attached to overlap by design. */
function attachedPair(nodes: Map<string, any>, a: string, b: string): boolean {
  const na = nodes.get(a);
  const nb = nodes.get(b);
  return (na?.$type === 'bpmn:BoundaryEvent' && na.attachedToRef?.id === b) || (nb?.$type === 'bpmn:BoundaryEvent' && nb.attachedToRef?.id === a);
}

export async function checkLayout(xml: string): Promise<LayoutReport> {
  const { rootElement: definitions, warnings } = await moddle.fromXML(xml);
  const problems: LayoutProblem[] = warnings.map((w) => ({ severity: 'error' as const, message: `moddle: ${w.message}` }));
  const error = (element: string | undefined, message: string): void => {
    problems.push({ severity: 'error', element, message });
  };
  const warn = (element: string | undefined, message: string): void => {
    problems.push({ severity: 'warning', element, message });
  };

  const plane = list(definitions.diagrams)[0]?.plane;
  if (!plane) return { problems: [...problems, { severity: 'error', message: 'The file has no diagram (bpmndi:BPMNDiagram)' }], crossings: 0 };
  const shapes = new Map<string, any>();
  const edges = new Map<string, any>();
  for (const di of list(plane.planeElement)) {
    const id = di.bpmnElement?.id;
    if (!id) continue;
    if (di.$type === 'bpmndi:BPMNShape') shapes.set(id, di);
    if (di.$type === 'bpmndi:BPMNEdge') edges.set(id, di);
  }

  const processes = list(definitions.rootElements).filter((e) => e.$type === 'bpmn:Process');
  const participants = list(definitions.rootElements)
    .filter((e) => e.$type === 'bpmn:Collaboration')
    .flatMap((c) => list(c.participants));

  const labels: { owner: string; bounds: Rect }[] = [];
  const nodeRects = new Map<string, Rect>();
  const segments: { owner: string; a: Pt; b: Pt }[] = [];
  const poolRects: Rect[] = [];
  const drawn: DrawnDiagram = { activities: [], labels: [], nodes: [], flows: [] };

  for (const participant of participants) {
    const di = shapes.get(participant.id);
    if (!di) {
      error(participant.id, 'Participant has no shape');
      continue;
    }
    if (di.isHorizontal !== true) error(participant.id, 'Participant shape is not isHorizontal="true"');
    poolRects.push(rect(di.bounds));
  }

  for (const process of processes) {
    const participant = participants.find((p) => p.processRef === process);
    const pool = participant && shapes.get(participant.id) ? rect(shapes.get(participant.id).bounds) : undefined;

    // Lanes.
    const lanes = list(process.laneSets).flatMap((set) => list(set.lanes));
    const laneRects: { lane: any; r: Rect }[] = [];
    for (const lane of lanes) {
      const di = shapes.get(lane.id);
      if (!di) {
        error(lane.id, 'Lane has no shape');
        continue;
      }
      if (di.isHorizontal !== true) error(lane.id, 'Lane shape is not isHorizontal="true"');
      laneRects.push({ lane, r: rect(di.bounds) });
    }
    if (pool && laneRects.length > 0) {
      const sorted = [...laneRects].sort((a, b) => a.r.y - b.r.y);
      let y = pool.y;
      for (const { lane, r } of sorted) {
        if (Math.abs(r.y - y) > EPS) error(lane.id, `Lane starts at y=${r.y}, expected ${y} (lanes must stack without gaps or overlaps)`);
        if (Math.abs(r.x - (pool.x + 30)) > EPS || Math.abs(r.x + r.width - (pool.x + pool.width)) > EPS) {
          error(lane.id, 'Lane does not span the pool from its name band to its right edge');
        }
        y = r.y + r.height;
      }
      if (Math.abs(y - (pool.y + pool.height)) > EPS) error(participant.id, `Lanes end at y=${y}, the pool at ${pool.y + pool.height}`);
    }

    // Flow nodes.
    const flowElements = list(process.flowElements);
    const flowNodes = flowElements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
    for (const node of flowNodes) {
      const di = shapes.get(node.id);
      if (!di) {
        error(node.id, 'Flow node has no shape');
        continue;
      }
      const r = rect(di.bounds);
      nodeRects.set(node.id, r);
      for (const [type, width, height] of STANDARD_SIZES) {
        const activity = type === 'bpmn:Task' || type === 'bpmn:CallActivity';
        const wrong = activity ? r.width < width || r.height < height : r.width !== width || r.height !== height;
        if (node.$instanceOf(type) && wrong) warn(node.id, `Size ${r.width}x${r.height}, standard is ${activity ? 'at least ' : ''}${width}x${height}`);
      }
      const name = typeof node.name === 'string' ? node.name : '';
      if (node.$instanceOf('bpmn:Activity') && name) {
        const type = (node.$type.replace('bpmn:', '').replace(/^./, (c: string) => c.toLowerCase())) as NodeSpec['type'];
        drawn.activities.push({ id: node.id, name, bounds: r, lines: layoutActivityText(name, r), icons: activityIcons(type, r) });
      }
      drawn.nodes.push({ id: node.id, bounds: r });
      if ((node.$instanceOf('bpmn:Event') || node.$instanceOf('bpmn:Gateway')) && name && di.label?.bounds) {
        drawn.labels.push({ id: node.id, name, lines: layoutLabelText(name, rect(di.label.bounds)) });
      }
      const named = typeof node.name === 'string' && node.name.trim() !== '';
      if (node.$instanceOf('bpmn:Event') || node.$instanceOf('bpmn:Gateway')) {
        if (di.label?.bounds) labels.push({ owner: node.id, bounds: rect(di.label.bounds) });
        else if (named) error(node.id, 'Named event/gateway has no label bounds');
      }
      const laneEntries = laneRects.filter(({ lane }) => list(lane.flowNodeRef).includes(node));
      if (lanes.length > 0 && laneEntries.length === 0) error(node.id, 'Flow node is in no lane');
      for (const { lane, r: laneRect } of laneEntries) {
        if (!inside(r, laneRect)) error(node.id, `Shape lies outside its lane ${lane.id}`);
      }
      if (pool && !inside(r, pool)) error(node.id, 'Shape lies outside the pool');
    }
    const ids = [...nodeRects.keys()];
    const flowNodesById = new Map(flowNodes.map((n) => [n.id, n]));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        if (attachedPair(flowNodesById, ids[i], ids[j])) continue;
        if (rectsIntersect(nodeRects.get(ids[i])!, nodeRects.get(ids[j])!)) error(ids[i], `Shape overlaps ${ids[j]}`);
      }
    }

    // Sequence flows.
    for (const flow of flowElements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const di = edges.get(flow.id);
      if (!di) {
        error(flow.id, 'Sequence flow has no edge');
        continue;
      }
      const points: Pt[] = list(di.waypoint).map((p) => ({ x: Number(p.x), y: Number(p.y) }));
      if (points.length < 2) {
        error(flow.id, 'Edge has fewer than 2 waypoints');
        continue;
      }
      const source = nodeRects.get(flow.sourceRef?.id);
      const target = nodeRects.get(flow.targetRef?.id);
      if (source && !onBorder(points[0], source)) error(flow.id, `First waypoint (${points[0].x},${points[0].y}) is not on the border of ${flow.sourceRef.id}`);
      if (target && !onBorder(points[points.length - 1], target)) error(flow.id, `Last waypoint is not on the border of ${flow.targetRef.id}`);
      for (let k = 0; k + 1 < points.length; k++) {
        const a = points[k];
        const b = points[k + 1];
        if (a.x !== b.x && a.y !== b.y) error(flow.id, `Segment ${k + 1} (${a.x},${a.y})-(${b.x},${b.y}) is not orthogonal`);
        if (a.x === b.x && a.y === b.y) error(flow.id, `Segment ${k + 1} has zero length`);
        if (b.x < a.x - EPS) warn(flow.id, `Segment ${k + 1} runs right to left`);
        segments.push({ owner: flow.id, a, b });
        for (const [id, r] of nodeRects) {
          if (segmentHitsRect(a, b, r)) error(flow.id, `Segment ${k + 1} crosses ${id}`);
        }
      }
      const named = typeof flow.name === 'string' && flow.name.trim() !== '';
      drawn.flows.push({ id: flow.id, waypoints: points });
      if (named && di.label?.bounds) drawn.labels.push({ id: flow.id, name: flow.name, lines: layoutLabelText(flow.name, rect(di.label.bounds)) });
      if (di.label?.bounds) labels.push({ owner: flow.id, bounds: rect(di.label.bounds) });
      else if (named) error(flow.id, 'Named sequence flow has no label bounds');
    }
  }

  // Edges running along each other; crossings.
  let crossings = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const s = segments[i];
      const t = segments[j];
      if (s.owner === t.owner) continue;
      const sVertical = s.a.x === s.b.x;
      const tVertical = t.a.x === t.b.x;
      if (sVertical && tVertical && s.a.x === t.a.x && overlap1(s.a.y, s.b.y, t.a.y, t.b.y) > EPS) error(s.owner, `Edge runs along ${t.owner}`);
      if (!sVertical && !tVertical && s.a.y === t.a.y && overlap1(s.a.x, s.b.x, t.a.x, t.b.x) > EPS) error(s.owner, `Edge runs along ${t.owner}`);
      if (sVertical !== tVertical) {
        const v = sVertical ? s : t;
        const h = sVertical ? t : s;
        const x = v.a.x;
        const y = h.a.y;
        if (x > Math.min(h.a.x, h.b.x) + EPS && x < Math.max(h.a.x, h.b.x) - EPS && y > Math.min(v.a.y, v.b.y) + EPS && y < Math.max(v.a.y, v.b.y) - EPS) crossings++;
      }
    }
  }

  // Text as bpmn-js draws it.
  const legibility = judgeLegibility(drawn);
  for (const id of legibility.textOutside) error(id, 'Name runs outside the shape (bpmn-js, Arial 12px)');
  for (const id of legibility.textOnIcon) error(id, 'Name lies on the task icon or marker');
  for (const id of legibility.brokenWords) error(id, 'A word of the name is broken across lines');
  for (const o of legibility.labelOverlaps) error(o.id, `Label overlaps ${o.with.join(', ')}`);
  for (const label of labels) {
    if (poolRects.length > 0 && !poolRects.some((p) => inside(label.bounds, p))) error(label.owner, 'Label lies outside the pool');
  }

  return { problems, crossings };
}

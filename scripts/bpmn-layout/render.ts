/**
 * BPMN layout generator: DiagramSpec (./types.ts) -> BPMN 2.0 XML (Camunda 7 flavour) with complete DI.
 *
 * Geometry: one pool, lanes stacked top to bottom in spec order, each lane `rows` grid rows high.
 * A node sits with its centre on (column, row) of its lane. Events are 36x36, gateways 50x50; an
 * activity is the smallest box from 100x80 up in which bpmn-js draws its name whole (no word cut,
 * inside the box, clear of the task icon), predicted with Arial's metrics (./text-layout.ts); the
 * column pitch and the lane rows grow with the largest box. Flows are orthogonal polylines chosen by
 * `route`. External labels of events, gateways and named flows are sized to their wrapped text and
 * put at the first candidate place that touches no node, no flow and no label placed before them.
 */
import { breaksWord, boxesIntersect, segmentCrossesBox } from './legibility';
import { labelHeight, layoutActivityText, layoutLabelText, LABEL_FONT_SIZE, longestWordWidth, TASK_FONT_SIZE, textWidth } from './text-layout';
import type { Bounds, DiagramSpec, FlowSpec, FormFieldSpec, LaneSpec, LayoutOptions, NodeSpec, Point } from './types';

export const DEFAULT_LAYOUT: LayoutOptions = {
  poolX: 160,
  poolY: 60,
  poolHeaderWidth: 30,
  colWidth: 150,
  firstColOffset: 90,
  rightMargin: 90,
  laneTopOffset: 80,
  rowPitch: 140,
  laneBottomOffset: 90,
};

const SIZES: Record<NodeSpec['type'], { width: number; height: number }> = {
  startEvent: { width: 36, height: 36 },
  endEvent: { width: 36, height: 36 },
  userTask: { width: 100, height: 80 },
  serviceTask: { width: 100, height: 80 },
  exclusiveGateway: { width: 50, height: 50 },
  callActivity: { width: 100, height: 80 },
  boundaryEvent: { width: 36, height: 36 },
  intermediateCatchEvent: { width: 36, height: 36 },
};

const EVENT_TYPES = new Set<NodeSpec['type']>(['startEvent', 'endEvent', 'boundaryEvent', 'intermediateCatchEvent']);

const ACTIVITY_TYPES = new Set<NodeSpec['type']>(['userTask', 'serviceTask', 'callActivity']);

/** bpmn-js's default width of an external label; a label is never narrower. */
const LABEL_MIN_WIDTH = 90;
/** Wider labels (fewer lines) tried when the narrow one finds no free place. */
const LABEL_WIDTHS = [LABEL_MIN_WIDTH, 120, 150];
const LABEL_GAP = 5;
/** Clearance kept between a label and anything else. */
const CLEARANCE = 2;
/**
 * Activity boxes tried, width 100-200, height 80-160: smallest area first, a box taller than 4:5 of
 * its width counted larger (a tall narrow box of short lines reads worse than a wider one).
 */
const boxCost = (b: { width: number; height: number }): number => b.width * b.height * (1 + Math.max(0, b.height / b.width - 0.8));
const ACTIVITY_SIZES = [100, 120, 140, 160, 180, 200]
  .flatMap((width) => [80, 90, 100, 110, 120, 130, 140, 150, 160].map((height) => ({ width, height })))
  .sort((a, b) => boxCost(a) - boxCost(b) || a.width - b.width);
/** Space between neighbouring activities of one row and of stacked rows. */
const COLUMN_GAP = 50;
const ROW_GAP = 60;

/** Where bpmn-js draws the icon or marker of an activity (relative to its box), which text must not cover. */
export function activityIcons(type: NodeSpec['type'], box: Bounds): Bounds[] {
  if (type === 'userTask' || type === 'serviceTask') return [{ x: box.x + 3, y: box.y + 3, width: 21, height: 22 }];
  if (type === 'callActivity') return [{ x: box.x + box.width / 2 - 9, y: box.y + box.height - 22, width: 18, height: 18 }];
  return [];
}

/** Does the name, drawn in this box, stay whole, inside the box and clear of the icon? */
export function activityTextFits(type: NodeSpec['type'], name: string, box: Bounds): boolean {
  const lines = layoutActivityText(name, box);
  if (breaksWord(name, lines.map((l) => l.text))) return false;
  const icons = activityIcons(type, box);
  const maxWidth = box.width - 2 * 7;
  return lines.every((l, i) => {
    if (l.box.x < box.x + 2 || l.box.y < box.y + 2 || l.box.x + l.box.width > box.x + box.width - 2 || l.box.y + l.box.height > box.y + box.height - 2) return false;
    // Chromium's kerned lines are a little narrower than predicted, so a line may take the next word
    // along: the line beside an icon must leave room for that too.
    const next = lines[i + 1]?.text.trim().split(/\s+/)[0];
    const width = next ? Math.min(maxWidth, textWidth(`${l.text.trim()} ${next}`, TASK_FONT_SIZE)) : l.box.width;
    const widest = { ...l.box, x: box.x + box.width / 2 - width / 2, width };
    return !icons.some((icon) => boxesIntersect(widest, icon, 0));
  });
}

export function nodeSize(node: NodeSpec): { width: number; height: number } {
  if (!ACTIVITY_TYPES.has(node.type) || !node.name) return SIZES[node.type];
  const fitting = ACTIVITY_SIZES.find((size) => activityTextFits(node.type, node.name!, { x: 0, y: 0, ...size }));
  return fitting ?? ACTIVITY_SIZES[ACTIVITY_SIZES.length - 1];
}

/**
 * Size of an external label wrapped at about `width` (never narrower than its longest word). bpmn-js
 * wraps at the label's DI width, so the box is shrunk to its widest line as long as the lines stay.
 */
export function labelSize(text: string, width: number): { width: number; height: number } {
  // bpmn-js cuts a line back in proportion to its overflow counted in characters, which can cut a
  // long word even when it would fit: a width whose lines break a word is not taken.
  const lineWidths = (w: number): number[] | undefined => {
    const lines = layoutLabelText(text, { x: 0, y: 0, width: w, height: 0 });
    return breaksWord(text, lines.map((l) => l.text)) ? undefined : lines.map((l) => l.box.width);
  };
  let wrapAt = Math.max(width, Math.ceil(longestWordWidth(text, LABEL_FONT_SIZE)) + 1);
  let lines = lineWidths(wrapAt);
  while (!lines) lines = lineWidths(++wrapAt);
  for (;;) {
    const narrower = Math.ceil(Math.max(...lines)) + 2;
    if (narrower >= wrapAt) break;
    const again = lineWidths(narrower);
    if (!again || again.length !== lines.length) break;
    wrapAt = narrower;
    lines = again;
  }
  return { width: wrapAt, height: labelHeight(lines.length) };
}

export interface NodeGeometry {
  spec: NodeSpec;
  bounds: Bounds;
  label?: Bounds;
}

export interface FlowGeometry {
  spec: FlowSpec;
  waypoints: Point[];
  label?: Bounds;
}

export interface LaneGeometry {
  spec: LaneSpec;
  bounds: Bounds;
}

export interface Geometry {
  pool: Bounds;
  lanes: LaneGeometry[];
  nodes: Map<string, NodeGeometry>;
  flows: FlowGeometry[];
}

export function hasExternalLabel(node: NodeSpec): boolean {
  return EVENT_TYPES.has(node.type) || node.type === 'exclusiveGateway';
}

function validate(spec: DiagramSpec): void {
  const ids = new Set<string>();
  const add = (id: string): void => {
    if (ids.has(id)) throw new Error(`Duplicate id "${id}"`);
    ids.add(id);
  };
  add(spec.process.id);
  add(spec.collaboration.id);
  add(spec.collaboration.participant.id);
  spec.lanes.forEach((lane) => add(lane.id));
  spec.nodes.forEach((node) => add(node.id));
  spec.flows.forEach((flow) => add(flow.id));
  const laneIds = new Set(spec.lanes.map((lane) => lane.id));
  const nodeIds = new Set(spec.nodes.map((node) => node.id));
  for (const node of spec.nodes) {
    if (!laneIds.has(node.lane)) throw new Error(`Node "${node.id}" names unknown lane "${node.lane}"`);
    const lane = spec.lanes.find((l) => l.id === node.lane)!;
    if ((node.row ?? 0) >= (lane.rows ?? 1)) throw new Error(`Node "${node.id}" is in row ${node.row} but lane "${lane.id}" has ${lane.rows ?? 1} row(s)`);
  }
  for (const node of spec.nodes) {
    if (node.type === 'boundaryEvent') {
      const host = spec.nodes.find((n) => n.id === node.attachedTo);
      if (!host) throw new Error(`Boundary event "${node.id}" is attached to unknown node "${node.attachedTo}"`);
      if (!['userTask', 'serviceTask', 'callActivity'].includes(host.type)) throw new Error(`Boundary event "${node.id}" is attached to "${host.id}", which is not a task or call activity`);
      if (spec.flows.some((f) => f.target === node.id)) throw new Error(`Boundary event "${node.id}" must not have incoming flows`);
    }
    if (node.type === 'callActivity' && !node.calledElement) throw new Error(`Call activity "${node.id}" has no calledElement`);
    if (node.type === 'intermediateCatchEvent' && !node.timer) throw new Error(`Intermediate catch event "${node.id}" needs a timer`);
    if (node.timer) {
      const kinds = [node.timer.timeDuration, node.timer.timeDate, node.timer.timeLimit].filter((v) => v !== undefined);
      if (kinds.length !== 1) throw new Error(`Timer of "${node.id}" needs exactly one of timeDuration, timeDate, timeLimit`);
      if (node.timer.timeLimit !== undefined) throw new Error(`Timer of "${node.id}": timeLimit timers are not supported yet; use timeDuration (ISO 8601, e.g. P1M) or timeDate (e.g. \${testDate})`);
    }
  }
  for (const flow of spec.flows) {
    if (!nodeIds.has(flow.source)) throw new Error(`Flow "${flow.id}" has unknown source "${flow.source}"`);
    if (!nodeIds.has(flow.target)) throw new Error(`Flow "${flow.id}" has unknown target "${flow.target}"`);
  }
  for (const node of spec.nodes) {
    const defaults = spec.flows.filter((f) => f.source === node.id && f.default);
    if (defaults.length > 1) throw new Error(`Node "${node.id}" has ${defaults.length} default flows`);
    if (defaults.length === 1 && node.type !== 'exclusiveGateway') throw new Error(`Default flow "${defaults[0].id}" leaves "${node.id}", which is not a gateway`);
  }
}

export function computeGeometry(spec: DiagramSpec): Geometry {
  validate(spec);
  const sizes = new Map(spec.nodes.map((n) => [n.id, nodeSize(n)]));
  const widest = Math.max(...[...sizes.values()].map((sz) => sz.width));
  const tallest = Math.max(...[...sizes.values()].map((sz) => sz.height));
  const given: LayoutOptions = { ...DEFAULT_LAYOUT, ...spec.layout };
  // The grid grows with the largest activity so that neighbours keep their distance.
  const o: LayoutOptions = {
    ...given,
    colWidth: Math.max(given.colWidth, widest + COLUMN_GAP),
    laneTopOffset: Math.max(given.laneTopOffset, tallest / 2 + 40),
    rowPitch: Math.max(given.rowPitch, tallest + ROW_GAP),
    laneBottomOffset: Math.max(given.laneBottomOffset, tallest / 2 + 50),
  };
  const laneX = o.poolX + o.poolHeaderWidth;
  const maxCol = Math.max(...spec.nodes.map((n) => n.col));
  const laneWidth = o.firstColOffset + maxCol * o.colWidth + Math.max(o.rightMargin, widest / 2 + 40);
  const colX = (col: number): number => Math.round(laneX + o.firstColOffset + col * o.colWidth);

  const lanes: LaneGeometry[] = [];
  let y = o.poolY;
  for (const lane of spec.lanes) {
    const rows = lane.rows ?? 1;
    const height = o.laneTopOffset + (rows - 1) * o.rowPitch + o.laneBottomOffset;
    lanes.push({ spec: lane, bounds: { x: laneX, y, width: laneWidth, height } });
    y += height;
  }
  const pool: Bounds = { x: o.poolX, y: o.poolY, width: o.poolHeaderWidth + laneWidth, height: y - o.poolY };

  const nodes = new Map<string, NodeGeometry>();
  const ordered = [...spec.nodes.filter((n) => n.type !== 'boundaryEvent'), ...spec.nodes.filter((n) => n.type === 'boundaryEvent')];
  for (const node of ordered) {
    const lane = lanes.find((l) => l.spec.id === node.lane)!;
    const size = sizes.get(node.id)!;
    let cx = colX(node.col);
    let cy = lane.bounds.y + o.laneTopOffset + (node.row ?? 0) * o.rowPitch;
    if (node.type === 'boundaryEvent') {
      // Sits on the bottom border of its task, as bpmn-js draws attached events.
      const host = nodes.get(node.attachedTo!)!.bounds;
      cx = Math.round(host.x + host.width / 2 + (node.attachOffset ?? 0));
      cy = host.y + host.height;
    }
    const bounds: Bounds = { x: Math.round(cx - size.width / 2), y: Math.round(cy - size.height / 2), width: size.width, height: size.height };
    nodes.set(node.id, { spec: node, bounds });
  }

  // A boundary event sits a fixed number of px off its task's centre, which no longer matches a grid
  // column once the pitch grew: a node straight below it (route v) follows the event.
  for (const flow of spec.flows) {
    const source = nodes.get(flow.source)!;
    const target = nodes.get(flow.target)!;
    if (flow.route === 'v' && source.spec.type === 'boundaryEvent') {
      target.bounds.x = Math.round(source.bounds.x + source.bounds.width / 2 - target.bounds.width / 2);
    }
  }

  const flows: FlowGeometry[] = spec.flows.map((flow) => {
    const source = nodes.get(flow.source)!.bounds;
    const target = nodes.get(flow.target)!.bounds;
    const fromBoundary = spec.nodes.find((n) => n.id === flow.source)?.type === 'boundaryEvent';
    return { spec: flow, waypoints: route(flow, source, target, colX, fromBoundary) };
  });

  placeLabels(pool, lanes, nodes, flows);
  return { pool, lanes, nodes, flows };
}

/** What a label must keep clear of: every node, every flow segment, the labels placed so far. */
interface Obstacles {
  pool: Bounds;
  nodes: Bounds[];
  segments: [Point, Point][];
  labels: Bounds[];
}

function collisions(box: Bounds, o: Obstacles): number {
  const grown = { x: box.x - CLEARANCE, y: box.y - CLEARANCE, width: box.width + 2 * CLEARANCE, height: box.height + 2 * CLEARANCE };
  const outside = box.x < o.pool.x + 30 || box.y < o.pool.y || box.x + box.width > o.pool.x + o.pool.width || box.y + box.height > o.pool.y + o.pool.height;
  return (
    (outside ? 100 : 0) +
    o.nodes.filter((n) => boxesIntersect(grown, n, 0)).length +
    o.segments.filter(([a, b]) => segmentCrossesBox(a, b, grown, 0)).length +
    o.labels.filter((l) => boxesIntersect(grown, l, 0)).length
  );
}

/** The first free candidate, else the one that collides least (the check reports it). */
function bestPlace(candidates: Bounds[], o: Obstacles, laneOf: (b: Bounds) => boolean): Bounds {
  let best = candidates[0];
  let bestScore = Infinity;
  for (const c of candidates) {
    // Leaving the owner's lane is allowed but only when nothing inside it is free.
    const score = collisions(c, o) * 10 + (laneOf(c) ? 0 : 1);
    if (score === 0) return c;
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

function nodeLabelCandidates(node: NodeSpec, b: Bounds): Bounds[] {
  const c = centre(b);
  const order: NonNullable<NodeSpec['labelPosition']>[] = ['bottom', 'top', 'right', 'left'];
  const preferred = node.labelPosition ?? (node.type === 'boundaryEvent' ? 'right' : 'bottom');
  const sides = [preferred, ...order.filter((p) => p !== preferred)];
  const out: Bounds[] = [];
  for (const width of LABEL_WIDTHS) {
    const size = labelSize(node.name!, width);
    for (const extra of [0, 15, 30]) {
      for (const side of sides) {
        const gap = LABEL_GAP + extra;
        if (side === 'bottom') out.push({ x: Math.round(c.x - size.width / 2), y: b.y + b.height + gap, ...size });
        if (side === 'top') out.push({ x: Math.round(c.x - size.width / 2), y: b.y - gap - size.height, ...size });
        if (side === 'right') {
          out.push({ x: b.x + b.width + gap, y: node.type === 'boundaryEvent' ? c.y + LABEL_GAP : Math.round(c.y - size.height / 2), ...size });
          out.push({ x: b.x + b.width + gap, y: b.y + b.height + LABEL_GAP, ...size });
          out.push({ x: b.x + b.width + gap, y: b.y - LABEL_GAP - size.height, ...size });
        }
        if (side === 'left') {
          out.push({ x: b.x - gap - size.width, y: Math.round(c.y - size.height / 2), ...size });
          out.push({ x: b.x - gap - size.width, y: b.y + b.height + LABEL_GAP, ...size });
          out.push({ x: b.x - gap - size.width, y: b.y - LABEL_GAP - size.height, ...size });
        }
      }
    }
  }
  return out;
}

/** Beside each segment of the flow (first segment first), near its start, middle and end, on either side. */
function flowLabelCandidates(flow: FlowSpec, points: Point[]): Bounds[] {
  const out: Bounds[] = [];
  for (const width of LABEL_WIDTHS) {
    const size = labelSize(flow.name!, width);
    for (let i = 0; i + 1 < points.length; i++) {
      const [p, q] = [points[i], points[i + 1]];
      if (p.y === q.y) {
        const x1 = Math.min(p.x, q.x);
        const x2 = Math.max(p.x, q.x);
        const xs = [p.x < q.x ? x1 + LABEL_GAP : x2 - LABEL_GAP - size.width, Math.round((x1 + x2 - size.width) / 2), p.x < q.x ? x2 - LABEL_GAP - size.width : x1 + LABEL_GAP];
        const above = (x: number): Bounds => ({ x, y: p.y - LABEL_GAP - size.height, ...size });
        const below = (x: number): Bounds => ({ x, y: p.y + LABEL_GAP, ...size });
        const sides = i === 0 && flow.labelSide === 'below' ? [below, above] : [above, below];
        for (const x of xs) for (const side of sides) out.push(side(x));
      } else {
        const y1 = Math.min(p.y, q.y);
        const y2 = Math.max(p.y, q.y);
        const ys = [q.y < p.y ? y2 - LABEL_GAP - size.height : y1 + LABEL_GAP, Math.round((y1 + y2 - size.height) / 2), q.y < p.y ? y1 + LABEL_GAP : y2 - LABEL_GAP - size.height];
        const left = (y: number): Bounds => ({ x: p.x - LABEL_GAP - size.width, y, ...size });
        const right = (y: number): Bounds => ({ x: p.x + LABEL_GAP, y, ...size });
        const sides = i === 0 && flow.labelSide === 'right' ? [right, left] : i === 0 && flow.labelSide === 'left' ? [left, right] : [right, left];
        for (const y of ys) for (const side of sides) out.push(side(y));
      }
    }
  }
  return out;
}

function placeLabels(pool: Bounds, lanes: LaneGeometry[], nodes: Map<string, NodeGeometry>, flows: FlowGeometry[]): void {
  const o: Obstacles = {
    pool,
    nodes: [...nodes.values()].map((n) => n.bounds),
    segments: flows.flatMap((f) => f.waypoints.slice(1).map((q, i): [Point, Point] => [f.waypoints[i], q])),
    labels: [],
  };
  const inLane = (laneId: string | undefined) => (b: Bounds): boolean => {
    const lane = lanes.find((l) => l.spec.id === laneId)?.bounds;
    return !lane || (b.y >= lane.y && b.y + b.height <= lane.y + lane.height);
  };
  for (const node of nodes.values()) {
    if (!hasExternalLabel(node.spec) || !node.spec.name) continue;
    node.label = bestPlace(nodeLabelCandidates(node.spec, node.bounds), o, inLane(node.spec.lane));
    o.labels.push(node.label);
  }
  for (const flow of flows) {
    if (!flow.spec.name) continue;
    const sourceLane = nodes.get(flow.spec.source)?.spec.lane;
    flow.label = bestPlace(flowLabelCandidates(flow.spec, flow.waypoints), o, inLane(sourceLane));
    o.labels.push(flow.label);
  }
}

function centre(b: Bounds): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

function route(flow: FlowSpec, s: Bounds, t: Bounds, colX: (col: number) => number, fromBoundary = false): Point[] {
  const sc = centre(s);
  const tc = centre(t);
  // A boundary event's flow leaves downwards (away from its task), like a gateway's branch.
  const sourceIsGateway = (s.width === 50 && s.height === 50) || fromBoundary;
  let kind = flow.route ?? 'auto';
  if (kind === 'auto') {
    if (sc.y === tc.y) kind = 'h';
    else if (sc.x === tc.x) kind = 'v';
    else kind = sourceIsGateway ? 'vh' : 'hv';
  }
  const up = tc.y < sc.y;
  switch (kind) {
    case 'h':
      if (sc.y !== tc.y) throw new Error(`Flow "${flow.id}": route h needs source and target on one line`);
      return [
        { x: s.x + s.width, y: sc.y },
        { x: t.x, y: tc.y },
      ];
    case 'v':
      if (sc.x !== tc.x) throw new Error(`Flow "${flow.id}": route v needs the target straight above or below`);
      return up
        ? [
            { x: sc.x, y: s.y },
            { x: tc.x, y: t.y + t.height },
          ]
        : [
            { x: sc.x, y: s.y + s.height },
            { x: tc.x, y: t.y },
          ];
    case 'hv':
      return [
        { x: s.x + s.width, y: sc.y },
        { x: tc.x, y: sc.y },
        { x: tc.x, y: up ? t.y + t.height : t.y },
      ];
    case 'vh':
      return [
        { x: sc.x, y: up ? s.y : s.y + s.height },
        { x: sc.x, y: tc.y },
        { x: t.x, y: tc.y },
      ];
    case 'hvh': {
      const mx = flow.midCol !== undefined ? colX(flow.midCol) : Math.round((s.x + s.width + t.x) / 2);
      return [
        { x: s.x + s.width, y: sc.y },
        { x: mx, y: sc.y },
        { x: mx, y: tc.y },
        { x: t.x, y: tc.y },
      ];
    }
    default:
      throw new Error(`Flow "${flow.id}": unknown route "${String(kind)}"`);
  }
}

// XML ////////////////////////////////////////////////////////////////////////////////////////////

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrs(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
}

function documentation(text: string | undefined, indent: string): string[] {
  return text ? [`${indent}<bpmn:documentation>${esc(text)}</bpmn:documentation>`] : [];
}

function formField(field: FormFieldSpec, indent: string): string[] {
  const constraints: { name: string; config?: string }[] = [];
  if (field.required) constraints.push({ name: 'required' });
  if (field.pattern !== undefined) constraints.push({ name: 'pattern', config: field.pattern });
  if (field.iinBin !== undefined) constraints.push({ name: 'iin-bin', config: field.iinBin === 'iin-or-bin' ? undefined : field.iinBin });
  for (const name of ['minlength', 'maxlength', 'min', 'max'] as const) {
    if (field[name] !== undefined) constraints.push({ name, config: String(field[name]) });
  }
  const head = `${indent}<camunda:formField${attrs({ id: field.id, label: field.label, type: field.type, defaultValue: field.defaultValue })}`;
  const body: string[] = [];
  // Form field properties (Camunda writes them with id and value), in the order the host reads them.
  const properties: [string, string][] = [];
  if (field.multiline) properties.push(['multiline', 'true']);
  if (field.choices !== undefined) properties.push(['choices', field.choices]);
  if (field.requiredIf !== undefined) properties.push(['requiredIf', field.requiredIf]);
  if (properties.length > 0) {
    body.push(`${indent}  <camunda:properties>`);
    for (const [id, value] of properties) body.push(`${indent}    <camunda:property${attrs({ id, value })} />`);
    body.push(`${indent}  </camunda:properties>`);
  }
  if (constraints.length > 0) {
    body.push(`${indent}  <camunda:validation>`);
    for (const c of constraints) body.push(`${indent}    <camunda:constraint${attrs({ name: c.name, config: c.config })} />`);
    body.push(`${indent}  </camunda:validation>`);
  }
  for (const value of field.values ?? []) body.push(`${indent}  <camunda:value${attrs({ id: value.id, name: value.name })} />`);
  return body.length === 0 ? [`${head} />`] : [`${head}>`, ...body, `${indent}</camunda:formField>`];
}

function errorId(code: string): string {
  return `Error_${code.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

function timerDefinition(timer: NonNullable<NodeSpec['timer']>, indent: string): string[] {
  const [kind, value] = timer.timeDuration !== undefined ? ['timeDuration', timer.timeDuration] : ['timeDate', timer.timeDate!];
  return [
    `${indent}<bpmn:timerEventDefinition>`,
    `${indent}  <bpmn:${kind} xsi:type="bpmn:tFormalExpression">${esc(value)}</bpmn:${kind}>`,
    `${indent}</bpmn:timerEventDefinition>`,
  ];
}

function extensionElements(properties: [string, string][], fields: FormFieldSpec[] | undefined, indent: string, inputs?: NodeSpec['inputs']): string[] {
  if (properties.length === 0 && !fields?.length && !inputs?.length) return [];
  const lines = [`${indent}<bpmn:extensionElements>`];
  for (const input of inputs ?? []) lines.push(`${indent}  <camunda:in${attrs({ source: input.source, sourceExpression: input.sourceExpression, target: input.target })} />`);
  if (properties.length > 0) {
    lines.push(`${indent}  <camunda:properties>`);
    for (const [name, value] of properties) lines.push(`${indent}    <camunda:property${attrs({ name, value })} />`);
    lines.push(`${indent}  </camunda:properties>`);
  }
  if (fields?.length) {
    lines.push(`${indent}  <camunda:formData>`);
    for (const field of fields) lines.push(...formField(field, `${indent}    `));
    lines.push(`${indent}  </camunda:formData>`);
  }
  lines.push(`${indent}</bpmn:extensionElements>`);
  return lines;
}

function boundsXml(b: Bounds): string {
  return `<dc:Bounds${attrs({ x: b.x, y: b.y, width: b.width, height: b.height })} />`;
}

export function renderBpmn(spec: DiagramSpec): string {
  const g = computeGeometry(spec);
  const lanesById = new Map(spec.lanes.map((lane) => [lane.id, lane]));
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:modeler="http://camunda.org/schema/modeler/1.0"${attrs({
      id: spec.definitionsId ?? `Definitions_${spec.process.id}`,
      targetNamespace: spec.targetNamespace ?? 'http://reglament.kz/bpmn',
      exporter: spec.exporter ?? 'Camunda Modeler',
      exporterVersion: spec.exporterVersion ?? '5.x',
      'modeler:executionPlatform': 'Camunda Platform',
      'modeler:executionPlatformVersion': '7.21.0',
    })}>`,
  );

  const errorCodes = [...new Set(spec.nodes.filter((n) => n.errorCode).map((n) => n.errorCode!))].sort();
  const participant = spec.collaboration.participant;
  out.push(`  <bpmn:collaboration${attrs({ id: spec.collaboration.id })}>`);
  out.push(`    <bpmn:participant${attrs({ id: participant.id, name: participant.name, processRef: spec.process.id })}>`);
  out.push(...documentation(participant.documentation, '      '));
  out.push('    </bpmn:participant>');
  out.push('  </bpmn:collaboration>');

  for (const code of errorCodes) out.push(`  <bpmn:error${attrs({ id: errorId(code), name: code, errorCode: code })} />`);
  out.push(
    `  <bpmn:process${attrs({
      id: spec.process.id,
      name: spec.process.name,
      isExecutable: spec.process.isExecutable ?? true,
      'camunda:isStartableInTasklist': spec.process.isStartableInTasklist,
      'camunda:candidateStarterGroups': spec.process.candidateStarterGroups,
    })}>`,
  );
  out.push(...documentation(spec.process.documentation, '    '));
  out.push(...extensionElements(Object.entries(spec.process.properties ?? {}), undefined, '    '));
  out.push(`    <bpmn:laneSet${attrs({ id: `LaneSet_${spec.process.id}` })}>`);
  for (const lane of spec.lanes) {
    out.push(`      <bpmn:lane${attrs({ id: lane.id, name: lane.name })}>`);
    out.push(...documentation(lane.documentation, '        '));
    out.push(...extensionElements(lane.group ? [['group', lane.group]] : [], undefined, '        '));
    for (const node of spec.nodes.filter((n) => n.lane === lane.id)) out.push(`        <bpmn:flowNodeRef>${esc(node.id)}</bpmn:flowNodeRef>`);
    out.push('      </bpmn:lane>');
  }
  out.push('    </bpmn:laneSet>');

  for (const node of spec.nodes) {
    const incoming = spec.flows.filter((f) => f.target === node.id).map((f) => f.id);
    const outgoing = spec.flows.filter((f) => f.source === node.id).map((f) => f.id);
    const defaultFlow = spec.flows.find((f) => f.source === node.id && f.default)?.id;
    const head: Record<string, string | undefined> = { id: node.id, name: node.name };
    const properties: [string, string][] = [];
    if (node.type === 'userTask') {
      head['camunda:assignee'] = node.assignee;
      head['camunda:candidateGroups'] = node.candidateGroups ?? lanesById.get(node.lane)?.group;
      if (node.timeLimit !== undefined) properties.push(['timeLimit', node.timeLimit]);
    }
    if (node.type === 'serviceTask' && node.topic) {
      head['camunda:type'] = 'external';
      head['camunda:topic'] = node.topic;
    }
    if (node.type === 'exclusiveGateway') head.default = defaultFlow;
    if (node.type === 'callActivity') head.calledElement = node.calledElement;
    if (node.type === 'boundaryEvent') {
      head.cancelActivity = node.cancelActivity === false ? 'false' : undefined;
      head.attachedToRef = node.attachedTo;
    }
    for (const [name, value] of Object.entries(node.properties ?? {})) properties.push([name, value]);
    out.push(`    <bpmn:${node.type}${attrs(head)}>`);
    out.push(...documentation(node.documentation, '      '));
    out.push(...extensionElements(properties, node.formFields, '      ', node.inputs));
    for (const id of incoming) out.push(`      <bpmn:incoming>${esc(id)}</bpmn:incoming>`);
    for (const id of outgoing) out.push(`      <bpmn:outgoing>${esc(id)}</bpmn:outgoing>`);
    if (node.timer) out.push(...timerDefinition(node.timer, '      '));
    else if (node.type === 'boundaryEvent' || (node.type === 'endEvent' && node.errorCode)) {
      out.push(`      <bpmn:errorEventDefinition${attrs({ id: `${node.id}_error`, errorRef: node.errorCode ? errorId(node.errorCode) : undefined })} />`);
    }
    out.push(`    </bpmn:${node.type}>`);
  }

  for (const flow of spec.flows) {
    const head = `    <bpmn:sequenceFlow${attrs({ id: flow.id, name: flow.name, sourceRef: flow.source, targetRef: flow.target })}`;
    const body = [...documentation(flow.documentation, '      ')];
    if (flow.condition !== undefined) {
      if (flow.default) throw new Error(`Flow "${flow.id}" is a default flow and must not carry a condition`);
      body.push(`      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(flow.condition)}</bpmn:conditionExpression>`);
    }
    out.push(...(body.length === 0 ? [`${head} />`] : [`${head}>`, ...body, '    </bpmn:sequenceFlow>']));
  }
  out.push('  </bpmn:process>');

  out.push(`  <bpmndi:BPMNDiagram${attrs({ id: `BPMNDiagram_${spec.process.id}` })}>`);
  out.push(`    <bpmndi:BPMNPlane${attrs({ id: `BPMNPlane_${spec.process.id}`, bpmnElement: spec.collaboration.id })}>`);
  out.push(`      <bpmndi:BPMNShape${attrs({ id: `${participant.id}_di`, bpmnElement: participant.id, isHorizontal: true })}>`);
  out.push(`        ${boundsXml(g.pool)}`);
  out.push('      </bpmndi:BPMNShape>');
  for (const lane of g.lanes) {
    out.push(`      <bpmndi:BPMNShape${attrs({ id: `${lane.spec.id}_di`, bpmnElement: lane.spec.id, isHorizontal: true })}>`);
    out.push(`        ${boundsXml(lane.bounds)}`);
    out.push('      </bpmndi:BPMNShape>');
  }
  for (const node of spec.nodes) {
    const geometry = g.nodes.get(node.id)!;
    const extra = node.type === 'exclusiveGateway' ? { isMarkerVisible: true } : {};
    // bpmn-js expects attached events after their host; ordering of shapes in the plane is free otherwise.
    out.push(`      <bpmndi:BPMNShape${attrs({ id: `${node.id}_di`, bpmnElement: node.id, ...extra })}>`);
    out.push(`        ${boundsXml(geometry.bounds)}`);
    if (geometry.label) {
      out.push('        <bpmndi:BPMNLabel>');
      out.push(`          ${boundsXml(geometry.label)}`);
      out.push('        </bpmndi:BPMNLabel>');
    }
    out.push('      </bpmndi:BPMNShape>');
  }
  for (const flow of g.flows) {
    out.push(`      <bpmndi:BPMNEdge${attrs({ id: `${flow.spec.id}_di`, bpmnElement: flow.spec.id })}>`);
    for (const p of flow.waypoints) out.push(`        <di:waypoint${attrs({ x: p.x, y: p.y })} />`);
    if (flow.label) {
      out.push('        <bpmndi:BPMNLabel>');
      out.push(`          ${boundsXml(flow.label)}`);
      out.push('        </bpmndi:BPMNLabel>');
    }
    out.push('      </bpmndi:BPMNEdge>');
  }
  out.push('    </bpmndi:BPMNPlane>');
  out.push('  </bpmndi:BPMNDiagram>');
  out.push('</bpmn:definitions>');
  return `${out.join('\n')}\n`;
}

/**
 * bpmnlint's `no-overlapping-elements` (recommended, warn) with the same reports, found by sorting and
 * sweeping instead of comparing every pair of shapes. bpmnlint's version compares all pairs of a
 * process's elements with map look-ups for each: a 4.5 MB diagram (about 20,000 flow elements) kept
 * the event loop busy for 110 s. The resolver (./resolver.ts) answers this rule name with this
 * module, so configurations and reports keep bpmnlint's rule name.
 *
 * What it reports, as bpmnlint 11 does: two shapes of one list (the participants of a collaboration,
 * the flow elements of a process or sub-process) that touch or overlap, unless one is a boundary
 * event attached to the other; and a flow element outside its pool or expanded sub-process (data
 * store references excepted). Shapes without complete numeric bounds are skipped.
 *
 * Cost: sorting by left edge, then for each shape only the shapes whose left edge lies within its
 * width. Shapes laid out side by side (any real diagram) make that linear after the sort; shapes all
 * stacked in one column are still pairwise, bounded by the document size limit (parse.ts) and cheap
 * per pair (numbers in arrays).
 */
import { is, list } from '../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from './types';

interface Box {
  element: ModdleElement;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function isValidBounds(bounds: ModdleElement | undefined): boolean {
  return (
    !!bounds &&
    is(bounds, 'dc:Bounds') &&
    typeof bounds.x === 'number' &&
    typeof bounds.y === 'number' &&
    typeof bounds.width === 'number' &&
    typeof bounds.height === 'number'
  );
}

/** Every diagram element by the model element it draws (the last one wins, as in bpmnlint). */
function diObjectsOf(definitions: ModdleElement): Map<ModdleElement, ModdleElement> {
  const diObjects = new Map<ModdleElement, ModdleElement>();
  for (const diagram of list(definitions.diagrams)) {
    const plane = diagram.plane as ModdleElement | undefined;
    if (!plane) continue;
    for (const planeElement of list(plane.planeElement)) {
      if (planeElement.bpmnElement) diObjects.set(planeElement.bpmnElement as ModdleElement, planeElement);
    }
  }
  return diObjects;
}

/** Adds to `found` every element of the list whose shape touches or overlaps another's. */
function markOverlaps(elements: ModdleElement[], found: Set<ModdleElement>, diObjects: Map<ModdleElement, ModdleElement>): void {
  const boxes: Box[] = [];
  for (const element of elements) {
    const bounds = diObjects.get(element)?.bounds as ModdleElement | undefined;
    if (!isValidBounds(bounds)) continue;
    const box = { element, x1: bounds!.x, y1: bounds!.y, x2: bounds!.x + bounds!.width, y2: bounds!.y + bounds!.height };
    // A NaN edge fails every comparison: such a shape never collides (in bpmnlint either).
    if ([box.x1, box.y1, box.x2, box.y2].some(Number.isNaN)) continue;
    boxes.push(box);
  }
  boxes.sort((a, b) => a.x1 - b.x1);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    // Sorted by left edge: once a shape starts right of a's right edge, so do all after it.
    for (let j = i + 1; j < boxes.length && boxes[j].x1 <= a.x2; j++) {
      const b = boxes[j];
      // A negative width can put b's right edge left of a's left edge.
      if (b.x2 < a.x1 || a.y2 < b.y1 || b.y2 < a.y1) continue;
      if (a.element.attachedToRef === b.element || b.element.attachedToRef === a.element) continue;
      found.add(a.element);
      found.add(b.element);
    }
  }
}

function isOutside(child: ModdleElement | undefined, parent: ModdleElement | undefined): boolean {
  if (!isValidBounds(child) || !isValidBounds(parent)) return false;
  const inside =
    child!.x >= parent!.x &&
    child!.y >= parent!.y &&
    child!.x + child!.width <= parent!.x + parent!.width &&
    child!.y + child!.height <= parent!.y + parent!.height;
  return !inside;
}

function checkProcess(
  container: ModdleElement,
  overlapping: Set<ModdleElement>,
  outside: Set<ModdleElement>,
  diObjects: Map<ModdleElement, ModdleElement>,
  parentDi: ModdleElement | undefined,
): void {
  const flowElements = list(container.flowElements);
  const withDi = flowElements.filter((element) => diObjects.has(element));
  markOverlaps(withDi, overlapping, diObjects);
  for (const element of withDi) {
    // Data objects have no shape; data store references may lie outside for historical reasons.
    if (!is(element, 'bpmn:DataStoreReference') && isOutside(diObjects.get(element)!.bounds, parentDi?.bounds)) outside.add(element);
  }
  for (const subProcess of flowElements.filter((element) => is(element, 'bpmn:SubProcess'))) {
    const di = diObjects.get(subProcess);
    checkProcess(subProcess, overlapping, outside, diObjects, di?.isExpanded ? di : undefined);
  }
}

function noOverlappingElements(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:Definitions')) return;
    const rootElements = list(node.rootElements);
    const overlapping = new Set<ModdleElement>();
    const outside = new Set<ModdleElement>();
    const diObjects = diObjectsOf(node);
    const poolOf = new Map<ModdleElement, ModdleElement | undefined>();
    for (const collaboration of rootElements.filter((element) => is(element, 'bpmn:Collaboration'))) {
      const participants = list(collaboration.participants);
      markOverlaps(participants, overlapping, diObjects);
      for (const participant of participants) poolOf.set(participant.processRef as ModdleElement, diObjects.get(participant));
    }
    for (const process of rootElements.filter((element) => is(element, 'bpmn:Process'))) {
      checkProcess(process, overlapping, outside, diObjects, poolOf.get(process));
    }
    for (const element of overlapping) reporter.report(element.id, 'Element overlaps with other element');
    for (const element of outside) reporter.report(element.id, 'Element is outside of parent boundary');
  }
  return { meta: { documentation: { url: 'https://github.com/bpmn-io/bpmnlint/blob/main/docs/rules/no-overlapping-elements.md' } }, check };
}

export = noOverlappingElements;

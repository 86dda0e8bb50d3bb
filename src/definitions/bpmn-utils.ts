/**
 * Small helpers over the moddle tree shared by the process model and the lint rules.
 */
import type { ModdleElement } from './parse';

/** `element` is of `type` or a subtype (moddle's `$instanceOf`). */
export function is(element: ModdleElement | undefined | null, type: string): boolean {
  if (!element) return false;
  if (typeof element.$instanceOf === 'function') return element.$instanceOf(type) as boolean;
  return element.$type === type;
}

export function isAny(element: ModdleElement | undefined | null, types: string[]): boolean {
  return types.some((type) => is(element, type));
}

/** A possibly absent moddle collection as an array. */
export function list(value: unknown): ModdleElement[] {
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

/** Camunda extension attribute (e.g. `candidateGroups`) of an element, as a string or undefined. */
export function camundaAttr(element: ModdleElement, name: string): string | undefined {
  const value = typeof element.get === 'function' ? element.get(`camunda:${name}`) : element[name];
  return typeof value === 'string' ? value : undefined;
}

/** Elements of the given type inside `bpmn:extensionElements`. */
export function extensionsOf(element: ModdleElement, type: string): ModdleElement[] {
  const extensionElements = element.extensionElements as ModdleElement | undefined;
  return list(extensionElements?.values).filter((value) => is(value, type));
}

/** Every `camunda:property` of the element's `camunda:properties` (in document order). */
export function camundaProperties(element: ModdleElement): { name?: string; value?: string }[] {
  return extensionsOf(element, 'camunda:Properties').flatMap((properties) =>
    list(properties.values).map((property) => ({ name: property.name as string | undefined, value: property.value as string | undefined })),
  );
}

/** Values of the `camunda:property` entries called `name`. */
export function camundaPropertyValues(element: ModdleElement, name: string): (string | undefined)[] {
  return camundaProperties(element)
    .filter((property) => property.name === name)
    .map((property) => property.value);
}

/** The `camunda:formField` elements of the element's `camunda:formData`. */
export function formFieldsOf(element: ModdleElement): ModdleElement[] {
  return extensionsOf(element, 'camunda:FormData').flatMap((formData) => list(formData.fields));
}

/** Splits a comma-separated Camunda list (`candidateGroups`, `candidateUsers`), trimmed, empty entries dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Who may start a process, as its Camunda attributes say (Camunda Modeler, process properties:
 * "Startable" = `camunda:isStartableInTasklist`, "Candidate starter groups / users" =
 * `camunda:candidateStarterGroups` / `camunda:candidateStarterUsers`). An absent
 * `isStartableInTasklist` reads as true, Camunda's default.
 */
export function startersOf(process: ModdleElement): { startableInTasklist: boolean; groups: string[]; users: string[] } {
  const startable = typeof process.get === 'function' ? process.get('camunda:isStartableInTasklist') : process.isStartableInTasklist;
  return {
    startableInTasklist: startable !== false,
    groups: splitList(camundaAttr(process, 'candidateStarterGroups')),
    users: splitList(camundaAttr(process, 'candidateStarterUsers')),
  };
}

/** Text of the element's `bpmn:documentation` entries, joined by blank lines; undefined when there is none. */
export function documentationOf(element: ModdleElement): string | undefined {
  const texts = list(element.documentation)
    .map((doc) => (typeof doc.text === 'string' ? doc.text.trim() : ''))
    .filter((text) => text.length > 0);
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

/** The processes of a file that have `isExecutable="true"`. */
export function executableProcesses(definitions: ModdleElement): (ModdleElement & { id: string })[] {
  return list(definitions?.rootElements).filter(
    (element): element is ModdleElement & { id: string } => is(element, 'bpmn:Process') && element.isExecutable === true && typeof element.id === 'string',
  );
}

/** The nearest enclosing `bpmn:Process` of an element. */
export function processOf(element: ModdleElement): ModdleElement | undefined {
  let current: ModdleElement | undefined = element.$parent;
  while (current && !is(current, 'bpmn:Process')) current = current.$parent;
  return current;
}

/** Every lane of a process, including nested lanes (child lane sets), parents before children. */
export function lanesOf(process: ModdleElement): ModdleElement[] {
  const result: ModdleElement[] = [];
  const visit = (laneSet: ModdleElement | undefined): void => {
    for (const lane of list(laneSet?.lanes)) {
      result.push(lane);
      visit(lane.childLaneSet as ModdleElement | undefined);
    }
  };
  for (const laneSet of list(process.laneSets)) visit(laneSet);
  return result;
}

/** Depth of a lane in the lane tree (top-level lanes are 0). */
function laneDepth(lane: ModdleElement): number {
  let depth = 0;
  let current: ModdleElement | undefined = lane.$parent;
  while (current && !is(current, 'bpmn:Process')) {
    if (is(current, 'bpmn:Lane')) depth++;
    current = current.$parent;
  }
  return depth;
}

/**
 * The lane a flow node sits in: the innermost lane whose `flowNodeRef` lists it, or, for a node inside
 * a sub-process (modelers list only the sub-process itself in the lane), the lane of the nearest
 * enclosing sub-process.
 */
export function laneOf(node: ModdleElement, lanes: ModdleElement[] = laneCandidates(node)): ModdleElement | undefined {
  let current: ModdleElement | undefined = node;
  while (current && !is(current, 'bpmn:Process')) {
    const target: ModdleElement = current;
    const containing = lanes.filter((lane) => list(lane.flowNodeRef).includes(target));
    if (containing.length > 0) return containing.reduce((best, lane) => (laneDepth(lane) > laneDepth(best) ? lane : best));
    current = current.$parent;
  }
  return undefined;
}

function laneCandidates(node: ModdleElement): ModdleElement[] {
  const process = processOf(node);
  return process ? lanesOf(process) : [];
}

/** The candidate group a lane stands for: its `camunda:property name="group"`, if any. */
export function laneGroup(lane: ModdleElement): string | undefined {
  const value = camundaPropertyValues(lane, 'group').find((v) => typeof v === 'string' && v.trim() !== '');
  return value?.trim();
}

/** Every flow element of a container, depth first, including those inside (event) sub-processes. */
export function allFlowElements(container: ModdleElement): ModdleElement[] {
  const result: ModdleElement[] = [];
  for (const element of list(container.flowElements)) {
    result.push(element);
    if (is(element, 'bpmn:SubProcess')) result.push(...allFlowElements(element));
  }
  return result;
}

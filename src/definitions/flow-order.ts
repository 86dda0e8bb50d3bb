/**
 * The order in which a reader of the diagram meets its user tasks: breadth first from the start
 * events along the sequence flows (a sub-process is entered at its own start; a boundary event
 * follows the activity it is attached to), so a report lists the steps as the process runs them,
 * not alphabetically. Tasks no flow reaches (event sub-processes) follow in document order.
 */
import { allFlowElements, executableProcesses, is, list } from './bpmn-utils';
import type { ModdleElement } from './parse';

export function userTaskOrder(definitions: ModdleElement): string[] {
  const process = executableProcesses(definitions)[0];
  if (!process) return [];
  const elements = allFlowElements(process);
  const boundaries = new Map<string, ModdleElement[]>();
  for (const element of elements) {
    const host = is(element, 'bpmn:BoundaryEvent') ? (element.attachedToRef as ModdleElement | undefined) : undefined;
    if (host && typeof host.id === 'string') boundaries.set(host.id, [...(boundaries.get(host.id) ?? []), element]);
  }
  const starts = (container: ModdleElement) => list(container.flowElements).filter((e) => is(e, 'bpmn:StartEvent'));
  const order: string[] = [];
  const seen = new Set<string>();
  const queue: ModdleElement[] = [...starts(process)];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const id = String(node.id);
    if (seen.has(id)) continue;
    seen.add(id);
    if (is(node, 'bpmn:UserTask')) order.push(id);
    // Event sub-processes start on their own trigger, not from the flow: they come at the end.
    if (is(node, 'bpmn:SubProcess') && !node.triggeredByEvent) queue.push(...starts(node));
    queue.push(...(boundaries.get(id) ?? []));
    for (const flow of list(node.outgoing)) if (flow.targetRef) queue.push(flow.targetRef as ModdleElement);
  }
  for (const element of elements) if (is(element, 'bpmn:UserTask') && !seen.has(String(element.id))) order.push(String(element.id));
  return order;
}

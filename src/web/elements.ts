import type { ModdleElement } from './diagram';

/** What a reader asks of a diagram element: its name, meaning, legal source, limit, group, handler, called process. */
export interface ElementInfo {
  id: string;
  type: string;
  name?: string;
  meaning?: string;
  source?: string;
  timeLimit?: string;
  candidateGroups: string[];
  handler?: string;
  calledElement?: string;
  /** A timer event's value as the diagram writes it (an ISO 8601 duration such as P1M, a cycle or a date). */
  timer?: string;
}

function extensions(bo: ModdleElement, type: string): ModdleElement[] {
  return (bo?.extensionElements?.values ?? []).filter((v: ModdleElement) => v.$type === type);
}

export function camundaProperty(bo: ModdleElement, name: string): string | undefined {
  for (const props of extensions(bo, 'camunda:Properties')) {
    for (const p of props.values ?? []) if (p.name === name && typeof p.value === 'string') return p.value;
  }
  return undefined;
}

/** Splits documentation into its meaning and the legal source ("Source: <seed>, pt. N, lines a-b"). */
export function splitDocumentation(text: string | undefined): { meaning?: string; source?: string } {
  if (!text) return {};
  const at = text.lastIndexOf('Source:');
  if (at < 0) return { meaning: text.trim() };
  return { meaning: text.slice(0, at).trim() || undefined, source: text.slice(at + 'Source:'.length).trim() };
}

function laneOf(process: ModdleElement, bo: ModdleElement): ModdleElement | undefined {
  const visit = (lanes: ModdleElement[]): ModdleElement | undefined => {
    for (const lane of lanes) {
      const nested = lane.childLaneSet ? visit(lane.childLaneSet.lanes ?? []) : undefined;
      if (nested) return nested;
      if ((lane.flowNodeRef ?? []).some((n: ModdleElement) => n === bo || n.id === bo.id)) return lane;
    }
    return undefined;
  };
  return visit((process?.laneSets ?? []).flatMap((s: ModdleElement) => s.lanes ?? []));
}

export function describeElement(process: ModdleElement, bo: ModdleElement): ElementInfo {
  const doc = (bo.documentation ?? []).map((d: ModdleElement) => d.text).join('\n');
  const { meaning, source } = splitDocumentation(doc);
  const groups = String(bo.get?.('camunda:candidateGroups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  if (groups.length === 0 && bo.$type !== 'bpmn:Lane') {
    const lane = laneOf(process, bo);
    const laneGroup = lane ? camundaProperty(lane, 'group') : undefined;
    if (laneGroup && bo.$type === 'bpmn:UserTask') groups.push(laneGroup);
  }
  if (bo.$type === 'bpmn:Lane') {
    const g = camundaProperty(bo, 'group');
    if (g) groups.push(g);
  }
  const info: ElementInfo = { id: bo.id, type: bo.$type, name: bo.name || undefined, meaning, source, candidateGroups: groups };
  const timeLimit = camundaProperty(bo, 'timeLimit') ?? camundaProperty(bo, 'serviceTimeLimit');
  if (timeLimit) info.timeLimit = timeLimit;
  if (bo.get?.('camunda:type') === 'external' && bo.get?.('camunda:topic')) info.handler = bo.get('camunda:topic');
  if (bo.$type === 'bpmn:CallActivity' && bo.calledElement) info.calledElement = bo.calledElement;
  const timer = (bo.eventDefinitions ?? []).find((d: ModdleElement) => d.$type === 'bpmn:TimerEventDefinition');
  const timerValue = timer?.timeDuration?.body ?? timer?.timeCycle?.body ?? timer?.timeDate?.body;
  if (typeof timerValue === 'string' && timerValue.trim()) info.timer = timerValue.trim();
  return info;
}

/**
 * Generated diagrams for the size and lint-time tests: a chain start -> t0 -> ... -> end of plain
 * tasks, each with its shape and edge, laid out in rows of 100 so no two shapes overlap (or all at
 * one spot with `overlapping`). About 455 bytes per task: 9,800 tasks make a 4.5 MB document, just
 * under the API's 5 MB body limit.
 */
export interface ChainOptions {
  key?: string;
  tasks: number;
  /** Every task at the same place: each one overlaps all the others. */
  overlapping?: boolean;
}

export function chainDiagram({ key = 'big-diagram', tasks, overlapping = false }: ChainOptions): string {
  const nodes: string[] = ['<bpmn:startEvent id="start" name="Start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'];
  const shapes: string[] = ['<bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>'];
  for (let i = 0; i < tasks; i++) {
    const x = overlapping ? 100 : 100 + (i % 100) * 150;
    const y = overlapping ? 100 : 100 + Math.floor(i / 100) * 120;
    nodes.push(`<bpmn:task id="t${i}" name="Task ${i}"><bpmn:incoming>f${i}</bpmn:incoming><bpmn:outgoing>f${i + 1}</bpmn:outgoing></bpmn:task>`);
    nodes.push(`<bpmn:sequenceFlow id="f${i}" sourceRef="${i === 0 ? 'start' : `t${i - 1}`}" targetRef="t${i}" />`);
    shapes.push(`<bpmndi:BPMNShape id="t${i}_di" bpmnElement="t${i}"><dc:Bounds x="${x}" y="${y}" width="100" height="80" /></bpmndi:BPMNShape>`);
    shapes.push(`<bpmndi:BPMNEdge id="f${i}_di" bpmnElement="f${i}"><di:waypoint x="${x - 50}" y="${y + 40}" /><di:waypoint x="${x}" y="${y + 40}" /></bpmndi:BPMNEdge>`);
  }
  nodes.push(`<bpmn:sequenceFlow id="f${tasks}" sourceRef="t${tasks - 1}" targetRef="end" />`);
  nodes.push(`<bpmn:endEvent id="end" name="End"><bpmn:incoming>f${tasks}</bpmn:incoming></bpmn:endEvent>`);
  shapes.push('<bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="0" y="60" width="36" height="36" /></bpmndi:BPMNShape>');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${key}" name="Big" isExecutable="true" camunda:candidateStarterGroups="office">
${nodes.join('\n')}
</bpmn:process>
<bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="${key}">
${shapes.join('\n')}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/**
 * Small deployable diagrams for tests, written as nodes and flows: the builder adds the
 * incoming/outgoing references and a diagram interchange section (one row of shapes), so the result
 * passes bpmnlint's recommended rules and the reglament rules unless a test puts something in that
 * one of them refuses.
 */
export interface DiagramNode {
  id: string;
  /** The BPMN element, e.g. `bpmn:serviceTask`. */
  type: string;
  name?: string;
  /** Extra attributes, written as is (e.g. `camunda:type="external" camunda:topic="test.noop"`). */
  attrs?: string;
  /** Child elements, written as is before the incoming/outgoing references. */
  inner?: string;
}

export interface DiagramFlow {
  id: string;
  from: string;
  to: string;
  name?: string;
  /** The body of a `${...}` condition (escaped here). */
  condition?: string;
  /** Extra attributes of the condition expression (e.g. `language="javascript"`). */
  conditionAttrs?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function size(type: string): { width: number; height: number } {
  if (/Event$/.test(type)) return { width: 36, height: 36 };
  if (/Gateway$/.test(type)) return { width: 50, height: 50 };
  return { width: 100, height: 80 };
}

export function smallDiagram(key: string, nodes: DiagramNode[], flows: DiagramFlow[], options: { processAttrs?: string } = {}): string {
  const processAttrs = options.processAttrs ?? 'camunda:candidateStarterGroups="office"';
  const position = new Map<string, { x: number; y: number; width: number; height: number }>();
  nodes.forEach((node, i) => {
    const { width, height } = size(node.type);
    position.set(node.id, { x: 100 + i * 160, y: 140 - height / 2, width, height });
  });
  const nodeXml = nodes.map((node) => {
    const refs = [
      ...flows.filter((f) => f.to === node.id).map((f) => `<bpmn:incoming>${f.id}</bpmn:incoming>`),
      ...flows.filter((f) => f.from === node.id).map((f) => `<bpmn:outgoing>${f.id}</bpmn:outgoing>`),
    ];
    return `    <${node.type} id="${node.id}" name="${escapeXml(node.name ?? node.id)}"${node.attrs ? ` ${node.attrs}` : ''}>${node.inner ?? ''}${refs.join('')}</${node.type}>`;
  });
  const flowXml = flows.map((flow) => {
    const condition =
      flow.condition === undefined
        ? ''
        : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${flow.conditionAttrs ? ` ${flow.conditionAttrs}` : ''}>${escapeXml(flow.condition)}</bpmn:conditionExpression>`;
    const name = flow.name ?? (flow.condition !== undefined ? flow.id : undefined);
    return `    <bpmn:sequenceFlow id="${flow.id}"${name ? ` name="${escapeXml(name)}"` : ''} sourceRef="${flow.from}" targetRef="${flow.to}">${condition}</bpmn:sequenceFlow>`;
  });
  const shapes = nodes.map((node) => {
    const p = position.get(node.id)!;
    return `      <bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}"><dc:Bounds x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" /></bpmndi:BPMNShape>`;
  });
  const edges = flows.map((flow) => {
    const a = position.get(flow.from)!;
    const b = position.get(flow.to)!;
    const forward = b.x > a.x;
    const waypoints = forward
      ? [
          [a.x + a.width, 140],
          [b.x, 140],
        ]
      : [
          [a.x + a.width / 2, 140 + a.height / 2],
          [a.x + a.width / 2, 260],
          [b.x + b.width / 2, 260],
          [b.x + b.width / 2, 140 + b.height / 2],
        ];
    return `      <bpmndi:BPMNEdge id="${flow.id}_di" bpmnElement="${flow.id}">${waypoints.map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('')}</bpmndi:BPMNEdge>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs-${key}" targetNamespace="http://reglament.kz/bpmn/test">
  <bpmn:process id="${key}" name="${key}" isExecutable="true" ${processAttrs}>
${nodeXml.join('\n')}
${flowXml.join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram-${key}">
    <bpmndi:BPMNPlane id="plane-${key}" bpmnElement="${key}">
${shapes.join('\n')}
${edges.join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

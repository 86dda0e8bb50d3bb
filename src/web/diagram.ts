import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';

export type ModdleElement = any;

export interface Diagram {
  viewer: NavigatedViewer;
  canvas: any;
  overlays: any;
  registry: any;
  definitions: ModdleElement;
  process: ModdleElement | undefined;
  destroy(): void;
}

/** A read-only bpmn-js viewer (with the Camunda extension, for forms and properties) fitted to its box. */
export async function showDiagram(container: HTMLElement, xml: string): Promise<Diagram> {
  const viewer = new NavigatedViewer({ container, moddleExtensions: { camunda } });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas') as any;
  canvas.zoom('fit-viewport', 'auto');
  const definitions = (viewer as any).getDefinitions();
  const process = (definitions.rootElements ?? []).find((e: ModdleElement) => e.$type === 'bpmn:Process' && e.isExecutable) ?? (definitions.rootElements ?? []).find((e: ModdleElement) => e.$type === 'bpmn:Process');
  return {
    viewer,
    canvas,
    overlays: viewer.get('overlays'),
    registry: viewer.get('elementRegistry'),
    definitions,
    process,
    destroy: () => viewer.destroy(),
  };
}

export function onElementClick(diagram: Diagram, handler: (bo: ModdleElement) => void) {
  (diagram.viewer.get('eventBus') as any).on('element.click', (event: any) => handler(event.element.businessObject));
}

export function addMarker(diagram: Diagram, id: string, marker: string) {
  if (diagram.registry.get(id)) diagram.canvas.addMarker(id, marker);
}

export function addOverlay(diagram: Diagram, id: string, html: HTMLElement, position: Record<string, number> = { top: -12, right: 12 }) {
  if (diagram.registry.get(id)) diagram.overlays.add(id, { position, html });
}

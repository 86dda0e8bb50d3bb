import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { h } from './dom';
import { t } from './i18n';

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
  const registry = viewer.get('elementRegistry') as any;
  const removeControls = addControls(container, canvas);
  addKeyboard(viewer, registry, canvas);
  const definitions = (viewer as any).getDefinitions();
  const process = (definitions.rootElements ?? []).find((e: ModdleElement) => e.$type === 'bpmn:Process' && e.isExecutable) ?? (definitions.rootElements ?? []).find((e: ModdleElement) => e.$type === 'bpmn:Process');
  return {
    viewer,
    canvas,
    overlays: viewer.get('overlays'),
    registry,
    definitions,
    process,
    destroy: () => {
      removeControls();
      viewer.destroy();
    },
  };
}

export function onElementClick(diagram: Diagram, handler: (bo: ModdleElement) => void) {
  (diagram.viewer.get('eventBus') as any).on('element.click', (event: any) => handler(event.element.businessObject));
}

const ZOOM_STEP = 1.25;

/**
 * Zoom in, zoom out, fit and full-screen buttons over the diagram (the viewer's mouse wheel and drag
 * keep working); each has a translated label and aria-label.
 */
function addControls(container: HTMLElement, canvas: any) {
  const tx = t();
  const zoomBy = (factor: number) => canvas.zoom(canvas.zoom() * factor, 'auto');
  const button = (action: string, label: string, symbol: string, onclick: () => void) =>
    h('button', { type: 'button', class: 'diagram-control', 'data-diagram-control': action, 'aria-label': label, title: label, onclick }, symbol);
  const fullScreen = button('fullscreen', tx.fullScreen, '⛶', () => {
    if (document.fullscreenElement === container) void document.exitFullscreen();
    else void container.requestFullscreen?.();
  });
  const syncFullScreen = () => {
    const on = document.fullscreenElement === container;
    const label = on ? tx.exitFullScreen : tx.fullScreen;
    fullScreen.setAttribute('aria-label', label);
    fullScreen.title = label;
    fullScreen.setAttribute('aria-pressed', String(on));
    container.classList.toggle('fullscreen', on);
    // The viewport changed size: show the whole diagram in it.
    canvas.resized();
    canvas.zoom('fit-viewport', 'auto');
  };
  document.addEventListener('fullscreenchange', syncFullScreen);
  // Before the drawing, so that Tab goes from the buttons into the elements.
  container.prepend(
    h(
      'div',
      { class: 'diagram-controls', role: 'toolbar', 'aria-label': tx.diagramControls },
      button('zoom-in', tx.zoomIn, '+', () => zoomBy(ZOOM_STEP)),
      button('zoom-out', tx.zoomOut, '−', () => zoomBy(1 / ZOOM_STEP)),
      button('fit', tx.zoomFit, '⤢', () => canvas.zoom('fit-viewport', 'auto')),
      fullScreen,
    ),
  );
  return () => document.removeEventListener('fullscreenchange', syncFullScreen);
}

/**
 * Keyboard access: the flow elements (events, tasks, gateways, call activities) in reading order, left
 * to right and top to bottom, form one tab stop; Tab and Shift+Tab move through them (past the last or
 * before the first, focus leaves the diagram), Enter or Space does what a click does (the element's panel).
 */
function addKeyboard(viewer: NavigatedViewer, registry: any, canvas: any) {
  const eventBus = viewer.get('eventBus') as any;
  // diagram-js makes the whole drawing one tab stop of its own; the elements take that place.
  (canvas.getContainer() as HTMLElement).querySelector('svg')?.setAttribute('tabindex', '-1');
  const shapes = (registry.filter((e: any) => !e.labelTarget && !e.waypoints && e.businessObject?.$instanceOf?.('bpmn:FlowNode')) as any[]).sort((a, b) => a.x - b.x || a.y - b.y);
  const items = shapes.map((shape) => ({ shape, gfx: registry.getGraphics(shape) as SVGGElement }));
  items.forEach(({ shape, gfx }, index) => {
    gfx.setAttribute('tabindex', index === 0 ? '0' : '-1');
    gfx.setAttribute('role', 'button');
    gfx.setAttribute('aria-label', shape.businessObject.name || shape.id);
    gfx.addEventListener('focus', () => {
      for (const other of items) other.gfx.setAttribute('tabindex', other.gfx === gfx ? '0' : '-1');
      scrollIntoView(canvas, shape);
    });
    gfx.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        eventBus.fire('element.click', { element: shape, gfx, originalEvent: event });
      } else if (event.key === 'Tab') {
        const next = items[index + (event.shiftKey ? -1 : 1)];
        if (!next) return;
        event.preventDefault();
        next.gfx.focus();
      }
    });
  });
}

/** Pans the canvas so a focused element that lies outside the visible area comes into view. */
function scrollIntoView(canvas: any, shape: any) {
  const box = canvas.viewbox();
  const inside = shape.x >= box.x && shape.y >= box.y && shape.x + shape.width <= box.x + box.width && shape.y + shape.height <= box.y + box.height;
  if (!inside) canvas.scroll({ dx: box.x + box.width / 2 - (shape.x + shape.width / 2), dy: box.y + box.height / 2 - (shape.y + shape.height / 2) });
}

export function addMarker(diagram: Diagram, id: string, marker: string) {
  if (diagram.registry.get(id)) diagram.canvas.addMarker(id, marker);
}

export function addOverlay(diagram: Diagram, id: string, html: HTMLElement, position: Record<string, number> = { top: -12, right: 12 }) {
  if (diagram.registry.get(id)) diagram.overlays.add(id, { position, html });
}

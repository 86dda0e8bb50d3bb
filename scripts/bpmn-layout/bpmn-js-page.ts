/**
 * A Chromium page with bpmn-js's viewer (the library Camunda Modeler draws with) and Arial, so that
 * what it draws can be measured: text lines of every activity and external label with their boxes,
 * flow node bounds, flow waypoints (./legibility.ts judges them), glyph widths (./font-metrics.json),
 * and full-size screenshots.
 *
 * Arial is not installed on every machine (Debian has none; Chromium would fall back to the much
 * wider DejaVu Sans), so the page declares `Arial` itself as Arimo, the metric-compatible font from
 * @fontsource/arimo. The measurements are then the same on any machine with Chromium.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DrawnDiagram } from './legibility';

const ARIMO_DIR = path.dirname(require.resolve('@fontsource/arimo/package.json'));
const BPMN_JS_DIR = path.dirname(require.resolve('bpmn-js/package.json'));
/** The subsets that hold every character of our names (Kazakh letters are in cyrillic-ext). */
const SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext'];
/** Text that makes the browser load every subset before bpmn-js measures with a canvas (which loads no font itself). */
const FONT_PROBE = 'Aa Ää Āā Аа Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі «» – № ';

function arialFaces(): string {
  const css = readFileSync(path.join(ARIMO_DIR, '400.css'), 'utf8');
  const faces: string[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const subset = /arimo-([a-z-]+)-400-normal\.woff2/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!subset || !range || !SUBSETS.includes(subset)) continue;
    const font = readFileSync(path.join(ARIMO_DIR, 'files', `arimo-${subset}-400-normal.woff2`)).toString('base64');
    faces.push(`@font-face{font-family:'Arial';font-style:normal;font-weight:400;src:url(data:font/woff2;base64,${font}) format('woff2');unicode-range:${range};}`);
  }
  if (faces.length !== SUBSETS.length) throw new Error(`@fontsource/arimo: found ${faces.length} of the subsets ${SUBSETS.join(', ')}`);
  return faces.join('\n');
}

/** Runs in the page: imports a diagram and reads back what bpmn-js drew. */
const MEASURE = `
window.__measure = async function (xml) {
  const viewer = window.__viewer;
  const { warnings } = await viewer.importXML(xml);
  const registry = viewer.get('elementRegistry');
  viewer.get('canvas').zoom(1, { x: 0, y: 0 });
  // Box of a drawn part in diagram coordinates: its own box through its transform (icons are placed by one), moved by the element's position.
  const box = (el, dx, dy, b = el.getBBox()) => {
    const m = el.transform && el.transform.baseVal.consolidate() ? el.transform.baseVal.consolidate().matrix : null;
    const x = m ? b.x * m.a + m.e : b.x;
    const y = m ? b.y * m.d + m.f : b.y;
    return { x: x + dx, y: y + dy, width: m ? b.width * m.a : b.width, height: m ? b.height * m.d : b.height };
  };
  // A line's box without its trailing space (bpmn-js leaves it in the tspan but does not count it when it wraps).
  const lineBox = (t, dx, dy) => {
    const b = t.getBBox();
    const n = t.textContent.replace(/\\s+$/, '').length;
    return box(t, dx, dy, { x: b.x, y: b.y, width: n > 0 ? t.getSubStringLength(0, n) : 0, height: b.height });
  };
  const lines = (gfx, dx, dy) => [...gfx.querySelectorAll('text.djs-label tspan')].map((t) => ({ text: t.textContent, box: lineBox(t, dx, dy) }));
  const out = { activities: [], labels: [], nodes: [], flows: [], warnings: warnings.map((w) => w.message) };
  for (const el of registry.getAll()) {
    const bo = el.businessObject;
    const gfx = registry.getGraphics(el);
    if (el.type === 'label') {
      out.labels.push({ id: el.labelTarget.id, name: bo.name || '', lines: lines(gfx, el.x, el.y) });
      continue;
    }
    if (el.waypoints) {
      if (el.type === 'bpmn:SequenceFlow') out.flows.push({ id: el.id, waypoints: el.waypoints.map((p) => ({ x: p.x, y: p.y })) });
      continue;
    }
    if (!bo || !bo.$instanceOf('bpmn:FlowNode')) continue;
    const bounds = { x: el.x, y: el.y, width: el.width, height: el.height };
    out.nodes.push({ id: el.id, bounds });
    if (bo.$instanceOf('bpmn:Activity')) {
      // The first child of the visual is the shape's outline; the others (paths, small rects) are its icon and markers.
      const visual = gfx.querySelector('.djs-visual');
      const icons = [...visual.children].slice(1).filter((c) => c.tagName !== 'text').map((c) => box(c, el.x, el.y)).filter((b) => b.width > 0 || b.height > 0);
      out.activities.push({ id: el.id, name: bo.name || '', bounds, lines: lines(gfx, el.x, el.y), icons });
    }
  }
  return out;
};
window.__widths = function (chars, font) {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = font;
  const out = {};
  for (const c of chars) out[c] = ctx.measureText(c).width;
  return out;
};
window.__diagramBox = function () {
  const canvas = window.__viewer.get('canvas');
  const box = canvas.getActiveLayer().getBBox();
  return { x: box.x, y: box.y, width: box.width, height: box.height };
};
`;

export interface MeasuredDiagram extends DrawnDiagram {
  warnings: string[];
}

/** Loads bpmn-js and the Arial stand-in into the page; resolves when the fonts are loaded. */
export async function openBpmnJsPage(page: Page): Promise<void> {
  const css = ['diagram-js.css', 'bpmn-js.css'].map((f) => readFileSync(path.join(BPMN_JS_DIR, 'dist/assets', f), 'utf8')).join('\n');
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${arialFaces()}\n${css}\nhtml,body{margin:0;background:#fff}#canvas{width:100vw;height:100vh}</style></head><body><div id="canvas"></div></body></html>`);
  await page.addScriptTag({ path: path.join(BPMN_JS_DIR, 'dist/bpmn-navigated-viewer.production.min.js') });
  await page.addScriptTag({ content: `${MEASURE}\nwindow.__viewer = new BpmnJS({ container: '#canvas' });` });
  const loaded = await page.evaluate(async (probe) => {
    const fonts = (globalThis as any).document.fonts;
    await fonts.load('12px Arial', probe);
    await fonts.load('11px Arial', probe);
    await fonts.ready;
    return [...fonts].filter((f: any) => f.status === 'loaded').length;
  }, FONT_PROBE);
  if (loaded < SUBSETS.length) throw new Error(`Only ${loaded} of ${SUBSETS.length} Arial (Arimo) subsets loaded`);
}

export async function measureDiagram(page: Page, xml: string): Promise<MeasuredDiagram> {
  return page.evaluate((x) => (globalThis as any).__measure(x), xml) as Promise<MeasuredDiagram>;
}

/** Canvas advance widths (px) of each character in a CSS font, e.g. `12px Arial, sans-serif`. */
export async function glyphWidths(page: Page, chars: string[], font: string): Promise<Record<string, number>> {
  return page.evaluate(([c, f]) => (globalThis as any).__widths(c, f), [chars, font] as const) as Promise<Record<string, number>>;
}

/** Screenshot of the whole imported diagram at 100 % (the viewport is resized to it). */
export async function screenshotDiagram(page: Page, file: string, margin = 20): Promise<void> {
  const box = (await page.evaluate(() => (globalThis as any).__diagramBox())) as { x: number; y: number; width: number; height: number };
  const width = Math.ceil(box.width + 2 * margin);
  const height = Math.ceil(box.height + 2 * margin);
  await page.setViewportSize({ width, height });
  await page.evaluate(
    ([x, y, w, h]) => (globalThis as any).__viewer.get('canvas').viewbox({ x, y, width: w, height: h }),
    [box.x - margin, box.y - margin, width, height] as const,
  );
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width, height } });
}

/**
 * Every diagram in processes/ as bpmn-js draws it at 100 % in Chromium (the library Camunda Modeler
 * draws with, Arial as the default font): no activity text outside its shape or on its icon, no word
 * broken across lines, no external label on another label, a flow node or a flow's path.
 * REGLAMENT_DIAGRAM_SCREENSHOTS=1 also writes docs/screenshots/diagram-<key>.png for the diagrams of
 * SCREENSHOTS (never in CI, which would rewrite them). On today's diagrams before the fix (Arial
 * metrics) it counted 109 activities with text outside, 179 with text on the icon, 85 broken words
 * and 23 overlapping labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { measureDiagram, openBpmnJsPage, screenshotDiagram } from '../../scripts/bpmn-layout/bpmn-js-page';
import { judgeLegibility, LegibilityReport } from '../../scripts/bpmn-layout/legibility';
import { launchBrowser, ROOT } from './support';

/** REGLAMENT_DIAGRAMS_DIR judges other renderings (e.g. a trial render into a scratch folder) instead of processes/. */
const PROCESSES = process.env.REGLAMENT_DIAGRAMS_DIR ?? path.join(ROOT, 'processes');
const DIAGRAMS = fs.readdirSync(PROCESSES).filter((f) => f.endsWith('.bpmn')).sort();
const SCREENSHOTS = ['cotton-warehouse-license', 'weapon-activity-license'];

let browser: Browser;
let page: Page;
const reports = new Map<string, LegibilityReport>();

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await openBpmnJsPage(page);
  for (const file of DIAGRAMS) {
    const drawn = await measureDiagram(page, fs.readFileSync(path.join(PROCESSES, file), 'utf8'));
    if (drawn.warnings.length > 0) throw new Error(`${file}: bpmn-js import warnings: ${drawn.warnings.join('; ')}`);
    reports.set(file, judgeLegibility(drawn));
    const key = file.replace(/\.bpmn$/, '');
    if (process.env.REGLAMENT_DIAGRAM_SCREENSHOTS === '1' && SCREENSHOTS.includes(key)) {
      await screenshotDiagram(page, path.join(ROOT, 'docs/screenshots', `diagram-${key}.png`));
      await page.setViewportSize({ width: 1600, height: 1000 });
    }
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

function summary(pick: (r: LegibilityReport) => string[]): string {
  const lines = [...reports].map(([file, r]) => [file, pick(r)] as const).filter(([, ids]) => ids.length > 0);
  const total = lines.reduce((n, [, ids]) => n + ids.length, 0);
  return [`${total} in ${lines.length} diagram(s)`, ...lines.map(([file, ids]) => `${file} (${ids.length}): ${ids.join(', ')}`)].join('\n');
}

describe('diagrams as bpmn-js draws them at 100 %', () => {
  test('measured all 18 diagrams', () => {
    expect([...reports.keys()]).toEqual(DIAGRAMS);
    expect(DIAGRAMS.length).toBe(18);
  });

  test.each([
    ['no activity text outside its shape', (r: LegibilityReport) => r.textOutside],
    ['no activity text on its task icon or marker', (r: LegibilityReport) => r.textOnIcon],
    ['no word broken across lines', (r: LegibilityReport) => r.brokenWords],
    ['no external label on another label, a flow node or a flow path', (r: LegibilityReport) => r.labelOverlaps.map((o) => `${o.id} [${o.with.join('; ')}]`)],
  ])('%s', (_name, pick) => {
    const found = summary(pick);
    expect(found).toBe('0 in 0 diagram(s)');
  });
});

/**
 * Writes ./font-metrics.json: the advance width of every character our diagrams may use, in Arial
 * (Arimo, metric-compatible) as Chromium's canvas measures it, which is how bpmn-js wraps text.
 * The layout tool (./text-layout.ts) sizes shapes and places labels with it; run this again only when
 * bpmn-js or the font changes (after `npm run build`):
 *
 *   node dist/scripts/bpmn-layout/measure-font.js
 *
 * It also measures every element name of the specs as whole lines and prints the largest difference
 * from the sum of its characters (kerning), which text-layout.ts covers with a small margin.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { glyphWidths, openBpmnJsPage } from './bpmn-js-page';
import type { DiagramSpec } from './types';

/** This folder in the sources, whether run from dist/ or through ts-node. */
const SOURCE_DIR = path.resolve(__dirname, __dirname.split(path.sep).includes('dist') ? '../../../scripts/bpmn-layout' : '.');
/** Font size the widths are stored at; bpmn-js uses 12px inside shapes and 11px for external labels. */
const SIZE = 100;

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
}

async function main(): Promise<void> {
  const chars = [...range(0x20, 0x7e), ...range(0xa0, 0xff), ...range(0x400, 0x4ff), ...range(0x2010, 0x2026), '№'];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await openBpmnJsPage(page);
    const widths = await glyphWidths(page, chars, `${SIZE}px Arial, sans-serif`);
    const rounded = Object.fromEntries(Object.entries(widths).map(([c, w]) => [c, Math.round(w * 100) / 100]));
    writeFileSync(path.join(SOURCE_DIR, 'font-metrics.json'), `${JSON.stringify({ font: 'Arial (Arimo)', size: SIZE, widths: rounded }, null, 0)}\n`);

    // How far whole names are from the sum of their characters, at 12px.
    const specs = readdirSync(path.join(SOURCE_DIR, 'specs')).map((f) => JSON.parse(readFileSync(path.join(SOURCE_DIR, 'specs', f), 'utf8')) as DiagramSpec);
    const names = [...new Set(specs.flatMap((s) => [...s.nodes.map((n) => n.name), ...s.flows.map((f) => f.name)]).filter((n): n is string => !!n))];
    const whole = await glyphWidths(page, names, '12px Arial, sans-serif');
    let over = 0;
    let under = 0;
    for (const name of names) {
      const sum = [...name].reduce((w, c) => w + (rounded[c] ?? rounded['ш']) * (12 / SIZE), 0);
      over = Math.max(over, (sum - whole[name]) / whole[name]);
      under = Math.max(under, (whole[name] - sum) / whole[name]);
    }
    console.log(`${chars.length} characters; at 12px the sum of a name's characters exceeds the name's width by up to ${(over * 100).toFixed(2)} % and falls short of it by up to ${(under * 100).toFixed(2)} %`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

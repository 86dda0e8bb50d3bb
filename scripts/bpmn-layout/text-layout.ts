/**
 * How bpmn-js lays text out, predicted in Node from Arial's glyph widths (./font-metrics.json, taken
 * from Chromium's canvas by ./measure-font.ts): the same line breaking (fit a line, else cut it back in
 * proportion to the overflow at the last space or hyphen, else cut the word), the same line height
 * (1.2 x font size), paddings and alignment. Names inside activities are 12px, centred in the box
 * less 7px padding; external labels (events, gateways, flows) are 11px, wrapped at their DI width and
 * drawn from its top. The sum of glyph widths slightly overestimates a kerned line, so predictions err
 * on the wide side; the browser test (test/browser/diagram-legibility.test.ts) is the authority.
 */
import metrics from './font-metrics.json';
import type { DrawnLine } from './legibility';
import type { Bounds } from './types';

export const TASK_FONT_SIZE = 12;
export const LABEL_FONT_SIZE = 11;
const LINE_HEIGHT_RATIO = 1.2;
const TASK_PADDING = 7;
/** Chromium's box of one line of Arial reaches this far above and below the baseline (em fractions, rounded up as it does at 11-12px). */
const ASCENT = 0.92;
const DESCENT = 0.25;
/** Safety margin on predicted widths: a whole line can be up to 0.33 % wider than its glyphs' sum (measure-font.ts). */
const WIDTH_MARGIN = 1.01;

const WIDTHS: Record<string, number> = metrics.widths;
const FALLBACK = WIDTHS['Ш'];

export function textWidth(text: string, fontSize: number): number {
  let sum = 0;
  for (const c of text) sum += WIDTHS[c] ?? FALLBACK;
  return (sum * fontSize * WIDTH_MARGIN) / metrics.size;
}

export interface LaidLine {
  text: string;
  width: number;
}

/** Keeps whole parts (words, separators) while their character count stays under maxLength. */
function cutAtBreak(line: string, maxLength: number): string {
  const parts = line.split(/(\s|-|\u00AD)/g);
  if (parts.length < 2) return '';
  const kept: string[] = [];
  let length = 0;
  for (const part of parts) {
    if (part === '') break;
    if (part.length + length >= maxLength) {
      if (part === '-' || part === '\u00AD') kept.pop();
      break;
    }
    kept.push(part);
    length += part.length;
  }
  if (kept[kept.length - 1] === '\u00AD') kept[kept.length - 1] = '-';
  return kept.join('');
}

/** The lines bpmn-js makes of `text` in a box `maxWidth` wide. */
export function wrapText(text: string, maxWidth: number, fontSize: number): LaidLine[] {
  const pending = text.split(/\u00AD?\r?\n/);
  const lines: LaidLine[] = [];
  while (pending.length > 0) {
    const original = pending.shift()!;
    let line = original;
    for (;;) {
      const width = line ? textWidth(line.replace(/\s+$/, ''), fontSize) : 0;
      if (line === ' ' || line === '' || width <= maxWidth || line.length < 2) {
        if (line.length < original.length) pending.unshift(original.slice(line.length).trim());
        lines.push({ text: line, width });
        break;
      }
      const maxLength = Math.max((line.length * maxWidth) / width, 1);
      line = cutAtBreak(line, maxLength) || line.slice(0, Math.max(Math.round(maxLength - 1), 1));
    }
  }
  return lines;
}

function lineHeight(fontSize: number): number {
  return fontSize * LINE_HEIGHT_RATIO;
}

/** Text of an activity: lines centred in the box, the block centred vertically. */
export function layoutActivityText(name: string, box: Bounds): DrawnLine[] {
  const maxWidth = box.width - 2 * TASK_PADDING;
  const lines = wrapText(name, maxWidth, TASK_FONT_SIZE);
  const lh = lineHeight(TASK_FONT_SIZE);
  let baseline = (box.height - lines.length * lh) / 2 - lh / 4;
  return lines.map((line) => {
    baseline += lh;
    return {
      text: line.text,
      box: {
        x: box.x + Math.max((maxWidth - line.width) / 2 + TASK_PADDING, 0),
        y: box.y + baseline - ASCENT * TASK_FONT_SIZE,
        width: line.width,
        height: (ASCENT + DESCENT) * TASK_FONT_SIZE,
      },
    };
  });
}

/** Text of an external label drawn in its DI bounds: wrapped at their width, from their top, lines centred. */
export function layoutLabelText(name: string, bounds: Bounds): DrawnLine[] {
  const lines = wrapText(name, bounds.width, LABEL_FONT_SIZE);
  const lh = lineHeight(LABEL_FONT_SIZE);
  let baseline = -lh / 4;
  return lines.map((line) => {
    baseline += lh;
    return {
      text: line.text,
      box: {
        x: bounds.x + Math.max((bounds.width - line.width) / 2, 0),
        y: bounds.y + baseline - ASCENT * LABEL_FONT_SIZE,
        width: line.width,
        height: (ASCENT + DESCENT) * LABEL_FONT_SIZE,
      },
    };
  });
}

/** Height of an external label of `lineCount` lines, as its DI bounds should say. */
export function labelHeight(lineCount: number): number {
  return Math.ceil(lineCount * lineHeight(LABEL_FONT_SIZE));
}

/** Width of the widest word: a label or a task narrower than this breaks it. */
export function longestWordWidth(name: string, fontSize: number): number {
  return Math.max(0, ...name.split(/\s+/).filter(Boolean).map((w) => textWidth(w, fontSize)));
}

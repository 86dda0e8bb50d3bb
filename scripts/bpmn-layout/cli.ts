/**
 * BPMN layout generator CLI (after `npm run build`):
 *
 *   node dist/scripts/bpmn-layout/cli.js render scripts/bpmn-layout/specs/<key>.json processes/<key>.bpmn
 *   node dist/scripts/bpmn-layout/cli.js check processes/<key>.bpmn [...]
 *
 * `render` writes the BPMN XML (with DI) generated from the spec, then checks its layout; `check`
 * checks the layout of existing files (see ./check.ts). Exit code 1 when a check finds an error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkLayout } from './check';
import { renderBpmn } from './render';
import type { DiagramSpec } from './types';

async function report(file: string, xml: string): Promise<boolean> {
  const { problems, crossings } = await checkLayout(xml);
  for (const p of problems) console.log(`${file}: ${p.severity}${p.element ? ` [${p.element}]` : ''}: ${p.message}`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  console.log(`${file}: ${errors} error(s), ${warnings} warning(s), ${crossings} edge crossing(s)`);
  return errors === 0;
}

async function main(argv: string[]): Promise<number> {
  const {
    positionals: [command, ...args],
  } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (command === 'render' && args.length >= 1) {
    const spec = JSON.parse(readFileSync(args[0], 'utf8')) as DiagramSpec;
    const xml = renderBpmn(spec);
    const out = args[1];
    if (out) writeFileSync(out, xml);
    else process.stdout.write(xml);
    return (await report(out ?? '<stdout>', xml)) ? 0 : 1;
  }
  if (command === 'check' && args.length >= 1) {
    let ok = true;
    for (const file of args) ok = (await report(file, readFileSync(file, 'utf8'))) && ok;
    return ok ? 0 : 1;
  }
  console.error('usage: cli.js render <spec.json> [out.bpmn] | cli.js check <file.bpmn>...');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

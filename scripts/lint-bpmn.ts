/**
 * npm run lint:bpmn [file.bpmn ...]
 *
 * Lints every processes/**\/*.bpmn (or the files given) the way a deployment checks them: bpmnlint's
 * recommended rules plus the reglament/* rules, with the host's registered handler names and the
 * process keys of all linted files. Exit code 1 when any error is found.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findBpmnFiles, formatLintReport, lintFiles, readResources } from '../src/definitions/lint/lint-files';
import { defaultProducedVariables, registeredHandlerNames } from '../src/handlers/index';
import { runMain } from './run-main';

async function main(args: string[]): Promise<number> {
  const { positionals: files } = parseArgs({ args, allowPositionals: true, options: {} });
  const cwd = process.cwd();
  const paths = files.length > 0 ? files.map((file) => resolve(cwd, file)) : findBpmnFiles(resolve(cwd, 'processes'));
  if (paths.length === 0) {
    console.log('No BPMN files found under processes/');
    return 0;
  }
  let resources;
  try {
    resources = readResources(paths, cwd);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  // The reglaments under processes/ must each name their act (reglament/act); a deployment of any other diagram need not.
  const result = await lintFiles(resources, { handlers: registeredHandlerNames(), producedVariables: defaultProducedVariables(), requireAct: true });
  console.log(formatLintReport(resources, result));
  return result.errors > 0 ? 1 : 0;
}

runMain(main);

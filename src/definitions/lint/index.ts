/**
 * Linting a parsed definition: bpmnlint's `recommended` config plus our `reglament/*` rules (see
 * ./resolver.ts for how they are found). Deploying rejects a resource with any error; warnings are
 * reported and do not block.
 */
import { executableProcesses } from '../bpmn-utils';
import { DefinitionProblem, lineOfId, ParsedDefinition } from '../parse';
import { PLUGIN, ReglamentResolver } from './resolver';
import type { LintConfig, LintReport, RuleConfig } from './types';

export type { DefinitionProblem } from '../parse';
export { PLUGIN, PLUGIN_PACKAGE, ReglamentResolver, reglamentConfigs, reglamentRules } from './resolver';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- bpmnlint ships no type declarations; the cast names the part used
const { Linter } = require('bpmnlint') as { Linter: new (options: { resolver: unknown; config?: LintConfig }) => BpmnLinter };

interface BpmnLinter {
  lint(root: unknown, config?: LintConfig): Promise<Record<string, LintReport[]>>;
  resolveConfiguredRules(config: LintConfig): Promise<Record<string, RuleConfig>>;
}

export interface LintOptions {
  /** The file name problems are reported against (defaults to the one given to parseBpmn). */
  file?: string;
  /** Registered handler names: the topics service tasks may name. */
  handlers: Iterable<string>;
  /** Known process keys (deployed, or in the same deployment); the file's own process counts too. */
  processKeys: Iterable<string>;
  /** Variable -> producers (HandlerRegistry.producers()): names no form may declare. */
  producedVariables?: ReadonlyMap<string, readonly string[]>;
  /** Run only these rules (names as reported, e.g. `reglament/time-limit`, `label-required`), with their usual severity and config. */
  onlyRules?: string[];
  /** A startable process must name its act (reglament/act with `requireAct`): set for the reglaments under processes/. */
  requireAct?: boolean;
}

/**
 * bpmnlint `recommended` rules switched off or down because they misfire on valid Camunda 7 diagrams
 * that follow processes/README.md. None so far: a Camunda Modeler diagram with DI, named pool/lanes/
 * flow nodes, conditions plus default flows and External service tasks passes `recommended` as is
 * (test/fixtures/lint/full, processes/*.bpmn). Known soft spot: `global` (warn) counts a bpmn:Error as
 * unused when only a `camunda:errorEventDefinition` of an external task refers to it; that is a
 * warning and does not block deploying.
 */
export const RECOMMENDED_OVERRIDES: Readonly<Record<string, RuleConfig>> = {};

/** The bpmnlint config a deployment is checked with. */
export function reglamentLintConfig(options: { handlers: Iterable<string>; processKeys: Iterable<string>; producedVariables?: ReadonlyMap<string, readonly string[]>; requireAct?: boolean }): LintConfig {
  return {
    extends: ['bpmnlint:recommended', `plugin:${PLUGIN}/recommended`],
    rules: {
      ...RECOMMENDED_OVERRIDES,
      [`${PLUGIN}/service-task-handler`]: ['error', { handlers: [...options.handlers] }],
      [`${PLUGIN}/call-activity-target`]: ['error', { processKeys: [...options.processKeys] }],
      ...(options.producedVariables ? { [`${PLUGIN}/form-field-not-produced`]: ['error', { produced: Object.fromEntries(options.producedVariables) }] as RuleConfig } : {}),
      ...(options.requireAct ? { [`${PLUGIN}/act`]: ['error', { requireAct: true }] as RuleConfig } : {}),
    },
  };
}

function severityOf(category: LintReport['category']): DefinitionProblem['severity'] {
  return category === 'error' || category === 'rule-error' ? 'error' : 'warning';
}

/**
 * Parse problems of the definition plus every lint report, as {@link DefinitionProblem}s (rule name as
 * bpmnlint reports it: `label-required`, `reglament/time-limit`). Returns only the parse problems when
 * the document could not be read.
 */
export async function lintDefinition(parsed: ParsedDefinition, options: LintOptions): Promise<DefinitionProblem[]> {
  const file = options.file ?? parsed.file;
  const problems: DefinitionProblem[] = parsed.problems.map((problem) => {
    const copy = { ...problem };
    if (copy.file === undefined && file !== undefined) copy.file = file;
    return copy;
  });
  if (!parsed.definitions) return problems;

  const processKeys = new Set(options.processKeys);
  for (const process of executableProcesses(parsed.definitions)) if (typeof process.id === 'string') processKeys.add(process.id);

  const linter = new Linter({ resolver: new ReglamentResolver() });
  let config = reglamentLintConfig({ handlers: options.handlers, processKeys, producedVariables: options.producedVariables, requireAct: options.requireAct });
  if (options.onlyRules) {
    const all = await linter.resolveConfiguredRules(config);
    const rules: Record<string, RuleConfig> = {};
    for (const name of options.onlyRules) {
      if (!(name in all)) throw new Error(`Unknown lint rule "${name}" (known: ${Object.keys(all).join(', ')})`);
      rules[name] = all[name];
    }
    config = { rules };
  }

  const results = await linter.lint(parsed.definitions, config);
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      const problem: DefinitionProblem = {
        rule,
        severity: severityOf(report.category),
        message: report.category === 'rule-error' ? `The rule failed: ${report.message}` : report.message,
      };
      if (file !== undefined) problem.file = file;
      if (report.id) {
        problem.elementId = report.id;
        const line = lineOfId(parsed.source, report.id);
        if (line !== undefined) problem.line = line;
      }
      problems.push(problem);
    }
  }
  return problems;
}

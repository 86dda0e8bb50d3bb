/**
 * How bpmnlint finds rules and configs. bpmnlint names a rule `<plugin>/<rule>` and looks it up in the
 * package `bpmnlint-plugin-<plugin>`; our rules are not an npm package, so this resolver answers for
 * `bpmnlint-plugin-reglament` from the rule modules in ./rules (rule `reglament/<name>` is
 * ./rules/<name>.ts) and leaves everything else (`bpmnlint` itself, any installed plugin) to bpmnlint's
 * own NodeResolver.
 */
import act = require('./rules/act');
import callActivityTarget = require('./rules/call-activity-target');
import conditionExpression = require('./rules/condition-expression');
import executableProcess = require('./rules/executable-process');
import formFields = require('./rules/form-fields');
import formFieldNotProduced = require('./rules/form-field-not-produced');
import noScript = require('./rules/no-script');
import serviceTaskHandler = require('./rules/service-task-handler');
import signingStep = require('./rules/signing-step');
import startable = require('./rules/startable');
import timeLimit = require('./rules/time-limit');
import timer = require('./rules/timer');
import userTaskCandidateGroup = require('./rules/user-task-candidate-group');
import type { LintConfig, RuleFactory } from './types';
import noOverlappingElements = require('./overlap');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- bpmnlint's resolver ships no type declarations
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

/** The plugin short name: rules are referred to as `reglament/<rule>`, configs as `plugin:reglament/<config>`. */
export const PLUGIN = 'reglament';
/** The package name bpmnlint derives from the short name. */
export const PLUGIN_PACKAGE = `bpmnlint-plugin-${PLUGIN}`;

/** Our rules by name (without the `reglament/` prefix). */
export const reglamentRules: Readonly<Record<string, RuleFactory>> = {
  'executable-process': executableProcess,
  'user-task-candidate-group': userTaskCandidateGroup,
  'service-task-handler': serviceTaskHandler,
  'time-limit': timeLimit,
  'condition-expression': conditionExpression,
  'form-fields': formFields,
  'form-field-not-produced': formFieldNotProduced,
  'call-activity-target': callActivityTarget,
  'no-script': noScript,
  'signing-step': signingStep,
  timer,
  startable,
  act,
};

/** Our configs: `plugin:reglament/recommended` turns every rule on as an error. */
export const reglamentConfigs: Readonly<Record<string, LintConfig>> = {
  recommended: {
    rules: Object.fromEntries(Object.keys(reglamentRules).map((name) => [name, 'error'])),
  },
};

/**
 * bpmnlint rules answered by our own implementation under bpmnlint's name (same reports): its
 * no-overlapping-elements compares every pair of shapes, ./overlap.ts sorts and sweeps.
 */
const BPMNLINT_REPLACEMENTS: Readonly<Record<string, RuleFactory>> = {
  'no-overlapping-elements': noOverlappingElements,
};

interface BpmnlintResolver {
  resolveRule(pkg: string, ruleName: string): RuleFactory | Promise<RuleFactory>;
  resolveConfig(pkg: string, configName: string): LintConfig | Promise<LintConfig>;
}

export class ReglamentResolver implements BpmnlintResolver {
  private readonly fallback: BpmnlintResolver;

  constructor(fallback?: BpmnlintResolver) {
    // `requireLocal: require` makes NodeResolver find bpmnlint's own rules and configs via this module.
    this.fallback = fallback ?? new NodeResolver({ require, requireLocal: bpmnlintLocalRequire });
  }

  resolveRule(pkg: string, ruleName: string): RuleFactory | Promise<RuleFactory> {
    const replacement = pkg === 'bpmnlint' ? BPMNLINT_REPLACEMENTS[ruleName] : undefined;
    if (replacement) return replacement;
    if (pkg === PLUGIN_PACKAGE) {
      const rule = reglamentRules[ruleName];
      if (!rule) throw new Error(`cannot resolve rule <${ruleName}> from <${pkg}>: no such rule in src/definitions/lint/rules`);
      return rule;
    }
    return this.fallback.resolveRule(pkg, ruleName);
  }

  resolveConfig(pkg: string, configName: string): LintConfig | Promise<LintConfig> {
    if (pkg === PLUGIN_PACKAGE) {
      const config = reglamentConfigs[configName];
      if (!config) throw new Error(`cannot resolve config <${configName}> from <${pkg}>`);
      return config;
    }
    return this.fallback.resolveConfig(pkg, configName);
  }
}

/**
 * NodeResolver loads bpmnlint's built-in rules with `requireLocal('../../rules/<name>')` and configs with
 * `requireLocal('../../config/<name>')`, paths relative to its own file; map them onto the package.
 */
function bpmnlintLocalRequire(id: string): unknown {
  const match = /^\.\.\/\.\.\/(rules|config)\/([A-Za-z0-9_-]+)$/.exec(id);
  if (!match) throw new Error(`cannot resolve <${id}> inside bpmnlint`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module name is known only at run time
  return require(`bpmnlint/${match[1]}/${match[2]}`);
}

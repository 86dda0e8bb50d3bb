/**
 * The bpmnlint rule contract (bpmnlint ships it as JSDoc types only): a rule module exports a factory
 * that takes the rule's config and returns `{ check(node, reporter) }`; bpmnlint calls `check` for every
 * element of the moddle tree, depth first.
 */
import type { ModdleElement } from '../parse';

export type { ModdleElement };

export interface Reporter {
  report(id: string | undefined, message: string, path?: string[] | { path?: string[]; [key: string]: unknown }): void;
}

/** Returning `false` skips the element's children. */
export type CheckFn = (node: ModdleElement, reporter: Reporter) => boolean | void;

export interface RuleDefinition {
  meta?: { documentation?: { url?: string } };
  check: CheckFn | { enter?: CheckFn; leave?: (node: ModdleElement, reporter: Reporter) => void };
}

export type RuleFactory = (config?: any) => RuleDefinition;

export type RuleCategory = 'off' | 'warn' | 'error' | 'info' | 0 | 1 | 2 | 3;

export type RuleConfig = RuleCategory | [RuleCategory, unknown?];

export interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, RuleConfig>;
}

/** One report as bpmnlint's `Linter#lint` returns it, keyed by rule name. */
export interface LintReport {
  id?: string;
  message: string;
  path?: string[];
  category: 'warn' | 'error' | 'info' | 'rule-error';
  meta?: RuleDefinition['meta'];
}

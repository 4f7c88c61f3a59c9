/**
 * The rule table: stable codes, kebab-case names, default severities (docs/rules.md is the prose for each).
 */
import type { RuleCode, Severity } from '../model';

/** Metadata of one rule. */
export interface RuleInfo {
  name: string;
  severity: Severity;
  summary: string;
}

/** Every rule pymono has, by code. */
export const RULES: Record<RuleCode, RuleInfo> = {
  PM001: { name: 'undeclared-dependency', severity: 'error', summary: 'imports a third-party distribution that nothing in its dependency chain declares' },
  PM002: { name: 'undeclared-internal-dependency', severity: 'error', summary: 'imports an internal package it does not declare' },
  PM003: { name: 'transitive-dependency', severity: 'warning', summary: 'imports a distribution only an internal dependency declares' },
  PM004: { name: 'dev-dependency-in-runtime-code', severity: 'error', summary: 'runtime code imports a development-only dependency' },
  PM005: { name: 'unused-dependency', severity: 'warning', summary: 'declared runtime dependency that no file imports' },
  PM006: { name: 'version-drift', severity: 'warning', summary: 'one distribution declared with incompatible specifiers across packages' },
  PM007: { name: 'dependency-cycle', severity: 'error', summary: 'cycle among internal packages' },
  PM008: { name: 'invalid-manifest', severity: 'error', summary: 'manifest that cannot be read as declared' },
  PM009: { name: 'stdlib-dependency', severity: 'warning', summary: 'declared dependency that is a standard-library module' },
};

/** All rule codes in order. */
export const RULE_CODES = Object.keys(RULES) as RuleCode[];

/** True when `code` is one of pymono's rule codes. */
export function isRuleCode(code: string): code is RuleCode {
  return Object.prototype.hasOwnProperty.call(RULES, code);
}

/**
 * Where the documentation of a rule lives (LSP `codeDescription.href`, SARIF `helpUri`): the `docs/rules.md` that
 * ships next to the bundles (the caller passes its `file:` URL, see `shippedRulesDoc`), at the rule's anchor.
 */
export function ruleDocUrl(code: RuleCode, rulesDoc: string): string {
  return `${rulesDoc}#${code.toLowerCase()}`;
}

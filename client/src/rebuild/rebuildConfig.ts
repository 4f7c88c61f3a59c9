/**
 * Typed reader of the `pymono.rebuild.*` settings (package.json `contributes.configuration` is the schema;
 * test/unit/packageJson.test.ts checks they agree). Only a type is imported from `vscode`, so this file loads in
 * plain Node tests.
 */
import type { WorkspaceConfiguration } from 'vscode';

/** Which changes "Rebuild Affected Services" looks at: see `pymono.rebuild.compare` in package.json. */
export type RebuildCompare = 'branch' | 'uncommitted';

/** The rebuild settings with defaults applied. */
export interface RebuildConfig {
  /** `pymono.rebuild.parallelism`: builds running at once (1..32). */
  parallelism: number;
  /** `pymono.rebuild.defaultBranch`: the branch `branch` compares with; empty: origin/HEAD, else main, else master. */
  defaultBranch: string;
  /** `pymono.rebuild.compare`. */
  compare: RebuildCompare;
}

/** Defaults, identical to package.json's `default` values. */
export const REBUILD_DEFAULTS: Readonly<RebuildConfig> = Object.freeze({ parallelism: 2, defaultBranch: '', compare: 'branch' });

/** Largest accepted `pymono.rebuild.parallelism` (package.json `maximum`). */
export const MAX_PARALLELISM = 32;

/** The keys (under `pymono.`) this reader reads. */
export const REBUILD_SETTING_KEYS = ['rebuild.parallelism', 'rebuild.defaultBranch', 'rebuild.compare'] as const;

/**
 * Reads the `pymono` section (`vscode.workspace.getConfiguration('pymono', folder)`, or anything with the same
 * `get`). A value of the wrong type falls back to its default; a parallelism out of range is clamped to 1..32
 * (fractions are rounded down).
 */
export function readRebuildConfig(section: Pick<WorkspaceConfiguration, 'get'>): RebuildConfig {
  const parallelism: unknown = section.get('rebuild.parallelism');
  const branch: unknown = section.get('rebuild.defaultBranch');
  const compare: unknown = section.get('rebuild.compare');
  return {
    parallelism:
      typeof parallelism === 'number' && Number.isFinite(parallelism) ? Math.min(MAX_PARALLELISM, Math.max(1, Math.floor(parallelism))) : REBUILD_DEFAULTS.parallelism,
    defaultBranch: typeof branch === 'string' ? branch.trim() : REBUILD_DEFAULTS.defaultBranch,
    compare: compare === 'branch' || compare === 'uncommitted' ? compare : REBUILD_DEFAULTS.compare,
  };
}

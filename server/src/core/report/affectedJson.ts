/**
 * `pymono affected --format json`.
 *
 * Shape (version 1, documented in README "CLI"):
 * `{"version":1,"changedFiles":[paths],"changedPackages":[ids],"affectedPackages":[ids],
 * "services":[{"name":id,"via":[ids]}]}` — `changedFiles` POSIX relative to the root; `via` is the chain of
 * package ids from the changed package to the service, both inclusive.
 */
import { relativePosix } from './paths';

/**
 * The affected computation as the core returns it (structurally `AffectedResult` of core/workspace.ts): absolute
 * changed files, package ids owning them, every package depending on those transitively over runtime edges
 * (changed ones included), and the services among them with their shortest `via` chain.
 */
export interface AffectedData {
  changedFiles: readonly string[];
  changedPackages: readonly string[];
  affectedPackages: readonly string[];
  services: readonly { name: string; via: readonly string[] }[];
}

/** The report form: changed files relative POSIX and sorted, id lists sorted, services sorted by name. */
export interface AffectedRecord {
  changedFiles: string[];
  changedPackages: string[];
  affectedPackages: string[];
  services: { name: string; via: string[] }[];
}

/** Converts the core result to its report form (see `AffectedRecord`). */
export function toAffectedRecord(data: AffectedData, root: string): AffectedRecord {
  const sort = (xs: readonly string[]): string[] => [...xs].sort();
  return {
    changedFiles: sort(data.changedFiles.map((f) => relativePosix(root, f))),
    changedPackages: sort(data.changedPackages),
    affectedPackages: sort(data.affectedPackages),
    services: [...data.services]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((s) => ({ name: s.name, via: [...s.via] })),
  };
}

/** Renders the version-1 JSON document (2-space indented, trailing newline). */
export function formatAffectedJson(data: AffectedData, root: string): string {
  return JSON.stringify({ version: 1, ...toAffectedRecord(data, root) }, null, 2) + '\n';
}

/**
 * Affected packages: the packages owning changed files, every package that depends on them transitively over
 * runtime (and optional) edges, and the services among them, each with its shortest `via` chain.
 */
import type { GraphEdge, PackageInfo } from './model';

/** A service a change reaches; `via` runs from a changed package to the service, both included. */
export interface AffectedService {
  name: string;
  via: string[];
}

/** What a set of changed files affects. Paths absolute; ids normalized; lists sorted. */
export interface AffectedResult {
  changedFiles: string[];
  changedPackages: string[];
  affectedPackages: string[];
  services: AffectedService[];
}

/**
 * Computes the reverse transitive closure of the owners of `files` over non-dev edges (breadth-first, so each
 * `via` chain is a shortest one).
 */
export function computeAffected(
  files: string[],
  packages: readonly PackageInfo[],
  edges: readonly GraphEdge[],
  ownerOf: (file: string) => string | undefined,
): AffectedResult {
  const changed = new Set<string>();
  for (const f of files) {
    const id = ownerOf(f);
    if (id) changed.add(id);
  }
  const dependents = runtimeDependents(edges);
  const prev = new Map<string, string | undefined>();
  const queue = [...changed].sort();
  for (const id of queue) prev.set(id, undefined);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const dep of dependents.get(id) ?? []) {
      if (prev.has(dep)) continue;
      prev.set(dep, id);
      queue.push(dep);
    }
  }
  const byId = new Map(packages.map((p) => [p.id, p]));
  const services: AffectedService[] = [];
  for (const id of [...prev.keys()].sort()) {
    if (byId.get(id)?.kind !== 'service') continue;
    const via = [id];
    let cur = prev.get(id);
    while (cur !== undefined) {
      via.unshift(cur);
      cur = prev.get(cur);
    }
    services.push({ name: id, via });
  }
  return {
    changedFiles: [...files].sort(),
    changedPackages: [...changed].sort(),
    affectedPackages: [...prev.keys()].sort(),
    services,
  };
}

/** Package id -> the packages that declare it over runtime and optional (non-dev) edges, sorted. */
export function runtimeDependents(edges: readonly GraphEdge[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind === 'dev') continue;
    const list = dependents.get(e.to) ?? [];
    if (!list.includes(e.from)) list.push(e.from);
    dependents.set(e.to, list);
  }
  for (const list of dependents.values()) list.sort();
  return dependents;
}

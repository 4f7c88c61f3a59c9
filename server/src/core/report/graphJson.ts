/**
 * `pymono graph --format json`, and the per-package view of the graph that the other graph formats render.
 *
 * Shape (version 1, documented in README "CLI"):
 * `{"version":1,"packages":[{"name","path","kind","manifest","dependencies":[ids],"devDependencies":[ids],
 * "dependents":[ids]}]}` — `name` is the normalized package id, `path` the package folder and `manifest` its
 * defining file, both POSIX relative to the root; `dependencies` are runtime and optional internal edges,
 * `devDependencies` internal edges that are development-only, `dependents` every package with an edge of any
 * kind into this one. All lists sorted, packages sorted by id.
 */
import type { DependencyKind, GraphEdge, PackageInfo, PackageKind } from '../model';
import { relativePosix } from './paths';

/** One package as the JSON graph lists it. */
export interface GraphPackageRecord {
  name: string;
  path: string;
  kind: PackageKind;
  manifest: string;
  dependencies: string[];
  devDependencies: string[];
  dependents: string[];
}

/** A neighbour of a package and the strongest kind of the edges to it (runtime > optional > dev). */
export interface Neighbour {
  id: string;
  kind: DependencyKind;
}

const STRENGTH: Record<DependencyKind, number> = { runtime: 2, optional: 1, dev: 0 };

/**
 * Collapses edges to one neighbour per package: the outgoing (`direction = 'out'`, targets of edges from `id`) or
 * incoming (`'in'`, sources of edges into `id`) packages, each with its strongest edge kind, sorted by id.
 * Several requirements on the same package (say a runtime and a dev one) count once.
 */
export function neighbours(edges: readonly GraphEdge[], id: string, direction: 'out' | 'in'): Neighbour[] {
  const best = new Map<string, DependencyKind>();
  for (const e of edges) {
    const [self, other] = direction === 'out' ? [e.from, e.to] : [e.to, e.from];
    if (self !== id) continue;
    const prev = best.get(other);
    if (prev === undefined || STRENGTH[e.kind] > STRENGTH[prev]) best.set(other, e.kind);
  }
  return [...best].map(([n, kind]) => ({ id: n, kind })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Packages sorted by id (the core already sorts; formatters do not rely on it). */
export function sortedPackages(packages: readonly PackageInfo[]): PackageInfo[] {
  return [...packages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Builds the version-1 JSON records of the graph (see the module comment for each field). */
export function toGraphRecords(
  packages: readonly PackageInfo[],
  edges: readonly GraphEdge[],
  root: string,
): GraphPackageRecord[] {
  return sortedPackages(packages).map((p) => {
    const out = neighbours(edges, p.id, 'out');
    return {
      name: p.id,
      path: relativePosix(root, p.root),
      kind: p.kind,
      manifest: relativePosix(root, p.manifest),
      dependencies: out.filter((n) => n.kind !== 'dev').map((n) => n.id),
      devDependencies: out.filter((n) => n.kind === 'dev').map((n) => n.id),
      dependents: neighbours(edges, p.id, 'in').map((n) => n.id),
    };
  });
}

/** Renders the graph as the version-1 JSON document (2-space indented, trailing newline). */
export function formatGraphJson(packages: readonly PackageInfo[], edges: readonly GraphEdge[], root: string): string {
  return JSON.stringify({ version: 1, packages: toGraphRecords(packages, edges, root) }, null, 2) + '\n';
}

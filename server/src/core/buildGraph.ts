/**
 * One full graph build: root config, discovery, manifests, packages, uv workspaces, edges, kinds, modules and the
 * import-name ↔ distribution index. The Workspace calls it on load and after manifest changes; Python files are
 * scanned separately (and concurrently) so a manifest change never re-reads them.
 */
import * as path from 'node:path';
import type { Host } from './host';
import type { GraphEdge, ManifestProblem, PackageInfo } from './model';
import { readConfig, type PymonoConfig } from './config';
import { discover, type DiscoveryResult } from './discovery';
import { readManifests, readText, type ManifestSet, type ParseCache } from './manifestSet';
import { parsePyproject } from './manifests/pyproject';
import { normalizeName } from './manifests/pep508';
import { buildDraftPackages } from './packages';
import { linkPackages, type UvWorkspace } from './graph';
import { classifyKind } from './kinds';
import { inferModules, OwnerIndex } from './ownership';

/** The result of a graph build. `files` maps package id -> the Python files it owns (absolute, sorted). */
export interface GraphState {
  config: PymonoConfig;
  discovery: DiscoveryResult;
  manifests: ManifestSet;
  packages: PackageInfo[];
  edges: GraphEdge[];
  workspaces: UvWorkspace[];
  owner: OwnerIndex;
  files: Map<string, string[]>;
  problems: ManifestProblem[];
}

/**
 * Memo kept by the Workspace between builds: parsed manifests, and package layouts (valid for one discovery,
 * keyed by package root and explicit layout config).
 */
export interface BuildMemo {
  parse: ParseCache;
  layouts: Map<string, { key: string; layout: { modules: string[]; sourceRoots: string[] } }>;
  layoutsFor?: DiscoveryResult;
}

/** Reads `[tool.pymono]` from `root/pyproject.toml` (missing file: defaults). */
export async function loadConfig(
  root: string,
  host: Host,
  overlay: ReadonlyMap<string, string>,
  cache?: ParseCache,
): Promise<{ config: PymonoConfig; problems: ManifestProblem[] }> {
  const file = path.join(root, 'pyproject.toml');
  const problems: ManifestProblem[] = [];
  // The parse lands in the cache, so the manifest pass of the same build does not parse this file again.
  const cached = cache?.pyprojects.get(file);
  let info = cached && (!overlay.has(file) || overlay.get(file) === cached.text) ? cached.info : undefined;
  if (!info) {
    if (!overlay.has(file) && !(await host.stat(file))) return readConfig(undefined, file, undefined, normalizeName);
    const text = await readText(file, host, overlay, problems);
    if (text !== undefined) {
      info = parsePyproject(file, text);
      cache?.pyprojects.set(file, { text, info });
    }
  }
  const read = readConfig(info?.pymono?.table, file, info?.pymono?.positions, normalizeName);
  return { config: read.config, problems: [...problems, ...read.problems] };
}

/**
 * Builds the graph. `discovery` may be passed to reuse an earlier walk (an editor overlay changed a manifest's
 * text but no file was created or deleted).
 */
export async function buildGraph(
  root: string,
  host: Host,
  overlay: ReadonlyMap<string, string>,
  configRead: { config: PymonoConfig; problems: ManifestProblem[] },
  discovery: DiscoveryResult,
  memo: BuildMemo = { parse: { pyprojects: new Map(), requirements: new Map() }, layouts: new Map() },
): Promise<GraphState> {
  const { config } = configRead;
  const manifests = await readManifests(discovery.pyprojects, discovery.requirementsFiles, host, overlay, memo.parse);
  if (memo.layoutsFor !== discovery) {
    memo.layouts.clear();
    memo.layoutsFor = discovery;
  }
  const drafts = await buildDraftPackages(root, discovery, manifests, host, overlay);
  const linked = await linkPackages(drafts.packages, manifests, host);

  const owner = new OwnerIndex(linked.packages.map((p) => [p.id, p.root]));
  const files = new Map<string, string[]>(linked.packages.map((p) => [p.id, []]));
  for (const f of discovery.pythonFiles) {
    const id = owner.ownerOf(f);
    if (id !== undefined) files.get(id)?.push(f);
  }
  const hasDependents = new Set(linked.edges.map((e) => e.to));
  const packages: PackageInfo[] = linked.packages.map((d) => {
    const { kind, reason } = classifyKind(root, d, hasDependents.has(d.id), config);
    const key = `${d.id}\0${d.explicitModules.join(',')}\0${d.sourceRoots.join(',')}`;
    const known = memo.layouts.get(d.root);
    const layout = known && known.key === key ? known.layout : inferModules(d.root, files.get(d.id) ?? [], discovery.initDirs, { modules: d.explicitModules, sourceRoots: d.sourceRoots });
    memo.layouts.set(d.root, { key, layout });
    const { hasDockerfile: _h, explicitModules: _e, ...rest } = d;
    return { ...rest, kind, kindReason: reason, modules: layout.modules, sourceRoots: layout.sourceRoots };
  });
  packages.sort((a, b) => a.id.localeCompare(b.id));
  return {
    config,
    discovery,
    manifests,
    packages,
    edges: linked.edges,
    workspaces: linked.workspaces,
    owner,
    files,
    problems: [...configRead.problems, ...drafts.problems, ...linked.problems],
  };
}

/** Walks the workspace with the configured excludes; `onPythonFiles` streams Python files as they are found. */
export function walk(root: string, host: Host, config: PymonoConfig, onPythonFiles?: (files: string[]) => void): Promise<DiscoveryResult> {
  return discover(root, host, config.exclude, onPythonFiles);
}

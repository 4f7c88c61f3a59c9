/**
 * Gathers the facts of a hover (hoverContent.ts) from the analysis of a workspace, and classifies the import under
 * the cursor in the order of docs/rules.md "How an import is classified": standard library, the package's own
 * code, local modules, internal packages (longest dotted match), third-party distributions.
 * Pure: reads only the `HoverView` (a core `Workspace` satisfies it).
 */
import * as path from 'node:path';
import type { DeclaredRequirement, Finding, GraphEdge, PackageInfo, Range } from './model';
import type { DistributionMatch } from './distributions';
import type { RuleContext } from './rules/context';
import { isStdlibModule } from './stdlib';
import type { ImportAt, ManifestEntry } from './entryAt';
import { entryPackage } from './entryAt';
import { type DeclarerFacts, type DependentFacts, internalHoverMarkdown, thirdPartyHoverMarkdown } from './hoverContent';

/** The part of a core `Workspace` hovers read. */
export interface HoverView {
  readonly root: string;
  context(): RuleContext;
  packages(): PackageInfo[];
  package(id: string): PackageInfo | undefined;
  dependents(id: string): GraphEdge[];
  ownerOf(file: string): PackageInfo | undefined;
  findingsFor(file: string): Finding[];
}

/**
 * What an import is: `internal` (a workspace package other than the importer provides `module`), `third-party`
 * (with the mapping answer and the distribution shown: the one the importer declares, else the preferred one),
 * or `undefined` for the standard library, the importer's own code and local modules.
 */
export type ImportTarget =
  | { kind: 'internal'; library: PackageInfo; module: string }
  | { kind: 'third-party'; module: string; match: DistributionMatch; distribution: string };

/**
 * Classifies the hovered part of an import made by `importer` (undefined when no package owns the file).
 * On an imported name, `module.name` is used when an internal package provides it more specifically than
 * `module` (`from acme import telemetry` -> `acme.telemetry`), as the rules do.
 */
export function classifyImport(ctx: RuleContext, importer: PackageInfo | undefined, file: string, hit: ImportAt): ImportTarget | undefined {
  let module = hit.name === undefined ? hit.module : hit.record.module;
  if (hit.name !== undefined) {
    const full = ctx.modules.lookup(hit.module);
    if (full && full.matched.length > (ctx.modules.lookup(module)?.matched.length ?? -1)) module = hit.module;
  }
  const top = module.split('.')[0];
  if (!top) return undefined;
  if (isStdlibModule(top, (importer && ctx.minors.get(importer.id)) || [14])) return undefined;
  if (importer) {
    if (ctx.ownModules.get(importer.id)?.lookup(module)) return undefined;
    if (isLocal(ctx, importer, path.dirname(file), top)) return undefined;
  }
  const internal = ctx.modules.lookup(module);
  if (internal) {
    if (importer && internal.ids.includes(importer.id)) return undefined;
    const declared = importer ? ctx.declared.get(importer.id) : undefined;
    const id = internal.ids.find((i) => declared?.has(i)) ?? internal.ids[0];
    const library = ctx.packages.get(id);
    return library ? { kind: 'internal', library, module } : undefined;
  }
  const match = ctx.distributions.resolve(module);
  const providers = ctx.distributions.providers(module);
  const declared = importer ? ctx.declared.get(importer.id) : undefined;
  const distribution = providers.find((d) => declared?.has(d)) ?? match.distributions[0] ?? providers[0];
  return distribution ? { kind: 'third-party', module, match, distribution } : undefined;
}

/** A top-level name that exists as a file or folder next to the importing file or in a source root (rule 3). */
function isLocal(ctx: RuleContext, pkg: PackageInfo, dir: string, top: string): boolean {
  for (const r of [dir, pkg.root, ...pkg.sourceRoots]) {
    const base = path.join(r, top);
    if (ctx.pythonFiles.has(`${base}.py`) || ctx.pythonFiles.has(`${base}.pyi`) || ctx.pythonDirs.has(base)) return true;
  }
  return false;
}

/**
 * The Markdown of the hover over an import in `file`, or `undefined` when nothing is worth showing (stdlib,
 * own code). `sourceFile` is what "Open source" opens for an internal package (resolved by the caller).
 */
export function importHover(view: HoverView, file: string, hit: ImportAt, target: ImportTarget, sourceFile?: string): string {
  const ctx = view.context();
  const importer = view.ownerOf(file);
  const finding = findingAt(view.findingsFor(file), hit.record.range, lastLine(hit), target.kind === 'internal' ? target.library.id : target.distribution);
  if (target.kind === 'internal') {
    const lib = target.library;
    const declarer = importer && declarerOf(importer, ctx.declared.get(importer.id)?.get(lib.id) ?? [], finding);
    return internalHoverMarkdown({ library: lib, root: view.root, module: target.module, dependents: dependentsOf(view, lib.id), sourceFile, ...(declarer ? { declarer } : {}) });
  }
  const dist = target.distribution;
  const declarer = importer && declarerOf(importer, ctx.declared.get(importer.id)?.get(dist) ?? [], finding);
  const installed = ctx.distributions.installedVersion(dist);
  return thirdPartyHoverMarkdown({
    distribution: dist,
    root: view.root,
    module: target.module,
    match: target.match,
    others: othersDeclaring(view, dist, importer?.id),
    ...(declarer ? { declarer } : {}),
    ...(installed ? { installedVersion: installed } : {}),
  });
}

/**
 * The Markdown of the hover over a dependency entry of the manifest `file`: library facts for an internal entry
 * (with the entry as the owner's declaration), or who else declares a third-party distribution.
 */
export function manifestEntryHover(view: HoverView, file: string, entry: ManifestEntry, sourceFile?: string): string | undefined {
  const ctx = view.context();
  const packages = view.packages();
  const owner = packages.find((p) => p.manifestFiles.includes(file)) ?? view.ownerOf(file);
  const lib = entryPackage(entry, packages);
  // The graph's copy of the entry carries what the file alone does not say (uv root sources, a `-e` path's name).
  const graphCopy = (r: DeclaredRequirement): DeclaredRequirement =>
    owner?.requirements.find((g) => g.file === file && g.range.start.line === r.range.start.line && g.range.start.character === r.range.start.character) ?? r;
  const declarations: DeclaredRequirement[] = entry.kind === 'requirement' ? [graphCopy(entry.requirement)] : [];
  const note = entry.kind === 'uv-source' ? `${'`'}[tool.uv.sources]${'`'} entry: ${sourceText(entry)}, applies to ${owner?.id === undefined || owner.virtual ? 'every workspace member that declares it' : 'this package'}` : undefined;
  const declarer = owner && entry.kind === 'requirement' ? declarerOf(owner, declarations, undefined) : undefined;
  if (lib) {
    return internalHoverMarkdown({ library: lib, root: view.root, dependents: dependentsOf(view, lib.id), sourceFile, ...(declarer ? { declarer } : {}), ...(note ? { note } : {}) });
  }
  const dist = entry.kind === 'requirement' ? entry.requirement.normalized : entry.normalized;
  if (!dist) return undefined;
  const installed = ctx.distributions.installedVersion(dist);
  return thirdPartyHoverMarkdown({
    distribution: dist,
    root: view.root,
    others: othersDeclaring(view, dist, owner?.id),
    importNames: ctx.distributions.importNamesOf(dist),
    ...(declarer ? { declarer } : {}),
    ...(note ? { note } : {}),
    ...(installed ? { installedVersion: installed } : {}),
  });
}

function sourceText(entry: Extract<ManifestEntry, { kind: 'uv-source' }>): string {
  const s = entry.source;
  if (s.type === 'workspace') return 'workspace source';
  if (s.type === 'path') return `path source${s.editable ? ' (editable)' : ''}`;
  return `${s.type} source`;
}

function declarerOf(pkg: PackageInfo, declarations: DeclaredRequirement[], finding: Finding | undefined): DeclarerFacts {
  return { name: pkg.name, declarations, ...(finding ? { finding: { code: finding.code, message: finding.message } } : {}) };
}

/** Direct dependents of `id`, one per package (a runtime edge wins over dev/optional), sorted by name. */
export function dependentsOf(view: HoverView, id: string): DependentFacts[] {
  const byPkg = new Map<string, DependentFacts>();
  for (const e of view.dependents(id)) {
    const name = view.package(e.from)?.name ?? e.from;
    const prior = byPkg.get(e.from);
    if (prior && prior.kind === 'runtime') continue;
    byPkg.set(e.from, { name, kind: e.kind, ...(e.requirement.group !== undefined ? { group: e.requirement.group } : {}) });
  }
  return [...byPkg.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Packages other than `except` that declare the normalized distribution, sorted by name. */
export function othersDeclaring(view: HoverView, dist: string, except: string | undefined): { name: string; requirements: DeclaredRequirement[] }[] {
  const ctx = view.context();
  const out: { name: string; requirements: DeclaredRequirement[] }[] = [];
  for (const [id, reqs] of ctx.declared) {
    if (id === except) continue;
    const list = reqs.get(dist);
    if (list && list.length > 0) out.push({ name: ctx.packages.get(id)?.name ?? id, requirements: list });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function lastLine(hit: ImportAt): number {
  return Math.max(hit.record.range.end.line, ...(hit.record.names ?? []).map((n) => n.range.end.line));
}

/** The import finding (PM001..PM004) of this import statement about `dist` (a distribution or package id). */
function findingAt(findings: Finding[], start: Range, last: number, dist: string): Finding | undefined {
  return findings.find(
    (f) => f.distribution === dist && f.range.start.line >= start.start.line && f.range.start.line <= last && /^PM00[1-4]$/.test(f.code),
  );
}

/**
 * The analysis of one workspace root, shared by the CLI and the language server. It owns the graph state, the
 * per-file import cache and the findings, and updates them incrementally:
 * - a Python document edit re-scans and re-checks that file only (plus its package's PM005);
 * - a manifest edit rebuilds the graph and re-evaluates every file from cached imports, without re-reading them;
 * - files created or deleted on disk re-walk the tree and scan only the new files.
 */
import * as path from 'node:path';
import type { Host, PackedScanOutcome, ScanOutcome } from './host';
import type { FileScan, Finding, GraphEdge, PackageInfo } from './model';
import { buildGraph, loadConfig, walk, type BuildMemo, type GraphState } from './buildGraph';
import { isPythonSource } from './discovery';
import { invalidate, newParseCache } from './manifestSet';
import { DistributionIndex } from './distributions';
import { findVenvs, readSitePackages, type VenvDistribution } from './venvMetadata';
import { scanPython } from './importScanner';
import { scanNotebook } from './notebook';
import { buildRuleContext, pythonFileSets, type PythonFileSets, type RuleContext } from './rules/context';
import { checkFileImports, type FileCheck } from './rules/importRules';
import { checkCycles, checkStdlibDeps, checkUnused, manifestFindings } from './rules/packageRules';
import { checkDrift } from './rules/drift';
import { changedDistributions, globalSignature, packageSignatures, type PackageSignatures } from './rules/signatures';
import { computeAffected, type AffectedResult } from './affected';
import { suppressedByComment } from './rules/suppress';
import { packScan, unpackScan, type PackedScan } from './packedScan';

export type { AffectedResult, AffectedService } from './affected';

/** Python files above this size are skipped with a logged reason (bytes). */
export const MAX_SCAN_BYTES = 5 * 1024 * 1024;

/** The analysis of one root. Create with `Workspace.load`. */
export class Workspace {
  private state!: GraphState;
  private ctx!: RuleContext;
  private venv: VenvDistribution[] = [];
  private readonly overlay = new Map<string, string>();
  private readonly parseCache = newParseCache();
  private fileSets?: { of: string[]; sets: PythonFileSets };
  private readonly memo: BuildMemo = { parse: this.parseCache, layouts: new Map() };
  /** Each file's imports: fresh from a scan until first checked, then packed for retention (see packedScan.ts). */
  private readonly scans = new Map<string, FileScan | PackedScan>();
  private checks = new Map<string, FileCheck & { scan?: PackedScan }>();
  private globalSig = '';
  private sigs?: PackageSignatures;
  private filesAt = new Map<string, number>();
  private readonly skips = new Map<string, string>();
  private unused = new Map<string, Finding[]>();
  private global: Finding[] = [];
  private byFile = new Map<string, Finding[]>();
  private manifestFiles = new Set<string>();
  private _version = 0;
  /** Set while a graph build waits for scans: checks each file as its scan arrives. */
  private onScanned?: (file: string) => void;

  private constructor(readonly root: string, private readonly host: Host) {}

  /** Discovers, parses, scans and checks everything under `root` (absolute). Bad input never throws. */
  static async load(root: string, host: Host): Promise<Workspace> {
    const ws = new Workspace(path.resolve(root), host);
    await ws.rebuild(true);
    return ws;
  }

  /**
   * What the last update changed: the files whose findings may differ (a re-checked Python document alone), or
   * `'all'` after a graph rebuild or a change of package-level findings. Lets the server publish only those files.
   */
  lastChange: { files: readonly string[] | 'all' } = { files: 'all' };

  /** Increments whenever findings or the graph change. */
  get version(): number {
    return this._version;
  }

  /** Packages sorted by id. */
  packages(): PackageInfo[] {
    return this.state.packages;
  }

  /** The package with normalized id `id`. */
  package(id: string): PackageInfo | undefined {
    return this.ctx.packages.get(id);
  }

  /** Internal edges of every kind. */
  edges(): GraphEdge[] {
    return this.state.edges;
  }

  /** Edges from `id` to the internal packages it declares. */
  dependencies(id: string): GraphEdge[] {
    return this.state.edges.filter((e) => e.from === id);
  }

  /** Edges into `id` from the packages that declare it. */
  dependents(id: string): GraphEdge[] {
    return this.state.edges.filter((e) => e.to === id);
  }

  /** The innermost package owning an absolute path. */
  ownerOf(file: string): PackageInfo | undefined {
    const id = this.state.owner.ownerOf(file);
    return id === undefined ? undefined : this.ctx.packages.get(id);
  }

  /** True for a manifest that is part of the graph (pyproject, requirements file, Dockerfile). */
  isManifest(file: string): boolean {
    return this.manifestFiles.has(file);
  }

  /** The uv workspace root development requirement names, the Python files of a package, and similar graph facts. */
  filesOf(id: string): string[] {
    return this.state.files.get(id) ?? [];
  }

  /** The cached import scan of a Python file. */
  scanOf(file: string): FileScan | undefined {
    const s = this.scans.get(file);
    return s === undefined ? undefined : isPacked(s) ? unpackScan(s) : s;
  }

  /** The rule context of the current graph (distribution index, declared requirements, module index). */
  context(): RuleContext {
    return this.ctx;
  }

  /** Every finding, sorted by file then position. */
  findings(): Finding[] {
    const all: Finding[] = [];
    for (const list of this.byFile.values()) all.push(...list);
    return all.sort(compareFindings);
  }

  /** Findings of one file, sorted by position. */
  findingsFor(file: string): Finding[] {
    return this.byFile.get(file) ?? [];
  }

  /** Files skipped with their reason. */
  skipped(): { file: string; reason: string }[] {
    const out = [...this.state.discovery.skipped];
    for (const [file, reason] of this.skips) out.push({ file, reason });
    return out.sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Open-editor overlay of a Python file or manifest; `undefined` when the document closes. */
  async updateDocument(file: string, text: string | undefined): Promise<void> {
    if (text === undefined) this.overlay.delete(file);
    else this.overlay.set(file, text);
    invalidate(this.parseCache, file);
    if (isPythonSource(path.basename(file))) {
      if (text === undefined) await this.scanFromDisk([file]);
      else this.scans.set(file, file.endsWith('.ipynb') ? scanNotebook(text) : scanPython(text));
      this.recheckFile(file);
    } else if (this.looksLikeManifest(file)) {
      await this.rebuild(false);
    }
  }

  /** Files created, changed or deleted on disk. */
  async filesChanged(files: string[]): Promise<void> {
    for (const f of files) invalidate(this.parseCache, f);
    const python = files.filter((f) => isPythonSource(path.basename(f)));
    const other = files.filter((f) => !isPythonSource(path.basename(f)));
    const known = new Set(this.state.discovery.pythonFiles);
    const structural = other.length > 0 || python.some((f) => !known.has(f));
    const existing: string[] = [];
    for (const f of python) {
      if (this.overlay.has(f)) continue;
      if (await this.host.stat(f)) existing.push(f);
      else {
        this.scans.delete(f);
        this.checks.delete(f);
      }
    }
    await this.scanFromDisk(existing);
    if (structural || python.length !== existing.length) {
      await this.rebuild(true);
    } else {
      for (const f of existing) this.recheckFile(f);
    }
  }

  /** Packages owning `files`, their transitive dependents over runtime edges, and the services among them. */
  affected(files: string[]): AffectedResult {
    return computeAffected(files.map((f) => path.resolve(this.root, f)), this.state.packages, this.state.edges, (f) => this.state.owner.ownerOf(f));
  }

  private looksLikeManifest(file: string): boolean {
    return this.manifestFiles.has(file) || this.state.discovery.pyprojects.includes(file) || this.state.discovery.requirementsFiles.includes(file);
  }

  private async rebuild(rediscover: boolean): Promise<void> {
    const t0 = Date.now();
    const configRead = await loadConfig(this.root, this.host, this.overlay, this.parseCache);
    // Scanning (the expensive part) runs on worker threads while the walk goes on and the manifests are parsed.
    const scans: Promise<void>[] = [];
    let batch: string[] = [];
    const flush = (): void => {
      if (batch.length > 0) scans.push(this.scanFromDisk(batch));
      batch = [];
    };
    const stream = (files: string[]): void => {
      for (const f of files) if (!this.scans.has(f)) batch.push(f);
      if (batch.length >= 512) flush();
    };
    const discovery = rediscover || !this.state ? await walk(this.root, this.host, configRead.config, stream) : this.state.discovery;
    flush();
    const tWalk = Date.now();
    const scanning = Promise.all(scans);
    const state = await buildGraph(this.root, this.host, this.overlay, configRead, discovery, this.memo);
    const tGraph = Date.now();
    if (rediscover || !this.state) {
      const dirs = state.packages.map((p) => p.root);
      const sites = await findVenvs(this.root, this.host, dirs);
      this.venv = (await Promise.all(sites.map((s) => readSitePackages(s, this.host)))).flat();
    }
    const alive = new Set(discovery.pythonFiles);
    for (const f of this.scans.keys()) if (!alive.has(f) && !this.overlay.has(f)) this.scans.delete(f);
    this.state = state;
    this.manifestFiles = new Set([...state.packages.flatMap((p) => p.manifestFiles), ...discovery.pyprojects]);
    const workspaceDev = new Map<string, Set<string>>();
    for (const ws of state.workspaces) {
      const names = new Set(ws.devRequirements.map((r) => r.normalized));
      for (const id of ws.members) workspaceDev.set(id, names);
    }
    const distributions = new DistributionIndex({ mapping: state.config.mapping, venv: this.venv });
    if (this.fileSets?.of !== discovery.pythonFiles) this.fileSets = { of: discovery.pythonFiles, sets: pythonFileSets(discovery.pythonFiles) };
    this.ctx = buildRuleContext(this.root, state.config, state.packages, state.edges, workspaceDev, distributions, this.fileSets.sets);
    // Re-check only files whose inputs changed: every file when the global signature moved, else the files of
    // packages whose own signature moved, and files never checked (new, or re-scanned since).
    const globalSig = globalSignature(this.ctx, this.venv.length);
    const sigs = packageSignatures(this.ctx);
    const everything = globalSig !== this.globalSig;
    const changedDists = this.sigs ? changedDistributions(this.sigs.declared, sigs.declared) : new Set<string>();
    const previous = this.checks;
    this.checks = new Map();
    let rechecked = 0;
    const dirty = new Set<string>();
    // 'clean': keep every check; 'closure': keep the checks that import none of the changed distributions.
    const clean = new Map<string, 'clean' | 'closure' | 'dirty'>();
    const checkOne = (f: string, pkg: PackageInfo): void => {
      const stored = this.scans.get(f);
      if (!stored) return;
      const state = clean.get(pkg.id);
      let old = state !== 'dirty' ? previous.get(f) : undefined;
      if (old && state === 'closure' && old.closureKeys?.some((d) => changedDists.has(d))) old = undefined;
      if (old && old.scan === stored) this.checks.set(f, old);
      else {
        this.checkAndPack(f, pkg, stored);
        rechecked++;
        dirty.add(pkg.id);
      }
    };
    for (const [id, files] of state.files) {
      const pkg = this.ctx.packages.get(id);
      if (!pkg) continue;
      const ownSame = !everything && this.sigs !== undefined && sigs.own.get(id) === this.sigs.own.get(id) && this.filesAt.get(id) === files.length;
      const closureSame = ownSame && sigs.closure.get(id) === this.sigs?.closure.get(id);
      clean.set(id, closureSame ? 'clean' : ownSame ? 'closure' : 'dirty');
      if (!ownSame) dirty.add(id);
      for (const f of files) checkOne(f, pkg);
    }
    // Files still being scanned are checked as their scans arrive, so the rules overlap the scan instead of waiting.
    this.onScanned = (f) => {
      const id = state.owner.ownerOf(f);
      const pkg = id === undefined ? undefined : this.ctx.packages.get(id);
      if (pkg) checkOne(f, pkg);
    };
    await scanning;
    this.onScanned = undefined;
    const tScan = Date.now();
    this.globalSig = globalSig;
    this.sigs = sigs;
    this.filesAt = new Map([...state.files].map(([id, files]) => [id, files.length]));
    const previousUnused = this.unused;
    this.unused = new Map(state.packages.map((p) => [p.id, !dirty.has(p.id) && previousUnused.get(p.id) ? (previousUnused.get(p.id) as Finding[]) : this.unusedOf(p)]));
    this.global = [
      ...manifestFindings(this.ctx, state.problems, (f) => state.owner.ownerOf(f)),
      ...checkCycles(this.ctx, state.edges),
      ...checkDrift(this.ctx),
      ...state.packages.flatMap((p) => checkStdlibDeps(this.ctx, p)),
    ].filter((f) => !suppressedByComment(f, state.manifests.texts.get(f.file)));
    this.regroup();
    const tEnd = Date.now();
    this.host.log(
      `timing: walk ${tWalk - t0} ms, graph ${tGraph - tWalk} ms, rules and remaining scans ${tScan - tGraph} ms, package rules ${tEnd - tScan} ms ` +
        `(${discovery.pythonFiles.length} files, ${rechecked} re-checked, ${state.packages.length} packages)`,
    );
  }

  private unusedOf(pkg: PackageInfo): Finding[] {
    const used = new Set<string>();
    const files = this.state.files.get(pkg.id) ?? [];
    for (const f of files) for (const u of this.checks.get(f)?.used ?? []) used.add(u);
    return checkUnused(this.ctx, pkg, used, files.length).filter((f) => !suppressedByComment(f, this.state.manifests.texts.get(f.file)));
  }

  /** Checks one file and keeps its imports packed, remembering which packed scan the check was made from. */
  private checkAndPack(file: string, pkg: PackageInfo, stored: FileScan | PackedScan): void {
    const packed = isPacked(stored) ? stored : packScan(stored);
    this.scans.set(file, packed);
    this.checks.set(file, { ...checkFileImports(this.ctx, pkg, file, packed), scan: packed });
  }

  private recheckFile(file: string): void {
    const id = this.state.owner.ownerOf(file);
    const pkg = id === undefined ? undefined : this.ctx.packages.get(id);
    const stored = this.scans.get(file);
    if (!pkg || !stored) return;
    this.checkAndPack(file, pkg, stored);
    const before = this.unused.get(pkg.id) ?? [];
    const after = this.unusedOf(pkg);
    this.unused.set(pkg.id, after);
    const fileFindings = [...(this.checks.get(file)?.findings ?? [])];
    if (sameFindings(before, after)) {
      this.byFile.set(file, fileFindings.concat(this.global.filter((f) => f.file === file)).sort(compareFindings));
      this.lastChange = { files: [file] };
      this._version++;
    } else {
      this.regroup();
    }
  }

  private async scanFromDisk(files: string[]): Promise<void> {
    if (files.length === 0) return;
    const outcomes: Map<string, ScanOutcome | PackedScanOutcome> = this.host.scanFilesPacked
      ? await this.host.scanFilesPacked(files, MAX_SCAN_BYTES)
      : await this.host.scanFiles(files, MAX_SCAN_BYTES);
    for (const [file, outcome] of outcomes) {
      if (this.overlay.has(file)) continue;
      if (outcome.ok) {
        // Retained packed: a cold load of 50,000 files would otherwise hold every decoded import until checked.
        this.scans.set(file, 'packed' in outcome ? outcome.packed : packScan(outcome.scan));
        this.skips.delete(file);
        // While a graph build waits for scans, the file is checked as soon as it arrives.
        this.onScanned?.(file);
      } else {
        this.scans.delete(file);
        this.skips.set(file, outcome.reason);
        this.host.log(`skipped ${file}: ${outcome.reason}`);
      }
    }
  }

  private regroup(): void {
    const byFile = new Map<string, Finding[]>();
    const add = (f: Finding): void => {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    };
    for (const check of this.checks.values()) check.findings.forEach(add);
    for (const list of this.unused.values()) list.forEach(add);
    this.global.forEach(add);
    for (const list of byFile.values()) list.sort(compareFindings);
    this.byFile = byFile;
    this.lastChange = { files: 'all' };
    this._version++;
  }
}

function isPacked(s: FileScan | PackedScan): s is PackedScan {
  return 'ints' in s;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}

function sameFindings(a: Finding[], b: Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f.file === b[i].file && f.message === b[i].message && f.range.start.line === b[i].range.start.line);
}

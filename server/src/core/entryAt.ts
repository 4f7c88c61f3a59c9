/**
 * What sits at a position: the import (and which segment or imported name of it) in a Python file, or the
 * dependency entry (a requirement, a `[tool.uv.sources]` entry) in a manifest. Hovers, Go to Definition, document
 * links and the "Open library source" action all start here.
 *
 * Pure: Python positions come from an import scan (`FileScan`), manifest positions from parsing the text given
 * (`parsePyproject`, `parseRequirementsFile`), so an open editor's unsaved text is answered correctly.
 * Positions are 0-based, UTF-16 (model.ts).
 */
import * as path from 'node:path';
import type { DeclaredRequirement, FileScan, ImportRecord, PackageInfo, Position, Range, RequirementSource } from './model';
import { parsePyproject } from './manifests/pyproject';
import { parseRequirementsFile } from './manifests/requirements';

/** The import under the cursor. */
export interface ImportAt {
  record: ImportRecord;
  /**
   * The dotted module the hovered part brings in: `record.module`, or `record.module + '.' + name` when the
   * cursor is on an imported name (the caller decides whether that is a submodule or an attribute).
   */
  module: string;
  /**
   * The module up to and including the hovered segment: `acme.telemetry` for the cursor on `telemetry` in
   * `acme.telemetry.logging`; equal to `module` on an imported name.
   */
  segmentModule: string;
  /** The imported name under the cursor (`from x import name`), when the cursor is on one. */
  name?: string;
  /** Range of what is hovered: the whole dotted module, or the imported name. */
  range: Range;
}

/** True when `pos` lies in `range`, both ends included (a cursor right after a word still hovers it). */
export function rangeContains(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

/**
 * The absolute import at `pos` in a scanned Python file, or `undefined` (relative imports, `*`, blank space).
 * On the module text, `segmentModule` is cut after the hovered dotted segment when the module is written on one
 * line without spaces (`acme . telemetry` falls back to the whole module).
 */
export function importAt(scan: FileScan, pos: Position): ImportAt | undefined {
  for (const record of scan.imports) {
    if (record.level > 0 || record.module === '') continue;
    for (const n of record.names ?? []) {
      if (n.name === '*' || !rangeContains(n.range, pos)) continue;
      const module = `${record.module}.${n.name}`;
      return { record, module, segmentModule: module, name: n.name, range: n.range };
    }
    if (!rangeContains(record.range, pos)) continue;
    return { record, module: record.module, segmentModule: segmentAt(record, pos), range: record.range };
  }
  return undefined;
}

function segmentAt(record: ImportRecord, pos: Position): string {
  const { start, end } = record.range;
  const written = end.line === start.line && end.character - start.character === record.module.length;
  if (!written || pos.line !== start.line) return record.module;
  const offset = pos.character - start.character;
  const next = record.module.indexOf('.', offset);
  return next < 0 ? record.module : record.module.slice(0, next);
}

/**
 * One dependency entry of a manifest.
 * - `requirement`: a declared requirement; `range` is its string literal (Poetry: its key; requirements files:
 *   the line). `pathRange` is the `path = "..."` value on the entry's line when it has a path source.
 * - `uv-source`: a `[tool.uv.sources]` entry; `range` is its key; `pathRange` its `path` value, when written.
 */
export type ManifestEntry =
  | { kind: 'requirement'; requirement: DeclaredRequirement; range: Range; pathRange?: Range }
  | { kind: 'uv-source'; name: string; normalized: string; source: RequirementSource; range: Range; pathRange?: Range };

/** True for the manifests whose entries pymono locates: `pyproject.toml` and pip requirements files. */
export function isPyproject(file: string): boolean {
  return path.basename(file).toLowerCase() === 'pyproject.toml';
}

/**
 * Every dependency entry of the manifest `file` (absolute) whose text is `text`: the requirements of a
 * pyproject.toml (every table pymono reads) and its `[tool.uv.sources]`, or the requirement lines of a requirements
 * file. A file that does not parse yields the entries read before the error (or none); never throws.
 */
export function manifestEntries(file: string, text: string): ManifestEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (isPyproject(file)) {
    const info = parsePyproject(file, text);
    const out: ManifestEntry[] = info.requirements.map((r) => withPath({ kind: 'requirement', requirement: r, range: r.range }, r.source, lines));
    for (const [normalized, decl] of info.uvSources) {
      const name = lineText(lines, decl.range).trim().replace(/^["']|["']$/g, '') || normalized;
      out.push(withPath({ kind: 'uv-source', name, normalized, source: decl.source, range: decl.range }, decl.source, lines));
    }
    return out;
  }
  return parseRequirementsFile(file, text).requirements.map((r) => ({ kind: 'requirement', requirement: r, range: r.range }));
}

/** The entry of `manifestEntries` containing `pos` (a `path` value counts as part of its entry). */
export function manifestEntryAt(file: string, text: string, pos: Position): ManifestEntry | undefined {
  return manifestEntries(file, text).find((e) => rangeContains(e.range, pos) || (e.pathRange !== undefined && rangeContains(e.pathRange, pos)));
}

/**
 * The workspace package an entry points at: the package whose folder is the entry's path source, else the
 * package whose id is the entry's normalized name (internal whatever the spec, as ARCHITECTURE.md decides).
 * `undefined` for third-party entries.
 */
export function entryPackage(entry: ManifestEntry, packages: readonly PackageInfo[]): PackageInfo | undefined {
  const source = entry.kind === 'requirement' ? entry.requirement.source : entry.source;
  if (source?.type === 'path') {
    const dir = path.resolve(source.path);
    const atPath = packages.find((p) => p.root === dir);
    if (atPath) return atPath;
  }
  const normalized = entry.kind === 'requirement' ? entry.requirement.normalized : entry.normalized;
  return normalized === '' ? undefined : packages.find((p) => p.id === normalized);
}

/** A document link: the range to underline and the file it opens. */
export interface ManifestLink {
  range: Range;
  target: string;
}

/**
 * Links from every entry of a manifest that names a workspace package (a requirement, a uv source, a Poetry
 * `path` value, a requirements `-e ../x` line) to that package's manifest. A package's own name is not linked.
 */
export function manifestLinks(file: string, text: string, packages: readonly PackageInfo[]): ManifestLink[] {
  const out: ManifestLink[] = [];
  for (const entry of manifestEntries(file, text)) {
    const pkg = entryPackage(entry, packages);
    if (!pkg || pkg.manifest === file) continue;
    out.push({ range: entry.range, target: pkg.manifest });
    if (entry.pathRange) out.push({ range: entry.pathRange, target: pkg.manifest });
  }
  return out;
}

/** Adds the range of a `path = "..."` value written after the entry on its first line, for path sources. */
function withPath<T extends ManifestEntry>(entry: T, source: RequirementSource | undefined, lines: string[]): T {
  if (source?.type !== 'path') return entry;
  const line = lines[entry.range.start.line] ?? '';
  const re = /\bpath\s*=\s*(["'])([^"']*)\1/g;
  re.lastIndex = entry.range.end.line === entry.range.start.line ? entry.range.end.character : 0;
  const m = re.exec(line);
  if (!m) return entry;
  const start = m.index + m[0].length - m[2].length - 2;
  const l = entry.range.start.line;
  return { ...entry, pathRange: { start: { line: l, character: start }, end: { line: l, character: start + m[2].length + 2 } } };
}

function lineText(lines: string[], range: Range): string {
  if (range.start.line !== range.end.line) return '';
  return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

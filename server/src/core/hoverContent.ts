/**
 * The Markdown of pymono's hovers (issue "Editor experience", Hovers), built from plain facts so it is tested
 * without an editor:
 * - an internal package (hovered on an import, or on a dependency entry that names it): distribution, version,
 *   description, path, how the current package declares it (or that it does not, with the finding), its direct
 *   dependents, and command links opening its manifest and its source;
 * - a third-party distribution (on an import or an entry): which distribution and why (docs/rules.md "How an
 *   import is classified"), how the current package declares it, which other packages declare it with which
 *   specifiers, with differing specifiers highlighted (Single Version Policy), and the installed version.
 *
 * Command links are `command:<id>?<encoded JSON args>` URIs with args `[{ uri }]` (a `file:` URI); the client
 * registers `pymono.openManifest` and `pymono.openSource` and must mark the hover Markdown as trusted for them.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeclaredRequirement, DependencyKind, PackageInfo } from './model';
import type { DistributionMatch } from './distributions';

/** Command ids the hover links use (registered by the VS Code client). */
export const OPEN_MANIFEST_COMMAND = 'pymono.openManifest';
/** See `OPEN_MANIFEST_COMMAND`. */
export const OPEN_SOURCE_COMMAND = 'pymono.openSource';

/** A finding shown in a hover: its rule code and message. */
export interface HoverFinding {
  code: string;
  message: string;
}

/** A package that depends on (or declares) the hovered one: display name plus the declaration's kind and group. */
export interface DependentFacts {
  name: string;
  kind: DependencyKind;
  group?: string;
}

/** Who "the current package" is: the importing file's package, or the package owning the hovered manifest entry. */
export interface DeclarerFacts {
  name: string;
  /** Its declarations of the hovered distribution (empty: not declared). */
  declarations: DeclaredRequirement[];
  /** The finding at the hovered import, when a rule reported one (PM001..PM004). */
  finding?: HoverFinding;
}

/** Facts of an internal-package hover. */
export interface InternalFacts {
  library: PackageInfo;
  /** Workspace root: paths are shown relative to it (POSIX). */
  root: string;
  /** The hovered dotted module, on an import. */
  module?: string;
  declarer?: DeclarerFacts;
  /** A line about the hovered entry itself, e.g. a `[tool.uv.sources]` entry. */
  note?: string;
  dependents: DependentFacts[];
  /** File the "Open source" link opens (the hovered module's file, or the package's first module). */
  sourceFile?: string;
}

/** Facts of a third-party hover. */
export interface ThirdPartyFacts {
  /** Normalized distribution name. */
  distribution: string;
  root: string;
  /** The hovered dotted module and why it maps to `distribution`, on an import. */
  module?: string;
  match?: DistributionMatch;
  declarer?: DeclarerFacts;
  note?: string;
  /** Other packages declaring the distribution, with their declarations. */
  others: { name: string; requirements: DeclaredRequirement[] }[];
  installedVersion?: string;
  /** Import names the distribution provides (manifest side). */
  importNames?: string[];
}

/** `command:<id>?<args>` with args `[{ uri: <file URI of file> }]`, percent-encoded as VS Code expects. */
export function commandUri(command: string, file: string): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([{ uri: pathToFileURL(file).href }]))}`;
}

/** The hover of an internal package (see the module comment). */
export function internalHoverMarkdown(f: InternalFacts): string {
  const lib = f.library;
  const parts: string[] = [];
  parts.push(`**${esc(lib.name)}**${lib.version ? ` ${code(lib.version)}` : ''} — internal ${lib.kind === 'other' ? 'package' : lib.kind}`);
  if (lib.description) parts.push(esc(lib.description));
  const provides = lib.modules.length > 0 ? ` · provides ${lib.modules.map(code).join(', ')}` : '';
  parts.push(`Path: ${code(rel(f.root, lib.root) || '.')}${provides}`);
  if (f.note) parts.push(f.note);
  if (f.declarer) parts.push(declarerLine(f.root, f.declarer, lib.name));
  const used = f.dependents.length === 0 ? 'no package' : f.dependents.map(dependentText).join(', ');
  parts.push(`Used by (direct): ${used}`);
  const links = [`[Open manifest](${commandUri(OPEN_MANIFEST_COMMAND, lib.manifest)})`];
  if (f.sourceFile) links.push(`[Open source](${commandUri(OPEN_SOURCE_COMMAND, f.sourceFile)})`);
  parts.push(links.join(' · '));
  return parts.join('\n\n');
}

/** The hover of a third-party distribution (see the module comment). */
export function thirdPartyHoverMarkdown(f: ThirdPartyFacts): string {
  const parts: string[] = [];
  const installed = f.installedVersion ? ` · installed ${code(f.installedVersion)}` : '';
  parts.push(`**${esc(f.distribution)}** — third-party distribution${installed}`);
  if (f.module && f.match) parts.push(`${code(f.module)} maps to ${code(f.distribution)} ${reasonText(f.match)}.`);
  if (f.importNames && f.importNames.length > 0) parts.push(`Provides ${f.importNames.map(code).join(', ')}`);
  if (f.note) parts.push(f.note);
  if (f.declarer) parts.push(declarerLine(f.root, f.declarer, f.distribution));
  parts.push(othersSection(f));
  return parts.join('\n\n');
}

/** Why a module maps to its distribution, as a phrase ("by its PEP 503 name"). */
export function reasonText(m: DistributionMatch): string {
  switch (m.reason) {
    case 'config':
      return `by ${code('[tool.pymono.mapping]')} (${code(m.matchedModule)})`;
    case 'venv':
      return `by installed metadata${m.detail ? ` in ${code(m.detail)}` : ''}`;
    case 'table':
      return `by pymono's curated table (${code(m.matchedModule)})`;
    case 'namespace':
      return `by the namespace rule${m.detail ? ` (${esc(m.detail)})` : ''}`;
    case 'name':
      return `by its PEP 503 name (${code(m.matchedModule)})`;
  }
}

/**
 * How one requirement declares its distribution, e.g. `workspace source { workspace = true }; runtime`,
 * `path ../shared-utils (editable); runtime`, `version >=2.6; dev, group dev`.
 */
export function describeDeclaration(r: DeclaredRequirement): string {
  const how: string[] = [];
  const s = r.source;
  if (s?.type === 'workspace') how.push(`workspace source ${code('{ workspace = true }')}`);
  else if (s?.type === 'path') how.push(`path ${code(toPosix(path.relative(path.dirname(r.file), s.path)) || '.')}${s.editable ? ' (editable)' : ''}`);
  else if (s?.type === 'git') how.push(`git ${code(s.url)}`);
  else if (s?.type === 'url') how.push(`URL ${code(s.url)}`);
  else if (s?.type === 'index') how.push(`index ${code(s.index)}`);
  if (r.specifier) how.push(`version ${code(r.specifier)}`);
  else if (!s) how.push('any version');
  if (r.extras.length > 0) how.push(`extras ${code(r.extras.join(','))}`);
  if (r.marker) how.push(`marker ${code(r.marker)}`);
  return `${how.join(', ')}; ${kindText(r.kind, r.group)}`;
}

function kindText(kind: DependencyKind, group: string | undefined): string {
  if (kind === 'runtime') return group ? `runtime, from ${code(group)}` : 'runtime';
  if (kind === 'optional') return `optional${group ? `, extra ${code(group)}` : ''}`;
  return `dev${group ? `, group ${code(group)}` : ''}`;
}

function declarerLine(root: string, d: DeclarerFacts, what: string): string {
  if (d.declarations.length === 0) {
    const finding = d.finding ? ` ${code(d.finding.code)}: ${esc(d.finding.message)}` : '';
    return `**Not declared** by ${code(d.name)}.${finding}`;
  }
  const lines = d.declarations.map((r) => `- ${code(r.raw.trim() || r.name)} — ${describeDeclaration(r)} in ${code(rel(root, r.file))}`);
  const finding = d.finding ? `\n\n${code(d.finding.code)}: ${esc(d.finding.message)}` : '';
  return `${code(d.name)} declares ${code(what)}:\n${lines.join('\n')}${finding}`;
}

function dependentText(d: DependentFacts): string {
  return d.kind === 'runtime' ? code(d.name) : `${code(d.name)} (${kindText(d.kind, d.group)})`;
}

/**
 * "Declared by N other packages" with the Single Version Policy verdict: specifiers that differ from the current
 * package's own (or, when it has none, from the most used one) are bold and marked ≠.
 */
function othersSection(f: ThirdPartyFacts): string {
  const all = [...(f.declarer?.declarations ?? []), ...f.others.flatMap((o) => o.requirements)];
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r.specifier, (counts.get(r.specifier) ?? 0) + 1);
  const specs = [...counts.keys()].filter((s) => s !== '');
  // The reference is the current package's own specifier; without one, the most used.
  const mine = f.declarer?.declarations.find((r) => r.specifier !== '')?.specifier;
  const usual = mine ?? [...counts].filter(([s]) => s !== '').sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const verdict =
    specs.length > 1
      ? `⚠ Single Version Policy: ${specs.length} different specifiers (${specs.map(code).join(', ')})`
      : specs.length === 1
        ? `✓ Single Version Policy: one specifier (${code(specs[0])})`
        : '';
  if (f.others.length === 0) return ['No other package declares it.', verdict].filter((x) => x !== '').join('\n\n');
  const lines = f.others.map((o) => {
    const each = o.requirements.map((r) => {
      const spec = r.specifier === '' ? 'any version' : code(r.specifier);
      const marked = specs.length > 1 && r.specifier !== usual ? `**${spec}** ≠` : spec;
      return r.kind === 'runtime' ? marked : `${marked} (${kindText(r.kind, r.group)})`;
    });
    return `- ${code(o.name)}: ${each.join('; ')}`;
  });
  return [`Declared by ${f.others.length === 1 ? '1 other package' : `${f.others.length} other packages`}:\n${lines.join('\n')}`, verdict].filter((x) => x !== '').join('\n\n');
}

function rel(root: string, file: string): string {
  return toPosix(path.relative(root, file));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Inline code that survives backticks in the text (a longer fence, padded when needed). */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes the Markdown characters that would change how free text (a description, a message) renders. */
function esc(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

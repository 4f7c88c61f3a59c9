/**
 * The `[tool.uv]` part of a pyproject.toml, as the uv docs describe it ("Configuration > Settings" and
 * "Concepts > Projects > Workspaces / Dependencies"): `[tool.uv.workspace]` members/exclude, `[tool.uv.sources]`,
 * `[tool.uv] dev-dependencies` (the legacy dev group) and `[tool.uv] package`.
 */
import type { DeclaredRequirement, Range, RequirementSource } from '../model';
import { normalizeName } from './pep508';
import type { ReadContext, TomlTable } from './pyprojectContext';
import { describe, displayPath, isTable, locate, pep508List, report, resolvePath, stringElements, subTable } from './pyprojectContext';
import type { TomlPath } from './tomlPositions';

/** `[tool.uv.workspace]`: member and exclude globs as written; `range` is the table header (or its key). */
export interface UvWorkspaceDecl {
  members: string[];
  exclude: string[];
  range: Range;
}

/** One `[tool.uv.sources]` entry; `range` is the entry's key (the distribution name). */
export interface UvSourceDecl {
  source: RequirementSource;
  range: Range;
}

/** What `readUv` finds in one file. */
export interface UvRead {
  workspace?: UvWorkspaceDecl;
  /** Keyed by PEP 503 normalized name. */
  sources: Map<string, UvSourceDecl>;
  /** `[tool.uv] package`; `undefined` when not written. */
  package?: boolean;
  /** `[tool.uv] dev-dependencies`: kind `dev`, group `dev`. */
  requirements: DeclaredRequirement[];
}

const UV: TomlPath = ['tool', 'uv'];

/** Reads `[tool.uv]` (already narrowed to a table, or `undefined`), reporting located problems for wrong shapes. */
export function readUv(ctx: ReadContext, uv: TomlTable | undefined): UvRead {
  const out: UvRead = { sources: new Map(), requirements: [] };
  if (!uv) return out;

  const ws = subTable(ctx, uv, 'workspace', [...UV, 'workspace']);
  if (ws) {
    const p = [...UV, 'workspace'];
    out.workspace = {
      members: stringElements(ctx, ws.members, [...p, 'members'], 'glob strings').map((e) => e.text),
      exclude: stringElements(ctx, ws.exclude, [...p, 'exclude'], 'glob strings').map((e) => e.text),
      range: ctx.pos.tableHeaderRange(p) ?? locate(ctx, p, 'key'),
    };
  }

  const sources = subTable(ctx, uv, 'sources', [...UV, 'sources']);
  for (const [name, spec] of Object.entries(sources ?? {})) {
    const p = [...UV, 'sources', name];
    const source = uvSource(ctx, spec, p, name);
    if (source) out.sources.set(normalizeName(name), { source, range: locate(ctx, p, 'key') });
  }

  if (uv.package !== undefined) {
    if (typeof uv.package === 'boolean') out.package = uv.package;
    else report(ctx, [...UV, 'package'], `\`tool.uv.package\` must be true or false, found ${describe(uv.package)}`);
  }

  out.requirements = pep508List(ctx, uv['dev-dependencies'], [...UV, 'dev-dependencies'], 'dev', 'dev');
  return out;
}

/**
 * One uv source: `{ workspace = true }`, `{ path = "../x", editable = true }`, `{ git = "..." }`, `{ url = "..." }`,
 * `{ index = "..." }`; a list of marker-specific sources gives its first. Problems are located at the value.
 */
function uvSource(ctx: ReadContext, spec: unknown, path: TomlPath, name: string): RequirementSource | undefined {
  if (Array.isArray(spec)) {
    if (spec.length === 0) {
      report(ctx, path, `uv source for '${name}' is an empty list`);
      return undefined;
    }
    return uvSource(ctx, spec[0], [...path, 0], name);
  }
  if (!isTable(spec)) {
    report(ctx, path, `uv source for '${name}' must be a table such as { workspace = true } or { path = "../${name}" }, found ${describe(spec)}`);
    return undefined;
  }
  const str = (key: string): string | undefined => {
    const v = spec[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    report(ctx, [...path, key], `\`${displayPath([...path, key])}\` must be a string, found ${describe(v)}`);
    return undefined;
  };
  if (spec.workspace !== undefined) {
    if (spec.workspace === true) return { type: 'workspace' };
    report(ctx, [...path, 'workspace'], `uv source for '${name}': \`workspace\` must be true, found ${describe(spec.workspace)}`);
    return undefined;
  }
  if (spec.path !== undefined) {
    const p = str('path');
    if (spec.editable !== undefined && typeof spec.editable !== 'boolean') {
      report(ctx, [...path, 'editable'], `uv source for '${name}': \`editable\` must be true or false, found ${describe(spec.editable)}`);
    }
    return p === undefined ? undefined : { type: 'path', path: resolvePath(ctx, p), editable: spec.editable === true };
  }
  if (spec.git !== undefined) {
    const url = str('git');
    return url === undefined ? undefined : { type: 'git', url };
  }
  if (spec.url !== undefined) {
    const url = str('url');
    return url === undefined ? undefined : { type: 'url', url };
  }
  if (spec.index !== undefined) {
    const index = str('index');
    return index === undefined ? undefined : { type: 'index', index };
  }
  report(ctx, path, `uv source for '${name}' has none of workspace, path, git, url or index`);
  return undefined;
}

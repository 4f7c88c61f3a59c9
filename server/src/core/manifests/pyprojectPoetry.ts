/**
 * The `[tool.poetry]` part of a pyproject.toml, after the Poetry docs ("The pyproject.toml file" and
 * "Dependency specification"): name/version/description, `dependencies` (skipping `python`), the legacy
 * `dev-dependencies`, `group.<name>.dependencies`, `extras` and `scripts`.
 *
 * A Poetry requirement is located at its key and its `raw` text is the whole `key = value` entry. Poetry
 * constraints (`^1.2`, `~1.2`, `1.2.*`) are kept as written, spaces removed; `*` means any version (`''`).
 */
import type { DeclaredRequirement, DependencyKind, Range, RequirementSource } from '../model';
import { isValidName, normalizeName } from './pep508';
import type { ReadContext, TomlTable } from './pyprojectContext';
import { describe, displayPath, isTable, locate, optionalString, report, resolvePath, stringElements, subTable } from './pyprojectContext';
import type { TomlPath } from './tomlPositions';

/** What `readPoetry` finds. `python` is the `dependencies.python` constraint (used as requires-python). */
export interface PoetryRead {
  name?: string;
  nameRange?: Range;
  version?: string;
  description?: string;
  python?: string;
  scripts: Record<string, string>;
  requirements: DeclaredRequirement[];
}

const POETRY: TomlPath = ['tool', 'poetry'];

/** Keys of a Poetry dependency table (Poetry docs, "Dependency specification"). */
const TABLE_KEYS = new Set([
  'version', 'path', 'develop', 'optional', 'extras', 'markers', 'python', 'git', 'branch', 'rev', 'tag', 'url', 'source',
  'subdirectory', 'platform', 'allow-prereleases',
]);

interface SpecRead {
  specifier: string;
  extras: string[];
  marker?: string;
  source?: RequirementSource;
  optional: boolean;
}

/**
 * Reads `[tool.poetry]` (already narrowed to a table, or `undefined`).
 *
 * `projectRuntime` is given for a Poetry 2 project whose `[project]` declares `dependencies`: a main
 * `[tool.poetry.dependencies]` entry for a name already there only adds its source (path/develop/git/url) to that
 * requirement (when it has none) instead of making a second requirement.
 */
export function readPoetry(ctx: ReadContext, poetry: TomlTable | undefined, projectRuntime?: DeclaredRequirement[]): PoetryRead {
  const out: PoetryRead = { scripts: {}, requirements: [] };
  if (!poetry) return out;

  const name = optionalString(ctx, poetry, 'name', [...POETRY, 'name']);
  if (name !== undefined) {
    if (isValidName(name)) {
      out.name = name;
      out.nameRange = locate(ctx, [...POETRY, 'name']);
    } else report(ctx, [...POETRY, 'name'], `\`tool.poetry.name\` ${JSON.stringify(name)} is not a valid distribution name (PEP 508)`);
  }
  out.version = optionalString(ctx, poetry, 'version', [...POETRY, 'version']);
  out.description = optionalString(ctx, poetry, 'description', [...POETRY, 'description']);
  out.scripts = readScripts(ctx, poetry);

  const extraOf = readExtras(ctx, poetry);
  const main = subTable(ctx, poetry, 'dependencies', [...POETRY, 'dependencies']);
  for (const [dep, spec] of Object.entries(main ?? {})) {
    const path = [...POETRY, 'dependencies', dep];
    if (dep.toLowerCase() === 'python') {
      if (typeof spec === 'string') out.python = spec;
      else report(ctx, path, `\`tool.poetry.dependencies.python\` must be a version constraint string, found ${describe(spec)}`);
      continue;
    }
    const req = poetryRequirement(ctx, dep, spec, path, 'runtime', undefined);
    if (!req) continue;
    const extra = req.kind === 'optional' ? extraOf.get(req.normalized) : undefined;
    if (extra !== undefined) req.group = extra;
    const existing = projectRuntime?.find((r) => r.normalized === req.normalized);
    if (existing) {
      if (req.source && !existing.source) existing.source = req.source;
    } else out.requirements.push(req);
  }

  const legacyDev = subTable(ctx, poetry, 'dev-dependencies', [...POETRY, 'dev-dependencies']);
  out.requirements.push(...readDevTable(ctx, legacyDev, [...POETRY, 'dev-dependencies'], 'dev'));

  const groups = subTable(ctx, poetry, 'group', [...POETRY, 'group']);
  for (const [group, value] of Object.entries(groups ?? {})) {
    const gPath = [...POETRY, 'group', group];
    if (!isTable(value)) {
      report(ctx, gPath, `\`${displayPath(gPath)}\` must be a table with a \`dependencies\` table, found ${describe(value)}`);
      continue;
    }
    const deps = subTable(ctx, value, 'dependencies', [...gPath, 'dependencies']);
    out.requirements.push(...readDevTable(ctx, deps, [...gPath, 'dependencies'], group));
  }
  return out;
}

/** A dev table (`dev-dependencies` or a group's `dependencies`): every entry but `python` becomes a `dev` requirement. */
function readDevTable(ctx: ReadContext, table: TomlTable | undefined, path: TomlPath, group: string): DeclaredRequirement[] {
  const out: DeclaredRequirement[] = [];
  for (const [dep, spec] of Object.entries(table ?? {})) {
    if (dep.toLowerCase() === 'python') continue;
    const req = poetryRequirement(ctx, dep, spec, [...path, dep], 'dev', group);
    if (req) out.push(req);
  }
  return out;
}

/** One `name = spec` entry; `undefined` (with a located problem) when the name or the spec is unusable. */
function poetryRequirement(
  ctx: ReadContext,
  name: string,
  spec: unknown,
  path: TomlPath,
  kind: DependencyKind,
  group: string | undefined,
): DeclaredRequirement | undefined {
  if (!isValidName(name)) {
    report(ctx, path, `Poetry dependency key ${JSON.stringify(name)} is not a valid distribution name (PEP 508)`, 'key');
    return undefined;
  }
  const read = readSpec(ctx, name, spec, path);
  if (!read) return undefined;
  const range = locate(ctx, path, 'key');
  const entry = ctx.pos.entryRange(path);
  const req: DeclaredRequirement = {
    name,
    normalized: normalizeName(name),
    specifier: read.specifier,
    extras: read.extras,
    kind: read.optional && kind === 'runtime' ? 'optional' : kind,
    file: ctx.file,
    range,
    raw: entry ? ctx.pos.textOf(entry) : `${name} = ${JSON.stringify(spec)}`,
  };
  if (group !== undefined) req.group = group;
  if (read.marker !== undefined) req.marker = read.marker;
  if (read.source) req.source = read.source;
  return req;
}

/** A constraint string, a dependency table, or a list of constraint tables (the first one counts). */
function readSpec(ctx: ReadContext, name: string, spec: unknown, path: TomlPath): SpecRead | undefined {
  if (typeof spec === 'string') return { specifier: constraint(spec), extras: [], optional: false };
  if (Array.isArray(spec)) {
    if (spec.length === 0) {
      report(ctx, path, `Poetry dependency '${name}' is an empty list of constraints`);
      return undefined;
    }
    return readSpec(ctx, name, spec[0], [...path, 0]);
  }
  if (!isTable(spec)) {
    report(ctx, path, `Poetry dependency '${name}' must be a version string or a table, found ${describe(spec)}`);
    return undefined;
  }
  if (!Object.keys(spec).some((k) => TABLE_KEYS.has(k))) {
    report(ctx, path, `Poetry dependency '${name}' has none of the known keys (version, path, git, url, source, extras, markers, ...)`);
    return undefined;
  }
  const str = (key: string): string | undefined => optionalString(ctx, spec, key, [...path, key]);
  const bool = (key: string): boolean => {
    const v = spec[key];
    if (v === undefined || typeof v === 'boolean') return v === true;
    report(ctx, [...path, key], `\`${displayPath([...path, key])}\` must be true or false, found ${describe(v)}`);
    return false;
  };
  const version = str('version');
  const out: SpecRead = {
    specifier: version === undefined ? '' : constraint(version),
    extras: stringElements(ctx, spec.extras, [...path, 'extras'], 'extra names').map((e) => e.text),
    optional: bool('optional'),
  };
  const marker = str('markers');
  if (marker !== undefined) out.marker = marker;
  const develop = bool('develop');
  const p = str('path');
  const git = str('git');
  const url = str('url');
  const index = str('source');
  if (p !== undefined) out.source = { type: 'path', path: resolvePath(ctx, p), editable: develop };
  else if (git !== undefined) out.source = { type: 'git', url: git };
  else if (url !== undefined) out.source = { type: 'url', url };
  else if (index !== undefined) out.source = { type: 'index', index };
  return out;
}

/** A Poetry constraint as written without spaces; `*` (any version) becomes `''`. */
function constraint(text: string): string {
  const s = text.replace(/\s+/g, '');
  return s === '*' ? '' : s;
}

/** `[tool.poetry.extras]`: normalized dependency name → the extra that lists it (first one wins). */
function readExtras(ctx: ReadContext, poetry: TomlTable): Map<string, string> {
  const out = new Map<string, string>();
  const extras = subTable(ctx, poetry, 'extras', [...POETRY, 'extras']);
  for (const [extra, value] of Object.entries(extras ?? {})) {
    for (const el of stringElements(ctx, value, [...POETRY, 'extras', extra], 'dependency names')) {
      const norm = normalizeName(el.text.split(/[\s[<>=!~^;]/)[0]);
      if (!out.has(norm)) out.set(norm, extra);
    }
  }
  return out;
}

/** `[tool.poetry.scripts]`: `name = "module:func"` or `name = { reference = "...", type = "console" }` (or `callable`). */
function readScripts(ctx: ReadContext, poetry: TomlTable): Record<string, string> {
  const out: Record<string, string> = {};
  const scripts = subTable(ctx, poetry, 'scripts', [...POETRY, 'scripts']);
  for (const [name, value] of Object.entries(scripts ?? {})) {
    const path = [...POETRY, 'scripts', name];
    if (typeof value === 'string') out[name] = value;
    else if (isTable(value) && typeof (value.reference ?? value.callable) === 'string') out[name] = String(value.reference ?? value.callable);
    else report(ctx, path, `Poetry script '${name}' must be "module:function" or a table with \`reference\`, found ${describe(value)}`);
  }
  return out;
}

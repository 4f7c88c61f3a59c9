/**
 * Edits of the PEP 621 side of a pyproject.toml for the quick fixes: `[project] dependencies` (PEP 621 /
 * PyPA "Declaring project metadata"), development declarations (PEP 735 `[dependency-groups]`, dev-like
 * `[project.optional-dependencies]` extras, uv `[tool.uv] dev-dependencies`, PDM `[tool.pdm.dev-dependencies]`)
 * and uv `[tool.uv.sources]` (uv docs, "Concepts > Projects > Dependencies > Dependency sources").
 *
 * Every function takes a parsed `TomlDoc` and returns a `Step` of small edits (see `tomlEdits.ts`).
 */
import { normalizeName, parseRequirement } from '../manifests/pep508';
import { isTable } from '../manifests/pyprojectContext';
import type { TomlPath } from '../manifests/tomlPositions';
import type { Step } from './textEdit';
import type { TomlDoc } from './tomlEdits';
import { addKeyToTable, appendToArray, arrayInfo, createTable, quoteOf, removeFromArray, tomlKey, tomlString, valueAt, valueSpan } from './tomlEdits';

/** `[project] dependencies`. */
export const PROJECT_DEPS: TomlPath = ['project', 'dependencies'];

/** Optional-dependency extras that hold development tools (the same list `pyproject.ts` reads as `dev`). */
const DEV_EXTRAS = new Set(['dev', 'test', 'tests', 'testing', 'lint', 'linting', 'docs', 'doc', 'typing', 'mypy', 'style', 'qa']);

/** The PEP 503 name a PEP 508 string declares, or `undefined` for non-strings and strings that do not parse. */
export function requirementName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const r = parseRequirement(v);
  return r.ok ? r.requirement.normalized : undefined;
}

/** True when `[project]` is a table (the file is edited as PEP 621 then, Poetry 2 files included). */
export function hasProjectTable(doc: TomlDoc): boolean {
  return isTable(doc.root.project);
}

/** True when `[project] dependencies` lists a requirement named `normalized`. */
export function declaresRuntime(doc: TomlDoc, normalized: string): boolean {
  const deps = valueAt(doc, PROJECT_DEPS);
  return Array.isArray(deps) && deps.some((d: unknown) => requirementName(d) === normalized);
}

/** The quote character to write new strings in: the array's own elements, else `[project] name`'s, else `"`. */
function quoteFor(doc: TomlDoc, path: TomlPath): string {
  const a = arrayInfo(doc, path);
  const spans = [...(a?.items ?? []), ...[valueSpan(doc, ['project', 'name'])].filter((s) => s !== undefined)];
  return quoteOf(doc.text, spans);
}

const bySortName = (key: string): { of: (v: unknown) => string | undefined; key: string } => ({ of: requirementName, key });

/**
 * Adds the PEP 508 string `requirement` (named `normalized`) to `[project] dependencies`: into the array in the
 * file's style, or as a new `dependencies = [...]` line after the last key of `[project]` when the key is
 * missing. Fails when `dependencies` is listed in `[project] dynamic` (the build backend reads it elsewhere).
 */
export function addProjectDependency(doc: TomlDoc, requirement: string, normalized: string): Step {
  const dynamic = valueAt(doc, ['project', 'dynamic']);
  const deps = valueAt(doc, PROJECT_DEPS);
  if (deps === undefined && Array.isArray(dynamic) && dynamic.includes('dependencies')) {
    return { ok: false, reason: '`dependencies` is dynamic in [project]: add the requirement where the build backend reads it (for example requirements.txt)' };
  }
  const element = tomlString(requirement, quoteFor(doc, PROJECT_DEPS));
  if (deps === undefined) return addKeyToTable(doc, ['project'], 'dependencies', `[${element}]`);
  if (!Array.isArray(deps)) return { ok: false, reason: '`[project] dependencies` is not an array' };
  return appendToArray(doc, PROJECT_DEPS, element, bySortName(normalized));
}

/** Removes the first `[project] dependencies` element named `normalized` (`ok` with no edits when none is). */
export function removeProjectDependency(doc: TomlDoc, normalized: string): Step {
  return removeFromArray(doc, PROJECT_DEPS, (v) => requirementName(v) === normalized);
}

/** A development declaration of a PEP 508 string: the array that holds it and its text. */
export interface DevDeclaration {
  array: TomlPath;
  text: string;
}

/** The arrays that hold development requirements in PEP 508 form, in the order they are preferred for adding. */
export function devArrays(doc: TomlDoc): TomlPath[] {
  const out: TomlPath[] = [];
  const tableKeys = (path: TomlPath): string[] => {
    const t = valueAt(doc, path);
    return isTable(t) ? Object.keys(t) : [];
  };
  const groups = tableKeys(['dependency-groups']);
  for (const g of [...groups.filter((g) => normalizeName(g) === 'dev'), ...groups.filter((g) => normalizeName(g) !== 'dev')]) {
    out.push(['dependency-groups', g]);
  }
  if (Array.isArray(valueAt(doc, ['tool', 'uv', 'dev-dependencies']))) out.push(['tool', 'uv', 'dev-dependencies']);
  for (const e of tableKeys(['project', 'optional-dependencies'])) {
    if (DEV_EXTRAS.has(normalizeName(e))) out.push(['project', 'optional-dependencies', e]);
  }
  for (const g of tableKeys(['tool', 'pdm', 'dev-dependencies'])) out.push(['tool', 'pdm', 'dev-dependencies', g]);
  return out.filter((p) => Array.isArray(valueAt(doc, p)));
}

/** Every development declaration of `normalized` in PEP 508 form (see `devArrays`). */
export function devDeclarations(doc: TomlDoc, normalized: string): DevDeclaration[] {
  const out: DevDeclaration[] = [];
  for (const array of devArrays(doc)) {
    const v = valueAt(doc, array);
    if (!Array.isArray(v)) continue;
    for (const el of v) if (typeof el === 'string' && requirementName(el) === normalized) out.push({ array, text: el });
  }
  return out;
}

/**
 * Adds `requirement` as a development dependency of a PEP 621 file. With `group`: that PEP 735 group, else that
 * optional-dependencies extra when it exists, else a new PEP 735 group. Without: the first dev array of
 * `devArrays` (PEP 735 `dev` first), else a new `[dependency-groups] dev`.
 */
export function addDevDependency(doc: TomlDoc, requirement: string, normalized: string, group: string | undefined): Step {
  const wanted = group === undefined ? undefined : normalizeName(group);
  const arrays = devArrays(doc);
  const extraNamed = (g: string): TomlPath => ['project', 'optional-dependencies', g];
  const target =
    wanted === undefined
      ? arrays[0]
      : (arrays.find((p) => p[0] === 'dependency-groups' && normalizeName(String(p[1])) === wanted) ??
        (Array.isArray(valueAt(doc, extraNamed(group ?? ''))) ? extraNamed(group ?? '') : undefined));
  const quote = quoteFor(doc, target ?? PROJECT_DEPS);
  const element = tomlString(requirement, quote);
  if (target) return appendToArray(doc, target, element, bySortName(normalized));
  const name = tomlKey(group ?? 'dev');
  if (valueAt(doc, ['dependency-groups']) !== undefined) return addKeyToTable(doc, ['dependency-groups'], name, `[${element}]`);
  return createTable(doc, 'dependency-groups', [`${name} = [${element}]`], [['project']]);
}

/** True when this file's `[tool.uv.sources]` has an entry for `normalized`. */
export function hasUvSource(doc: TomlDoc, normalized: string): boolean {
  const sources = valueAt(doc, ['tool', 'uv', 'sources']);
  return isTable(sources) && Object.keys(sources).some((k) => normalizeName(k) === normalized);
}

/**
 * Adds `name = <source>` to `[tool.uv.sources]` (`source` is TOML text such as `{ workspace = true }`),
 * creating the table after the file's other `[tool.uv...]` tables (or at the end) when it is missing.
 */
export function addUvSource(doc: TomlDoc, name: string, source: string): Step {
  const key = tomlKey(name);
  if (valueAt(doc, ['tool', 'uv', 'sources']) !== undefined) return addKeyToTable(doc, ['tool', 'uv', 'sources'], key, source);
  return createTable(doc, 'tool.uv.sources', [`${key} = ${source}`], [['tool', 'uv']]);
}

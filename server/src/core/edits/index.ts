/**
 * Format-preserving manifest edits behind the quick fixes (README "Quick fixes"): pure functions from a
 * manifest's text to minimal `TextEdit`s, dispatched by file.
 *
 * - pyproject.toml with `[project]`: PEP 621 `[project] dependencies` (created after the last key of `[project]`
 *   when missing), dev requirements in PEP 735 groups or the file's existing dev arrays, uv
 *   `[tool.uv.sources]` for internal libraries (and Poetry 2's `[tool.poetry.dependencies]` path entry).
 * - Poetry-only pyproject.toml: `[tool.poetry.dependencies]` / `[tool.poetry.group.<g>.dependencies]`.
 *   `[project]` is never created.
 * - requirements files: one line added or the declaring lines removed.
 * - Dockerfiles and anything else: `{ ok: false, reason }`.
 *
 * Every byte outside the edited spans is kept (comments, CRLF, tabs, trailing commas, quoting style). A TOML
 * result is parsed again before it is offered; an edit that would not parse is refused, never returned.
 */
import * as path from 'node:path';
import { isDockerfileName } from '../manifests/dockerfile';
import { isValidName, normalizeName, parseRequirement } from '../manifests/pep508';
import { isRequirementsFileName, requirementsKindOf } from '../manifests/requirements';
import { isTable } from '../manifests/pyprojectContext';
import type { Step, TextEdit, TextOp } from './textEdit';
import { applyOffsetEdits, repeatOp, runOps, toTextEdits } from './textEdit';
import type { TomlDoc } from './tomlEdits';
import { parsesAsToml, readToml, removeFromArray, tomlString, valueAt, valueSpan } from './tomlEdits';
import {
  addDevDependency, addProjectDependency, addUvSource, declaresRuntime, devDeclarations, hasProjectTable, hasUvSource,
  removeProjectDependency, requirementName,
} from './pyprojectEdits';
import {
  POETRY_MAIN, addPoetryDependency, hasPoetryTable, pep508ToPoetry, poetryDevTables, poetryDevTarget, poetryKeyOf,
  poetryQuote, poetryToPep508, removePoetryDependency,
} from './poetryEdits';
import { addRequirementLine, isGeneratedRequirements, removeRequirementLines, requirementsDeclaring } from './requirementsEdits';

export type { TextEdit } from './textEdit';
export { applyEdits } from './textEdit';

/** The edits of one quick fix and its title, or why the fix cannot be made (a sentence naming the file). */
export type ManifestEditResult = { ok: true; edits: TextEdit[]; title: string } | { ok: false; reason: string };

type Plan = { ok: true; ops: TextOp[]; title: string } | { ok: false; reason: string };

/**
 * Adds a requirement (PEP 508 text such as `requests>=2.31`, or a bare name) to the package's main
 * dependencies, or with `opts.kind = 'dev'` to its development dependencies (`opts.group`, default `dev`).
 * Fails for an invalid PEP 508 string, a name the target already declares, a generated lock file, a
 * Dockerfile, a pyproject.toml with neither `[project]` nor `[tool.poetry]`, or a dynamic `dependencies`.
 */
export function addRequirement(file: string, text: string, requirement: string, opts: { kind?: 'runtime' | 'dev'; group?: string } = {}): ManifestEditResult {
  const req = requirement.trim();
  const parsed = parseRequirement(req);
  if (!parsed.ok) return fail(file, `'${req}' is not a valid PEP 508 requirement: ${parsed.message}`);
  const { name, normalized } = parsed.requirement;
  const dev = opts.kind === 'dev';
  const target = dev ? `${opts.group ?? 'dev'} dependencies` : 'dependencies';
  const kind = manifestKind(file);
  if (kind === 'requirements') {
    if (requirementsDeclaring(file, text, normalized).length > 0) return fail(file, `'${name}' is already declared`);
    return withLines(file, text, `Add '${req}' to ${packageName(file, undefined)}'s ${target}`, () => addRequirementLine(file, text, req, normalized));
  }
  if (kind !== 'pyproject') return notEditable(file, kind);
  return withToml(file, text, (doc) => {
    const title = `Add '${req}' to ${packageName(file, doc)}'s ${target}`;
    if (hasProjectTable(doc)) {
      const already = dev ? devDeclarations(doc, normalized).length > 0 : declaresRuntime(doc, normalized);
      if (already) return { ok: false, reason: `'${name}' is already in the ${target} of [project]` };
      return { ok: true, title, ops: [tomlOp((d) => (dev ? addDevDependency(d, req, normalized, opts.group) : addProjectDependency(d, req, normalized)))] };
    }
    if (!hasPoetryTable(doc)) return { ok: false, reason: 'the file has neither [project] nor [tool.poetry]; pymono does not create [project]' };
    const table = dev ? poetryDevTarget(doc, opts.group) : POETRY_MAIN;
    if (poetryKeyOf(doc, table, normalized) !== undefined) return { ok: false, reason: `'${name}' is already in [${table.join('.')}]` };
    const value = pep508ToPoetry(req, poetryQuote(doc, table));
    if (value === undefined) return { ok: false, reason: `'${req}' cannot be written as a Poetry dependency` };
    return { ok: true, title, ops: [tomlOp((d) => addPoetryDependency(d, table, name, value))] };
  });
}

/**
 * Adds the internal library `name` whose folder is `opts.relativePath` (relative to the manifest's folder):
 * PEP 621 entry plus, unless `opts.sourceCovered`, `[tool.uv.sources] <name> = { workspace = true }` for a uv
 * workspace member (a `{ path, editable }` source when the file already uses uv sources outside a workspace, a
 * Poetry path entry for Poetry 2 files); Poetry: `<name> = { path = "<relative>", develop = true }`;
 * requirements: `-e <relative path>`. Fails when everything it would add is already there.
 */
export function addInternalRequirement(file: string, text: string, name: string, opts: { relativePath: string; uvWorkspace: boolean; sourceCovered: boolean }): ManifestEditResult {
  if (!isValidName(name)) return fail(file, `'${name}' is not a valid distribution name`);
  const normalized = normalizeName(name);
  const title = `Add internal library '${name}'`;
  const rel = opts.relativePath.replace(/\\/g, '/');
  const kind = manifestKind(file);
  if (kind === 'requirements') {
    const dir = path.resolve(path.dirname(file), rel);
    const reqs = requirementsDeclaring(file, text, normalized);
    if (reqs.length > 0) return fail(file, `'${name}' is already declared`);
    const line = `-e ${/^(\.|\/|[A-Za-z]:\/)/.test(rel) ? rel : `./${rel}`}`;
    if (text.split(/\r\n|\r|\n/).some((l) => /^\s*(-e|--editable)[\s=]/.test(l) && path.resolve(path.dirname(file), l.trim().replace(/^(-e|--editable)[\s=]+/, '')) === dir)) {
      return fail(file, `'${rel}' is already installed by the file`);
    }
    return withLines(file, text, title, () => addRequirementLine(file, text, line));
  }
  if (kind !== 'pyproject') return notEditable(file, kind);
  return withToml(file, text, (doc) => {
    const q = (v: string): string => tomlString(v, '"');
    const ops: TextOp[] = [];
    if (hasProjectTable(doc)) {
      if (!declaresRuntime(doc, normalized)) ops.push(tomlOp((d) => addProjectDependency(d, name, normalized)));
      if (!opts.sourceCovered) {
        const usesUvSources = isTable(valueAt(doc, ['tool', 'uv', 'sources']));
        if (opts.uvWorkspace && !hasUvSource(doc, normalized)) ops.push(tomlOp((d) => addUvSource(d, name, '{ workspace = true }')));
        else if (!opts.uvWorkspace && usesUvSources && !hasUvSource(doc, normalized)) {
          ops.push(tomlOp((d) => addUvSource(d, name, `{ path = ${q(rel)}, editable = true }`)));
        } else if (!opts.uvWorkspace && !usesUvSources && hasPoetryTable(doc) && poetryKeyOf(doc, POETRY_MAIN, normalized) === undefined) {
          ops.push(tomlOp((d) => addPoetryDependency(d, POETRY_MAIN, name, `{ path = ${q(rel)}, develop = true }`)));
        }
      }
    } else if (hasPoetryTable(doc)) {
      if (poetryKeyOf(doc, POETRY_MAIN, normalized) === undefined) {
        ops.push(tomlOp((d) => addPoetryDependency(d, POETRY_MAIN, name, `{ path = ${q(rel)}, develop = true }`)));
      }
    } else return { ok: false, reason: 'the file has neither [project] nor [tool.poetry]; pymono does not create [project]' };
    if (ops.length === 0) return { ok: false, reason: `'${name}' is already declared with its source` };
    return { ok: true, title, ops };
  });
}

/**
 * Removes every runtime declaration of the PEP 503 name `normalized`: `[project] dependencies` elements (with
 * their comma and line), `[tool.poetry.dependencies]` entries, requirements-file lines (a nameless `-e ../x`
 * matches by its folder name). Fails when the file declares no such runtime dependency.
 */
export function removeRequirement(file: string, text: string, normalized: string): ManifestEditResult {
  const title = `Remove unused '${normalized}'`;
  const kind = manifestKind(file);
  if (kind === 'requirements') return withLines(file, text, title, () => removeRequirementLines(file, text, normalized));
  if (kind !== 'pyproject') return notEditable(file, kind);
  return withToml(file, text, (doc) => {
    const ops: TextOp[] = [];
    if (declaresRuntime(doc, normalized)) ops.push(repeatOp(tomlOp((d) => removeProjectDependency(d, normalized))));
    if (poetryKeyOf(doc, POETRY_MAIN, normalized) !== undefined) ops.push(tomlOp((d) => removePoetryDependency(d, POETRY_MAIN, normalized)));
    if (ops.length === 0) return { ok: false, reason: `'${normalized}' is not a runtime dependency declared here` };
    return { ok: true, title, ops };
  });
}

/**
 * Moves a development-only declaration of `normalized` to the runtime dependencies: removed from every dev
 * array and Poetry dev table of the file, added to `[project] dependencies` (or `[tool.poetry.dependencies]`)
 * keeping its specifier, extras and marker (Poetry constraints are converted for PEP 621 targets). Fails for
 * requirements files and Dockerfiles (the dev declaration lives in another file) and when nothing is found.
 */
export function moveToRuntime(file: string, text: string, normalized: string): ManifestEditResult {
  const kind = manifestKind(file);
  if (kind === 'requirements') {
    return fail(file, 'a requirements file holds one kind of dependency: remove the line from the dev requirements file and add it to the runtime one');
  }
  if (kind !== 'pyproject') return notEditable(file, kind);
  return withToml(file, text, (doc) => {
    const pep = devDeclarations(doc, normalized);
    const poetry = poetryDevTables(doc).flatMap((table) => {
      const key = poetryKeyOf(doc, table, normalized);
      return key === undefined ? [] : [{ table, key }];
    });
    if (pep.length === 0 && poetry.length === 0) return { ok: false, reason: `'${normalized}' has no development declaration here` };
    const ops: TextOp[] = [];
    if (hasProjectTable(doc)) {
      const req = pep[0]?.text ?? poetryToPep508(poetry[0].key, valueAt(doc, [...poetry[0].table, poetry[0].key]));
      if (req === undefined) return { ok: false, reason: `the Poetry spec of '${poetry[0].key}' has no PEP 508 equivalent; move it by hand` };
      if (!declaresRuntime(doc, normalized)) ops.push(tomlOp((d) => addProjectDependency(d, req, normalized)));
    } else if (poetryKeyOf(doc, POETRY_MAIN, normalized) === undefined) {
      const first = poetry[0];
      const span = first && valueSpan(doc, [...first.table, first.key]);
      const value = span ? doc.text.slice(span.start, span.end) : pep508ToPoetry(pep[0]?.text ?? '', poetryQuote(doc, POETRY_MAIN));
      const parsed = pep[0] && parseRequirement(pep[0].text);
      const name = first?.key ?? (parsed?.ok ? parsed.requirement.name : normalized);
      if (value === undefined) return { ok: false, reason: `'${normalized}' cannot be written as a Poetry dependency` };
      ops.push(tomlOp((d) => addPoetryDependency(d, POETRY_MAIN, name, value)));
    }
    const arrays = new Map(pep.map((p) => [JSON.stringify(p.array), p.array]));
    for (const array of arrays.values()) ops.push(repeatOp(tomlOp((d) => removeFromArray(d, array, (v) => requirementName(v) === normalized))));
    for (const { table } of poetry) ops.push(tomlOp((d) => removePoetryDependency(d, table, normalized)));
    return { ok: true, title: `Move '${normalized}' to runtime dependencies`, ops };
  });
}

// --- dispatch plumbing ---------------------------------------------------------------------------------------

type ManifestKind = 'pyproject' | 'requirements' | 'dockerfile' | 'other';

function manifestKind(file: string): ManifestKind {
  const base = path.basename(file);
  if (base.toLowerCase() === 'pyproject.toml') return 'pyproject';
  if (isDockerfileName(base)) return 'dockerfile';
  if (isRequirementsFileName(base)) return 'requirements';
  if (path.basename(path.dirname(file)).toLowerCase() === 'requirements' && /\.(txt|in)$/i.test(base)) return 'requirements';
  return 'other';
}

/** The package's name for titles: `[project] name`, `[tool.poetry] name`, else its folder's name. */
function packageName(file: string, doc: TomlDoc | undefined): string {
  for (const p of [['project', 'name'], ['tool', 'poetry', 'name']]) {
    const v = doc && valueAt(doc, p);
    if (typeof v === 'string' && v !== '') return v;
  }
  const dir = path.dirname(file);
  return path.basename(path.basename(dir).toLowerCase() === 'requirements' ? path.dirname(dir) : dir);
}

function where(file: string): string {
  return `${path.basename(path.dirname(file))}/${path.basename(file)}`;
}

function fail(file: string, reason: string): ManifestEditResult {
  return { ok: false, reason: `${where(file)}: ${reason}` };
}

function notEditable(file: string, kind: ManifestKind): ManifestEditResult {
  if (kind === 'dockerfile') {
    return fail(file, 'the package is declared by a Dockerfile only; declare its dependencies in a requirements.txt or pyproject.toml first');
  }
  return fail(file, 'not a manifest pymono can edit (pyproject.toml or a requirements file)');
}

/** Wraps a step over a parsed document as a step over text (the text is parsed again each time). */
function tomlOp(fn: (doc: TomlDoc) => Step): TextOp {
  return (text) => {
    const r = readToml(text);
    return r.ok ? fn(r.doc) : r;
  };
}

function withToml(file: string, text: string, plan: (doc: TomlDoc) => Plan): ManifestEditResult {
  const read = readToml(text);
  if (!read.ok) return fail(file, read.reason);
  const p = plan(read.doc);
  if (!p.ok) return fail(file, p.reason);
  const step = runOps(text, p.ops);
  if (!step.ok) return fail(file, step.reason);
  if (step.edits.length === 0) return fail(file, 'nothing to change');
  const check = parsesAsToml(applyOffsetEdits(text, step.edits));
  if (!check.ok) return fail(file, `the edit would break the file (${check.reason}); please make it by hand and report this`);
  return { ok: true, edits: toTextEdits(text, step.edits), title: p.title };
}

function withLines(file: string, text: string, title: string, op: () => Step): ManifestEditResult {
  if (isGeneratedRequirements(text)) return fail(file, 'the file is generated by pip-compile or uv; edit its .in source and compile again');
  const step = op();
  if (!step.ok) return fail(file, step.reason);
  if (step.edits.length === 0) {
    const kindNote = requirementsKindOf(path.basename(file)).kind === 'dev' ? ' (a development requirements file)' : '';
    return fail(file, `nothing declares it here${kindNote}`);
  }
  return { ok: true, edits: toTextEdits(text, step.edits), title };
}

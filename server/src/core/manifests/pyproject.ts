/**
 * Reads one pyproject.toml into plain data: project metadata, every declared requirement located in the file,
 * the explicit package layout, uv workspace and source declarations, and the raw `[tool.pymono]` table.
 *
 * Sources: PEP 621 / PyPA "Declaring project metadata" (`[project]`), PEP 735 (`[dependency-groups]`), the Poetry
 * docs (`[tool.poetry]`, Poetry 2 `[project]` + `[tool.poetry]`), the uv docs (`[tool.uv]`), PDM
 * (`[tool.pdm.dev-dependencies]`), Hatch and setuptools layout settings.
 *
 * Values come from smol-toml; ranges from `tomlPositions.ts`. Every problem is a located `ManifestProblem`; the
 * function never throws.
 */
import * as nodePath from 'node:path';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { DeclaredRequirement, ManifestProblem, Range } from '../model';
import { FILE_START } from '../model';
import { isValidName, isValidSpecifier, normalizeName } from './pep508';
import type { ReadContext, TomlTable } from './pyprojectContext';
import { describe, locate, optionalString, pep508List, report, stringElements, stringTable, subTable } from './pyprojectContext';
import { readDependencyGroups, readPdmDevDependencies } from './pyprojectGroups';
import type { PackageLayout } from './pyprojectLayout';
import { readLayout } from './pyprojectLayout';
import { readPoetry } from './pyprojectPoetry';
import type { UvSourceDecl, UvWorkspaceDecl } from './pyprojectUv';
import { readUv } from './pyprojectUv';
import type { TomlPositions } from './tomlPositions';
import { indexTomlPositions } from './tomlPositions';

// smol-toml ships ESM types with a CommonJS build (`exports.require`); this package compiles to CommonJS, so the
// runtime comes through `require` (esbuild and tsx both pick `dist/index.cjs`) and the types from the ESM entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smol: typeof SmolToml = require('smol-toml');

export type { PackageLayout } from './pyprojectLayout';
export type { UvSourceDecl, UvWorkspaceDecl } from './pyprojectUv';

/**
 * A distribution's own metadata. From `[project]` for PEP 621 files (Poetry 2 `[tool.poetry]` fills a dynamic
 * version/description), from `[tool.poetry]` for Poetry 1 files. `scripts` merges console and GUI scripts;
 * `requiresPython` falls back to Poetry's `dependencies.python`. `nameRange` is the name's string literal.
 */
export interface ProjectMetadata {
  name: string;
  normalized: string;
  version?: string;
  description?: string;
  requiresPython?: string;
  scripts: Record<string, string>;
  nameRange: Range;
}

/** Everything `parsePyproject` reads from one file. After a TOML syntax error only `file` and `problems` are filled. */
export interface PyprojectInfo {
  file: string;
  /** `pep621` when `[project]` has a name; `poetry` when only `[tool.poetry]` names it; absent otherwise. */
  format?: 'pep621' | 'poetry';
  project?: ProjectMetadata;
  requirements: DeclaredRequirement[];
  layout: PackageLayout;
  uvWorkspace?: UvWorkspaceDecl;
  /** Key: PEP 503 normalized name. This file's `[tool.uv.sources]` only (root inheritance is done elsewhere). */
  uvSources: Map<string, UvSourceDecl>;
  /** `[tool.uv] package`, when written. */
  uvPackage?: boolean;
  /** The raw `[tool.pymono]` table and the file's positions, validated elsewhere. */
  pymono?: { table: Record<string, unknown>; positions: TomlPositions };
  problems: ManifestProblem[];
}

/** Optional-dependency extras that hold development tools rather than features (compared PEP 503-normalized). */
const DEV_EXTRAS = new Set(['dev', 'test', 'tests', 'testing', 'lint', 'linting', 'docs', 'doc', 'typing', 'mypy', 'style', 'qa']);

/**
 * Parses the pyproject.toml at absolute path `file` whose content is `text`.
 *
 * Requirements come, in this order, from `[project] dependencies` (kind `runtime`), `optional-dependencies`
 * (`dev` for dev-like extras, else `optional`; group = extra), Poetry dependencies and groups, PEP 735 groups,
 * uv `dev-dependencies`, PDM dev groups. Each is located at its string literal (Poetry: its key). This file's
 * `[tool.uv.sources]` are applied to requirements that have no source yet.
 */
export function parsePyproject(file: string, text: string): PyprojectInfo {
  const info: PyprojectInfo = { file, requirements: [], layout: { modules: [], sourceDirs: [] }, uvSources: new Map(), problems: [] };
  let doc: TomlTable;
  try {
    doc = smol.parse(text);
  } catch (e) {
    info.problems.push(syntaxProblem(file, text, e));
    return info;
  }
  try {
    readDocument(info, doc, text);
  } catch (e) {
    // A reader bug must not take the whole workspace down: report it on the file instead.
    info.problems.push({ file, range: FILE_START, message: `could not read pyproject.toml: ${e instanceof Error ? e.message : String(e)}` });
  }
  return info;
}

function readDocument(info: PyprojectInfo, doc: TomlTable, text: string): void {
  const ctx: ReadContext = { file: info.file, dir: nodePath.dirname(info.file), pos: indexTomlPositions(text), problems: info.problems };
  const projectTable = subTable(ctx, doc, 'project', ['project']);
  const tool = subTable(ctx, doc, 'tool', ['tool']);
  const project = readProject(ctx, projectTable);
  const poetry = readPoetry(ctx, subTable(ctx, tool, 'poetry', ['tool', 'poetry']), projectTable ? project.runtime : undefined);

  if (project.name !== undefined && project.nameRange) {
    info.format = 'pep621';
    info.project = {
      name: project.name,
      normalized: normalizeName(project.name),
      version: project.version ?? poetry.version,
      description: project.description ?? poetry.description,
      requiresPython: project.requiresPython ?? poetry.python,
      scripts: { ...poetry.scripts, ...project.scripts },
      nameRange: project.nameRange,
    };
  } else if (!projectTable && poetry.name !== undefined && poetry.nameRange) {
    info.format = 'poetry';
    info.project = {
      name: poetry.name,
      normalized: normalizeName(poetry.name),
      version: poetry.version,
      description: poetry.description,
      requiresPython: poetry.python,
      scripts: poetry.scripts,
      nameRange: poetry.nameRange,
    };
  }
  for (const key of ['version', 'description', 'requiresPython'] as const) {
    if (info.project && info.project[key] === undefined) delete info.project[key];
  }

  const groups = subTable(ctx, doc, 'dependency-groups', ['dependency-groups']);
  const uv = readUv(ctx, subTable(ctx, tool, 'uv', ['tool', 'uv']));
  const pdm = subTable(ctx, tool, 'pdm', ['tool', 'pdm']);
  info.requirements = [
    ...project.runtime,
    ...project.optional,
    ...poetry.requirements,
    ...readDependencyGroups(ctx, groups),
    ...uv.requirements,
    ...readPdmDevDependencies(ctx, subTable(ctx, pdm, 'dev-dependencies', ['tool', 'pdm', 'dev-dependencies'])),
  ];
  info.layout = readLayout(ctx, tool);
  if (uv.workspace) info.uvWorkspace = uv.workspace;
  info.uvSources = uv.sources;
  if (uv.package !== undefined) info.uvPackage = uv.package;
  for (const req of info.requirements) {
    const decl = uv.sources.get(req.normalized);
    if (decl && !req.source) req.source = decl.source;
  }
  const pymono = subTable(ctx, tool, 'pymono', ['tool', 'pymono']);
  if (pymono) info.pymono = { table: pymono, positions: ctx.pos };
  // File order reads best in a problems list; sort is stable for problems at the same place.
  info.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

interface ProjectRead {
  name?: string;
  nameRange?: Range;
  version?: string;
  description?: string;
  requiresPython?: string;
  scripts: Record<string, string>;
  runtime: DeclaredRequirement[];
  optional: DeclaredRequirement[];
}

/** PEP 621 `[project]`: metadata, dependencies, optional-dependencies, scripts, gui-scripts, dynamic. */
function readProject(ctx: ReadContext, project: TomlTable | undefined): ProjectRead {
  const out: ProjectRead = { scripts: {}, runtime: [], optional: [] };
  if (!project) return out;
  const dynamic = stringElements(ctx, project.dynamic, ['project', 'dynamic'], 'field names');
  const dynamicName = dynamic.find((d) => d.text === 'name');
  if (dynamicName) report(ctx, dynamicName.path, '`name` cannot be dynamic: PEP 621 requires a static [project] name');

  const name = optionalString(ctx, project, 'name', ['project', 'name']);
  if (name === undefined) {
    if (project.name === undefined) {
      const where = ctx.pos.tableHeaderRange(['project']) ?? locate(ctx, ['project'], 'key');
      ctx.problems.push({ file: ctx.file, range: where, message: '[project] has no `name` (PEP 621 requires one)' });
    }
  } else if (!isValidName(name)) {
    report(ctx, ['project', 'name'], `\`project.name\` ${JSON.stringify(name)} is not a valid distribution name (PEP 508: letters, digits, '.', '_', '-')`);
  } else {
    out.name = name;
    out.nameRange = locate(ctx, ['project', 'name']);
  }
  out.version = optionalString(ctx, project, 'version', ['project', 'version']);
  out.description = optionalString(ctx, project, 'description', ['project', 'description']);
  const requiresPython = optionalString(ctx, project, 'requires-python', ['project', 'requires-python']);
  if (requiresPython !== undefined) {
    if (isValidSpecifier(requiresPython)) out.requiresPython = requiresPython;
    else report(ctx, ['project', 'requires-python'], `\`project.requires-python\` ${JSON.stringify(requiresPython)} is not a valid PEP 440 version specifier`);
  }
  out.scripts = {
    ...stringTable(ctx, project, 'gui-scripts', ['project', 'gui-scripts']),
    ...stringTable(ctx, project, 'scripts', ['project', 'scripts']),
  };

  out.runtime = pep508List(ctx, project.dependencies, ['project', 'dependencies'], 'runtime', undefined);
  const extras = subTable(ctx, project, 'optional-dependencies', ['project', 'optional-dependencies']);
  for (const [extra, value] of Object.entries(extras ?? {})) {
    const kind = DEV_EXTRAS.has(normalizeName(extra)) ? 'dev' : 'optional';
    out.optional.push(...pep508List(ctx, value, ['project', 'optional-dependencies', extra], kind, extra));
  }
  return out;
}

/** A located problem from smol-toml's `TomlError` (1-based line and column) or, failing that, the file start. */
function syntaxProblem(file: string, text: string, e: unknown): ManifestProblem {
  if (e instanceof smol.TomlError) {
    const line = Math.max(0, e.line - 1);
    const character = Math.max(0, e.column - 1);
    const lineLength = (text.split('\n')[line] ?? '').replace(/\r$/, '').length;
    const end = Math.max(character, Math.min(character + 1, lineLength));
    const reason = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return { file, range: { start: { line, character }, end: { line, character: end } }, message: `TOML syntax error: ${reason}` };
  }
  const reason = e instanceof Error ? e.message : describe(e);
  return { file, range: FILE_START, message: `TOML syntax error: ${reason}` };
}

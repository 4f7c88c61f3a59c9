/**
 * The plain data the analysis core speaks. Nothing here knows about VS Code or LSP: positions are 0-based
 * line/character pairs counted in UTF-16 code units (the LSP convention), paths are absolute OS paths, and
 * package identities are PEP 503 normalized distribution names.
 */

/** A 0-based position; `character` counts UTF-16 code units, as LSP does. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open span `[start, end)` in one file. */
export interface Range {
  start: Position;
  end: Position;
}

/** Where something sits: an absolute file path plus a range in it. */
export interface Location {
  file: string;
  range: Range;
}

/** Builds a range on one line from `character` to `endCharacter` (both 0-based, UTF-16). */
export function lineRange(line: number, character: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line, character: endCharacter } };
}

/** The range of a whole file start (line 0, character 0..0): used for findings about a file as a whole. */
export const FILE_START: Range = lineRange(0, 0, 0);

// ---------------------------------------------------------------------------------------------------------
// Requirements (PEP 508) as declared in manifests
// ---------------------------------------------------------------------------------------------------------

/**
 * Why a requirement is declared: `runtime` (PEP 621 `dependencies`, Poetry `dependencies`, plain requirements
 * files, Dockerfile installs), `optional` (PEP 621 `optional-dependencies` extras that are not dev-like, Poetry
 * `optional = true`), `dev` (PEP 735 groups, Poetry `dev-dependencies` / `group.*`, uv `dev-dependencies`,
 * PDM dev groups, dev/test/lint/docs extras, `requirements-dev.txt` and friends).
 */
export type DependencyKind = 'runtime' | 'optional' | 'dev';

/**
 * Where a requirement comes from when it is not an index (uv `[tool.uv.sources]`, Poetry table specs,
 * `-e ../x` lines, PEP 508 direct references). `path` is absolute and resolved against the manifest's folder.
 */
export type RequirementSource =
  | { type: 'workspace' }
  | { type: 'path'; path: string; editable: boolean }
  | { type: 'git'; url: string }
  | { type: 'url'; url: string }
  | { type: 'index'; index: string };

/**
 * One declared dependency entry, located in its manifest.
 *
 * `normalized` is the PEP 503 normalized name; it is `''` for a bare local path (`-e ../base`,
 * `pip install ./shared`) whose distribution name the graph resolves from the package found at `source.path`.
 */
export interface DeclaredRequirement {
  /** The name as written (may differ from `normalized` in case, `_`, `.`). */
  name: string;
  normalized: string;
  /** PEP 440 specifier set as written without spaces, e.g. `>=1.2,<2`; `''` when none. Poetry `^1.2` is kept as written. */
  specifier: string;
  extras: string[];
  /** PEP 508 environment marker text, when present. */
  marker?: string;
  kind: DependencyKind;
  /** The group, extra, Poetry group or requirements file basename that declares it (`undefined` for main deps). */
  group?: string;
  source?: RequirementSource;
  /** The manifest that declares it and the range of the entry (the string literal, table key or requirements line). */
  file: string;
  range: Range;
  /** The entry's raw text as it stands in the file (for hovers and messages). */
  raw: string;
}

/** A problem found while reading a manifest; the rules report these as PM008 invalid-manifest. */
export interface ManifestProblem {
  file: string;
  range: Range;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------
// Imports found in Python source
// ---------------------------------------------------------------------------------------------------------

/** A name imported by `from module import name`, with the range of `name` in the file. */
export interface ImportedName {
  name: string;
  range: Range;
}

/**
 * One import statement target, as the import scanner finds it.
 *
 * For `import a.b as c, d` there are two records (`a.b`, `d`). For `from x.y import (p, q)` one record with
 * `module = 'x.y'` and `names = [p, q]`. For relative imports `level` counts the leading dots and `module` is the
 * text after them (possibly `''`). `range` covers the module text (for `from . import x`, the dots).
 */
export interface ImportRecord {
  module: string;
  level: number;
  names?: ImportedName[];
  range: Range;
  /** Inside `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`). */
  typeOnly: boolean;
  /** Inside a `try:` whose handlers catch ImportError or ModuleNotFoundError (or a bare/Exception handler). */
  optional: boolean;
  /** `importlib.import_module("x")` or `__import__("x")` with a string literal. */
  dynamic: boolean;
  /** `# pymono: ignore` on the record's line: `'all'`, or the listed codes from `# pymono: ignore[PM001,PM003]`. */
  suppressed?: 'all' | string[];
}

/** What the import scanner returns for one file. `problems` lists lines it could not make sense of (never fatal). */
export interface FileScan {
  imports: ImportRecord[];
  problems: { line: number; message: string }[];
}

// ---------------------------------------------------------------------------------------------------------
// Packages and the workspace graph
// ---------------------------------------------------------------------------------------------------------

/** How a package declares itself: which manifest made it a package. */
export type PackageFormat = 'pep621' | 'poetry' | 'requirements' | 'dockerfile';

/** `service` (deployable app), `library` (shared code) or `other` when the kind cannot be told. */
export type PackageKind = 'service' | 'library' | 'other';

/** A workspace package: one directory whose manifest names a distribution (or a requirements-only / Dockerfile app). */
export interface PackageInfo {
  /** Distribution name as written in the manifest (directory name for requirements/Dockerfile apps). */
  name: string;
  /** PEP 503 normalized name: the package id used everywhere else. */
  id: string;
  version?: string;
  description?: string;
  requiresPython?: string;
  /** Absolute directory of the package. */
  root: string;
  /** Absolute path of the manifest that defines the package (pyproject.toml, requirements.txt or Dockerfile). */
  manifest: string;
  /** Every manifest file that contributes requirements (pyproject, requirements files, Dockerfile). */
  manifestFiles: string[];
  format: PackageFormat;
  kind: PackageKind;
  /** Why the kind was chosen (config glob, Dockerfile, folder name, ...), for hovers and `graph`. */
  kindReason: string;
  requirements: DeclaredRequirement[];
  /** Console scripts (PEP 621 `[project.scripts]`, Poetry `[tool.poetry.scripts]`). */
  scripts: Record<string, string>;
  /**
   * Dotted import names this package provides at the granularity that tells packages apart:
   * `['acme.telemetry']` for a PEP 420 namespace portion, `['shared']` for a flat package.
   */
  modules: string[];
  /** Absolute directories that are import roots for `modules` (the package root, `src/`, a Poetry `from`). */
  sourceRoots: string[];
  /** True for a uv virtual workspace root (`[tool.uv] package = false`) or a root that only aggregates members. */
  virtual: boolean;
  /** The uv workspace root directory this package is a member of, if any. */
  uvWorkspaceRoot?: string;
}

/** An edge between two internal packages, from the dependent to the dependency. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: DependencyKind;
  requirement: DeclaredRequirement;
}

// ---------------------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------------------

/** Stable rule codes (README "Rules"). */
export type RuleCode = 'PM001' | 'PM002' | 'PM003' | 'PM004' | 'PM005' | 'PM006' | 'PM007' | 'PM008' | 'PM009';

/** Severity as configured; `off` rules produce nothing. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * What a quick fix needs, carried in the finding (and so in `Diagnostic.data`) so the fix is built without
 * re-analysing. `manifest` is the file to edit; `requirement` is the PEP 508 text to add (or remove for PM005).
 */
export interface FixData {
  action: 'add' | 'add-internal' | 'move-to-runtime' | 'remove';
  package: string;
  manifest: string;
  distribution: string;
  requirement?: string;
  /** For add-internal: the library's root, so a path dependency can be written relative to the manifest. */
  targetRoot?: string;
}

/** One finding of a rule, located in a file. */
export interface Finding {
  code: RuleCode;
  /** The rule's kebab-case name, e.g. `undeclared-dependency`. */
  rule: string;
  severity: Severity;
  /** Normalized name of the package the finding belongs to (`''` when it belongs to none). */
  package: string;
  file: string;
  range: Range;
  message: string;
  /** The dotted module name as imported (import findings). */
  module?: string;
  /** The normalized distribution concerned. */
  distribution?: string;
  fix?: FixData;
}

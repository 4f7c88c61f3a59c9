/**
 * Explicit package layout settings of a pyproject.toml: which import names a distribution ships and from which
 * folders. Only what is written is reported (no folder scanning, that is ownership's job):
 * - Poetry `packages = [{ include = "acme/telemetry", from = "src" }]` (Poetry docs, "packages");
 * - Hatch `[tool.hatch.build.targets.wheel] packages` / `only-include` (Hatch docs, "Build configuration");
 * - setuptools `[tool.setuptools] packages`, `py-modules`, `package-dir`, `[tool.setuptools.packages.find]`
 *   `where` / `include` (setuptools docs, "Configuring setuptools using pyproject.toml files").
 */
import * as nodePath from 'node:path';
import type { ReadContext, TomlTable } from './pyprojectContext';
import { describe, displayPath, isTable, optionalString, report, resolvePath, stringElements, subTable } from './pyprojectContext';
import type { TomlPath } from './tomlPositions';

/** Dotted module names and absolute import-root folders found in explicit configuration. */
export interface PackageLayout {
  modules: string[];
  sourceDirs: string[];
}

const PLAIN_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Reads the layout settings under `[tool]`; wrong shapes become located problems. */
export function readLayout(ctx: ReadContext, tool: TomlTable | undefined): PackageLayout {
  const modules = new Set<string>();
  const dirs = new Set<string>();
  const addModule = (m: string): void => {
    if (PLAIN_MODULE.test(m)) modules.add(m);
  };

  // `[tool.poetry]` itself is checked by the Poetry reader; only its `packages` matter here.
  const poetry = isTable(tool?.poetry) ? tool.poetry : undefined;
  if (poetry?.packages !== undefined) readPoetryPackages(ctx, poetry.packages, addModule, dirs);

  const hatchWheel = nested(ctx, tool, ['tool', 'hatch', 'build', 'targets', 'wheel']);
  for (const key of ['packages', 'only-include']) {
    for (const el of stringElements(ctx, hatchWheel?.[key], ['tool', 'hatch', 'build', 'targets', 'wheel', key], 'paths')) {
      const rel = el.text.replace(/[\\/]+$/, '');
      addModule(nodePath.basename(rel).replace(/\.pyi?$/, ''));
      dirs.add(resolvePath(ctx, nodePath.dirname(rel)));
    }
  }

  const st = subTable(ctx, tool, 'setuptools', ['tool', 'setuptools']);
  if (st) readSetuptools(ctx, st, addModule, dirs);
  return { modules: [...modules], sourceDirs: [...dirs] };
}

/** Walks `path` (which starts with `tool`) down from `[tool]`, reporting a segment that is not a table. */
function nested(ctx: ReadContext, tool: TomlTable | undefined, path: TomlPath): TomlTable | undefined {
  let t = tool;
  for (let i = 1; i < path.length && t; i++) t = subTable(ctx, t, String(path[i]), path.slice(0, i + 1));
  return t;
}

function readPoetryPackages(ctx: ReadContext, value: unknown, addModule: (m: string) => void, dirs: Set<string>): void {
  const path = ['tool', 'poetry', 'packages'];
  if (!Array.isArray(value)) {
    report(ctx, path, `\`tool.poetry.packages\` must be an array of { include = "...", from = "..." } tables, found ${describe(value)}`);
    return;
  }
  value.forEach((el: unknown, i) => {
    const p = [...path, i];
    if (!isTable(el)) {
      report(ctx, p, `\`${displayPath(p)}\` must be a table such as { include = "mypkg", from = "src" }, found ${describe(el)}`);
      return;
    }
    const include = optionalString(ctx, el, 'include', [...p, 'include']);
    const from = optionalString(ctx, el, 'from', [...p, 'from']);
    if (include === undefined) {
      if (el.include === undefined) report(ctx, p, `\`${displayPath(p)}\` has no \`include\``);
      return;
    }
    addModule(include.replace(/[\\/]+$/, '').replace(/\.pyi?$/, '').replace(/[\\/]+/g, '.'));
    dirs.add(resolvePath(ctx, from ?? '.'));
  });
}

function readSetuptools(ctx: ReadContext, st: TomlTable, addModule: (m: string) => void, dirs: Set<string>): void {
  const base = ['tool', 'setuptools'];
  // `packages` is either a list of dotted names or the `{ find = { ... } }` table (`[tool.setuptools.packages.find]`).
  const findPath: TomlPath = [...base, 'packages', 'find'];
  let find: TomlTable | undefined;
  if (isTable(st.packages)) find = subTable(ctx, st.packages, 'find', findPath);
  else for (const el of stringElements(ctx, st.packages, [...base, 'packages'], 'package names')) addModule(el.text);

  for (const el of stringElements(ctx, st['py-modules'], [...base, 'py-modules'], 'module names')) addModule(el.text);

  const packageDir = subTable(ctx, st, 'package-dir', [...base, 'package-dir']);
  for (const [pkg, dir] of Object.entries(packageDir ?? {})) {
    const p = [...base, 'package-dir', pkg];
    if (typeof dir !== 'string') {
      report(ctx, p, `\`${displayPath(p)}\` must be a folder path string, found ${describe(dir)}`);
      continue;
    }
    if (pkg === '') {
      dirs.add(resolvePath(ctx, dir));
      continue;
    }
    addModule(pkg);
    // `acme = "lib/acme"` maps a package to its folder; the import root is what precedes the package's own path.
    const rel = dir.replace(/[\\/]+$/, '').replace(/\\/g, '/');
    const suffix = pkg.replace(/\./g, '/');
    if (rel === suffix) dirs.add(ctx.dir);
    else if (rel.endsWith(`/${suffix}`)) dirs.add(resolvePath(ctx, rel.slice(0, -suffix.length - 1)));
  }

  if (find) {
    for (const el of stringElements(ctx, find.where, [...findPath, 'where'], 'folder paths')) dirs.add(resolvePath(ctx, el.text));
    for (const el of stringElements(ctx, find.include, [...findPath, 'include'], 'package name patterns')) addModule(el.text);
  }
}

/**
 * Module ownership: which package owns a file (the innermost package folder above it), which import names a
 * package provides (from its layout: flat, `src/`, or explicit Poetry/Hatch/setuptools config), and which package
 * provides a dotted module (longest match, so PEP 420 namespace portions such as `acme.models` and
 * `acme.telemetry` belong to different packages).
 */
import * as path from 'node:path';

/** Top-level names in a source root that are not importable modules of the package. */
const NOT_MODULES = new Set([
  'tests', 'test', 'testing', 'docs', 'doc', 'scripts', 'examples', 'example', 'benchmarks', 'bench', 'tools',
  'setup', 'conftest', 'noxfile', 'tasks', 'fabfile', 'manage', '__init__', '__main__', 'wsgi', 'asgi',
]);

/** Maps absolute paths to the innermost package root above them. */
export class OwnerIndex {
  private readonly byRoot: Map<string, string>;

  /** `roots`: package id -> absolute root folder. */
  constructor(roots: Iterable<[string, string]>) {
    this.byRoot = new Map();
    for (const [id, root] of roots) this.byRoot.set(root, id);
  }

  /** The id of the innermost package whose folder contains `file`, or `undefined`. */
  ownerOf(file: string): string | undefined {
    let dir = path.dirname(file);
    for (;;) {
      const id = this.byRoot.get(dir);
      if (id !== undefined) return id;
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

/**
 * Infers the import roots and the import names of one package from its files (absolute paths it owns).
 * `explicit` modules/sourceDirs from the manifest win; otherwise `src/` when it holds Python files, else the root.
 * A folder without `__init__.py` and without files of its own that holds exactly one sub-folder is a namespace
 * level (PEP 420) and the name descends: `src/acme/telemetry/__init__.py` gives `acme.telemetry`.
 */
export function inferModules(
  root: string,
  files: readonly string[],
  initDirs: ReadonlySet<string>,
  explicit: { modules: string[]; sourceRoots: string[] },
): { modules: string[]; sourceRoots: string[] } {
  const srcDir = path.join(root, 'src');
  let sourceRoots = explicit.sourceRoots;
  if (sourceRoots.length === 0) {
    sourceRoots = files.some((f) => f.startsWith(srcDir + path.sep)) ? [srcDir] : [root];
  }
  const inferred = inferFromFiles(files, initDirs, sourceRoots);
  if (explicit.modules.length === 0) return { modules: inferred, sourceRoots };
  // Explicit config (Poetry `packages`, Hatch, setuptools) names folders; a PEP 420 folder such as `acme` is
  // refined to the portions found below it (`acme.telemetry`), as inference would do.
  const modules = new Set<string>();
  for (const m of explicit.modules) {
    const below = inferred.filter((i) => i === m || i.startsWith(m + '.'));
    if (below.length > 0) below.forEach((b) => modules.add(b));
    else modules.add(m);
  }
  return { modules: [...modules].sort(), sourceRoots };
}

/** Import names inferred from the files under the source roots (see `inferModules`). */
function inferFromFiles(files: readonly string[], initDirs: ReadonlySet<string>, sourceRoots: string[]): string[] {
  const modules = new Set<string>();
  for (const sourceRoot of sourceRoots) {
    const dirsWithFiles = new Set<string>();
    const children = new Map<string, Set<string>>();
    const tops = new Set<string>();
    for (const file of files) {
      if (!file.startsWith(sourceRoot + path.sep) || file.endsWith('.ipynb')) continue;
      const segs = path.relative(sourceRoot, file).split(path.sep);
      if (segs.length === 1) {
        const stem = segs[0].replace(/\.pyi?$/, '');
        if (!NOT_MODULES.has(stem) && isIdentifier(stem)) modules.add(stem);
        continue;
      }
      if (NOT_MODULES.has(segs[0]) || !isIdentifier(segs[0])) continue;
      tops.add(segs[0]);
      dirsWithFiles.add(segs.slice(0, -1).join('/'));
      for (let i = 1; i < segs.length - 1; i++) {
        const parent = segs.slice(0, i).join('/');
        const set = children.get(parent) ?? new Set<string>();
        set.add(segs[i]);
        children.set(parent, set);
      }
    }
    for (const top of tops) {
      let cur = top;
      for (;;) {
        const abs = path.join(sourceRoot, ...cur.split('/'));
        const kids = children.get(cur);
        if (initDirs.has(abs) || dirsWithFiles.has(cur) || !kids || kids.size !== 1) break;
        const only = [...kids][0];
        if (!isIdentifier(only)) break;
        cur = `${cur}/${only}`;
      }
      modules.add(cur.split('/').join('.'));
    }
  }
  return [...modules].sort();
}

/** Longest-prefix lookup of dotted module names to the packages that provide them. */
export class ModuleIndex {
  private readonly map = new Map<string, string[]>();

  /** `entries`: [dotted module, package id]. Several packages may claim one name. */
  constructor(entries: Iterable<[string, string]>) {
    for (const [mod, id] of entries) {
      const list = this.map.get(mod) ?? [];
      if (!list.includes(id)) list.push(id);
      this.map.set(mod, list);
    }
  }

  /** Ids providing `module` (or its longest provided prefix) and the matched prefix; `undefined` when none does. */
  lookup(module: string): { ids: string[]; matched: string } | undefined {
    let cur = module;
    for (;;) {
      const ids = this.map.get(cur);
      if (ids) return { ids, matched: cur };
      const dot = cur.lastIndexOf('.');
      if (dot < 0) return undefined;
      cur = cur.slice(0, dot);
    }
  }
}

/** True for a valid Python identifier of ASCII letters, digits and `_` (non-ASCII folders are rare and skipped). */
function isIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

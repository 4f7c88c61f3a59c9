/**
 * Turns parsed manifests into workspace packages (PackageInfo without kind and modules, which later stages fill).
 *
 * - A pyproject.toml whose `[project]` (PEP 621) or `[tool.poetry]` names a distribution is a package.
 * - A folder with a runtime requirements file (requirements.txt, requirements.in, requirements/base.txt ...) and no
 *   such pyproject is a requirements-only app (seed 003), named after its folder.
 * - A folder with a Dockerfile and Python files but no other manifest is a Dockerfile-only app (seed 001); its
 *   requirements are what its `RUN pip install` lines install, resolved against the build context.
 * - Development requirement files (requirements-dev.txt, ...) join the package of their folder.
 */
import * as path from 'node:path';
import type { Host } from './host';
import type { DeclaredRequirement, ManifestProblem, PackageInfo } from './model';
import { normalizeName } from './manifests/pep508';
import { requirementsKindOf } from './manifests/requirements';
import type { DiscoveryResult } from './discovery';
import { readDockerfile, readIncludedRequirements, reparseDockerfile, type ManifestSet } from './manifestSet';
import type { DockerfileInstalls } from './manifests/dockerfile';

/** A package before kinds and modules are known. */
export type DraftPackage = Omit<PackageInfo, 'kind' | 'kindReason' | 'modules'> & { hasDockerfile: boolean; explicitModules: string[] };

/** The folder a requirements file speaks for: its own, or the parent of a `requirements/` folder. */
export function requirementsAppDir(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === 'requirements' ? path.dirname(dir) : dir;
}

/** Builds draft packages from the manifests; problems are located (PM008). */
export async function buildDraftPackages(
  root: string,
  disc: DiscoveryResult,
  set: ManifestSet,
  host: Host,
  overlay: ReadonlyMap<string, string>,
): Promise<{ packages: DraftPackage[]; problems: ManifestProblem[] }> {
  const problems: ManifestProblem[] = [];
  const byDir = new Map<string, DraftPackage>();

  for (const [file, info] of set.pyprojects) {
    if (!info.project) continue;
    const dir = path.dirname(file);
    byDir.set(dir, {
      name: info.project.name,
      id: info.project.normalized,
      version: info.project.version,
      description: info.project.description,
      requiresPython: info.project.requiresPython,
      root: dir,
      manifest: file,
      manifestFiles: [file],
      format: info.format ?? 'pep621',
      requirements: [...info.requirements],
      scripts: { ...info.project.scripts },
      sourceRoots: info.layout.sourceDirs.length > 0 ? [...info.layout.sourceDirs] : [],
      virtual: info.uvPackage === false,
      hasDockerfile: false,
      explicitModules: [...info.layout.modules],
    });
  }

  // Requirements files: runtime ones make an app where no pyproject package stands; dev ones join their folder's package.
  const reqByDir = new Map<string, string[]>();
  for (const file of set.requirements.keys()) {
    const dir = requirementsAppDir(file);
    const list = reqByDir.get(dir) ?? [];
    list.push(file);
    reqByDir.set(dir, list);
  }
  for (const [dir, files] of [...reqByDir].sort((a, b) => a[0].localeCompare(b[0]))) {
    files.sort();
    let pkg = byDir.get(dir);
    const runtimeFiles = files.filter((f) => requirementsKindOf(path.basename(f)).kind === 'runtime');
    if (!pkg) {
      if (runtimeFiles.length === 0) continue;
      const name = path.basename(dir);
      pkg = {
        name, id: normalizeName(name), root: dir, manifest: runtimeFiles[0], manifestFiles: [], format: 'requirements',
        requirements: [], scripts: {}, sourceRoots: [], virtual: false, hasDockerfile: false, explicitModules: [],
      };
      byDir.set(dir, pkg);
    }
    const wanted = pkg.format === 'requirements' ? files : files.filter((f) => !runtimeFiles.includes(f));
    for (const file of wanted) await addRequirementsFile(pkg, file, set, host, overlay, problems, new Set());
  }

  // Dockerfiles: mark packages that have one; make Dockerfile-only apps where a folder holds Python code and nothing else.
  const holdsPython = ancestors(disc.pythonFiles.map((f) => path.dirname(f)));
  const holdsPackage = ancestors([...byDir.keys()].map((d) => path.dirname(d)));
  for (const file of disc.dockerfiles) {
    const dir = path.dirname(file);
    const owner = byDir.get(dir);
    if (owner) {
      owner.hasDockerfile = true;
      continue;
    }
    if (!holdsPython.has(dir) || holdsPackage.has(dir)) continue;
    let parsed = await readDockerfile(set, file, dir, host, overlay);
    if (!parsed) continue;
    if (await needsRootContext(root, dir, parsed, host)) parsed = reparseDockerfile(set, file, root, parsed);
    const name = path.basename(dir);
    const pkg: DraftPackage = {
      name, id: normalizeName(name), root: dir, manifest: file, manifestFiles: [file], format: 'dockerfile',
      requirements: [...parsed.requirements], scripts: {}, sourceRoots: [], virtual: false, hasDockerfile: true, explicitModules: [],
    };
    for (const req of parsed.requirementFiles) {
      if (!(await host.stat(req.path))) {
        problems.push({ file, range: req.range, message: `requirements file ${path.relative(dir, req.path) || req.path} does not exist in the build context` });
        continue;
      }
      await addRequirementsFile(pkg, req.path, set, host, overlay, problems, new Set());
    }
    byDir.set(dir, pkg);
  }

  for (const info of set.pyprojects.values()) problems.push(...info.problems);
  for (const info of set.requirements.values()) problems.push(...info.problems);
  for (const info of set.dockerfiles.values()) problems.push(...info.problems);
  problems.push(...set.readProblems);
  const packages = [...byDir.values()].sort((a, b) => a.root.localeCompare(b.root));
  return { packages, problems };
}

/** Adds a requirements file's entries (and those of the files it `-r` includes) to a draft package. */
async function addRequirementsFile(
  pkg: DraftPackage,
  file: string,
  set: ManifestSet,
  host: Host,
  overlay: ReadonlyMap<string, string>,
  problems: ManifestProblem[],
  visiting: Set<string>,
): Promise<void> {
  if (visiting.has(file) || pkg.manifestFiles.includes(file)) return;
  visiting.add(file);
  const parsed = await readIncludedRequirements(set, file, host, overlay);
  if (!parsed) return;
  pkg.manifestFiles.push(file);
  const { kind, group } = requirementsKindOf(path.basename(file));
  for (const r of parsed.requirements) pkg.requirements.push(kind === r.kind && group === r.group ? r : { ...r, kind, group: r.group ?? group });
  for (const inc of parsed.includes) {
    if (inc.kind !== 'requirement') continue;
    if (!(await host.stat(inc.path))) {
      problems.push({ file, range: inc.range, message: `-r ${path.relative(path.dirname(file), inc.path)}: file does not exist` });
      continue;
    }
    await addRequirementsFile(pkg, inc.path, set, host, overlay, problems, visiting);
  }
}

/**
 * Whether a Dockerfile-only app is built with the workspace root as its context rather than its own folder: some
 * COPY source is missing from the folder but present at the root (seed 001 builds `apps/app-one/Dockerfile` with
 * the repo root as context).
 */
async function needsRootContext(root: string, dir: string, parsed: DockerfileInstalls, host: Host): Promise<boolean> {
  if (root === dir) return false;
  for (const copy of parsed.copies) {
    for (const src of copy.sources) {
      if (src === '.' || src === './' || /[*?$]/.test(src)) continue;
      if (!(await host.stat(path.join(dir, src))) && (await host.stat(path.join(root, src)))) return true;
    }
  }
  return false;
}

/** Every folder in `dirs` and all their ancestors. */
function ancestors(dirs: string[]): Set<string> {
  const out = new Set<string>();
  for (let dir of dirs) {
    while (!out.has(dir)) {
      out.add(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return out;
}

/** True when `r` names a path that is not yet resolved to a distribution (a bare `-e ../x`). */
export function isUnnamedPath(r: DeclaredRequirement): boolean {
  return r.normalized === '' && r.source?.type === 'path';
}

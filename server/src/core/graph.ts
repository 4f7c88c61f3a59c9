/**
 * The workspace graph: uv workspaces and their members, source inheritance, internal edges, duplicate names.
 *
 * A requirement is internal when its normalized name is a workspace package, whatever its spec (path, uv
 * workspace source, or a bare version), or when its path source points at a package's folder.
 * uv: root `[tool.uv.sources]` apply to every member unless the member declares its own source for that name
 * (uv docs, "Workspaces" / "Sources"); `{ workspace = true }` must name a member of the same workspace.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Host } from './host';
import type { DeclaredRequirement, GraphEdge, ManifestProblem } from './model';
import { FILE_START } from './model';
import type { ManifestSet } from './manifestSet';
import type { DraftPackage } from './packages';

/** A uv workspace: its root folder, root manifest, member package ids, and the root's development requirements. */
export interface UvWorkspace {
  root: string;
  file: string;
  members: string[];
  devRequirements: DeclaredRequirement[];
}

/** Output of `linkPackages`: packages with unique ids, internal edges, located problems. */
export interface LinkedGraph {
  packages: DraftPackage[];
  edges: GraphEdge[];
  workspaces: UvWorkspace[];
  problems: ManifestProblem[];
}

/** Resolves uv workspaces, sources and internal edges over the draft packages. */
export async function linkPackages(drafts: DraftPackage[], set: ManifestSet, host: Host): Promise<LinkedGraph> {
  const problems: ManifestProblem[] = [];
  const packages = dedupe(drafts, set, problems);
  const byId = new Map(packages.map((p) => [p.id, p]));
  const byRoot = new Map(packages.map((p) => [p.root, p]));

  const workspaces: UvWorkspace[] = [];
  const inheritedSource = new Set<DeclaredRequirement>();
  for (const [file, info] of set.pyprojects) {
    if (!info.uvWorkspace) continue;
    const wsRoot = path.dirname(file);
    const isMember = memberMatcher(info.uvWorkspace.members.map(trimSlash));
    const isExcluded = info.uvWorkspace.exclude.length > 0 ? picomatch(info.uvWorkspace.exclude.map(trimSlash), { dot: true }) : () => false;
    const members: string[] = [];
    for (const pkg of packages) {
      if (pkg.root !== wsRoot && !pkg.root.startsWith(wsRoot + path.sep)) continue;
      if (pkg.format === 'requirements' || pkg.format === 'dockerfile') continue;
      const relDir = pkg.root === wsRoot ? '' : pkg.root.slice(wsRoot.length + 1).split(path.sep).join('/');
      if (relDir === '' || (isMember(relDir) && !isExcluded(relDir))) {
        members.push(pkg.id);
        pkg.uvWorkspaceRoot = wsRoot;
        pkg.requirements = pkg.requirements.map((r) => {
          if (r.source || r.normalized === '') return r;
          const inherited = info.uvSources.get(r.normalized);
          if (!inherited) return r;
          const withSource = { ...r, source: inherited.source };
          inheritedSource.add(withSource);
          return withSource;
        });
      }
    }
    for (const [name, decl] of info.uvSources) {
      if (decl.source.type === 'workspace' && !members.includes(name)) {
        problems.push({ file, range: decl.range, message: `[tool.uv.sources] '${name}' = { workspace = true }, but no member of this workspace is named '${name}'` });
      }
    }
    const devRequirements = info.project ? [] : info.requirements.filter((r) => r.kind === 'dev');
    workspaces.push({ root: wsRoot, file, members: members.sort(), devRequirements });
  }

  const edges: GraphEdge[] = [];
  const stats = new Map<string, ReturnType<Host['stat']>>();
  const statOnce = (dir: string): ReturnType<Host['stat']> => {
    let st = stats.get(dir);
    if (!st) {
      st = host.stat(dir).catch(() => undefined);
      stats.set(dir, st);
    }
    return st;
  };
  for (const pkg of packages) {
    const resolved: DeclaredRequirement[] = [];
    for (let req of pkg.requirements) {
      let target = req.normalized ? byId.get(req.normalized) : undefined;
      if (req.source?.type === 'path') {
        const dir = path.resolve(req.source.path);
        const st = byRoot.has(dir) ? ({ kind: 'directory' } as const) : await statOnce(dir);
        if (!st) {
          problems.push({ file: req.file, range: req.range, message: `path dependency '${req.raw.trim()}' points at ${dir}, which does not exist` });
        } else {
          const atPath = byRoot.get(dir);
          if (atPath) {
            target = atPath;
            if (req.normalized === '') req = { ...req, name: atPath.name, normalized: atPath.id };
          } else if (req.normalized === '') {
            problems.push({ file: req.file, range: req.range, message: `'${req.raw.trim()}' points at ${dir}, which holds no package pymono knows (no pyproject.toml with a name)` });
          }
        }
      } else if (req.source?.type === 'workspace' && !inheritedSource.has(req)) {
        const ws = workspaces.find((w) => w.root === pkg.uvWorkspaceRoot);
        if (!ws || !ws.members.includes(req.normalized)) {
          problems.push({ file: req.file, range: req.range, message: `'${req.name}' has a { workspace = true } source but is not a member of ${pkg.uvWorkspaceRoot ? 'the uv workspace at ' + pkg.uvWorkspaceRoot : 'any uv workspace'}` });
        }
      }
      resolved.push(req);
      if (target && target.id !== pkg.id) edges.push({ from: pkg.id, to: target.id, kind: req.kind, requirement: req });
    }
    pkg.requirements = resolved;
  }
  return { packages, edges, workspaces, problems };
}

/** Gives every package a unique id: a second package with the same normalized name is reported on both manifests. */
function dedupe(drafts: DraftPackage[], set: ManifestSet, problems: ManifestProblem[]): DraftPackage[] {
  const first = new Map<string, DraftPackage>();
  const out: DraftPackage[] = [];
  for (const pkg of drafts) {
    const prior = first.get(pkg.id);
    if (!prior) {
      first.set(pkg.id, pkg);
      out.push(pkg);
      continue;
    }
    const range = (p: DraftPackage) => set.pyprojects.get(p.manifest)?.project?.nameRange ?? FILE_START;
    problems.push({ file: pkg.manifest, range: range(pkg), message: `duplicate package name '${pkg.id}': also declared by ${prior.manifest}` });
    problems.push({ file: prior.manifest, range: range(prior), message: `duplicate package name '${pkg.id}': also declared by ${pkg.manifest}` });
    const relId = `${pkg.id}@${path.basename(pkg.root)}`;
    out.push({ ...pkg, id: first.has(relId) ? `${relId}-${out.length}` : relId });
  }
  return out;
}

/**
 * Matches member paths against uv `members` globs. Large workspaces list hundreds of literal paths: those go to a
 * set, and only real globs go through picomatch.
 */
function memberMatcher(patterns: string[]): (relDir: string) => boolean {
  const literal = new Set(patterns.filter((p) => !/[*?[\]{}!]/.test(p)));
  const globs = patterns.filter((p) => !literal.has(p));
  const glob = globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
  return (relDir) => literal.has(relDir) || (glob !== undefined && glob(relDir));
}

function trimSlash(glob: string): string {
  return glob.replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * The package tree as plain data: a `GraphSnapshot` (server/src/protocol.ts) in, tree nodes out. PURE: no
 * `vscode` import, no I/O, so it is unit-tested on a snapshot of the example monorepo.
 *
 * Shape (a root level only when the snapshot has more than one root):
 *   [root] > Services | Libraries | Other packages > [folder, when grouped by folder] > package
 *   library / other package > "Used by" (dependents) and "Depends on" (internal dependencies)
 *   service > the internal packages it uses, direct then transitive
 * Every node is created once per model and children are memoised, so the same object comes back on every
 * call (VS Code's `TreeView.reveal` matches elements by identity).
 *
 * Reachability (relations.ts) follows one rule in both directions: a package's own declarations count whatever their
 * kind (runtime, optional extra, dev group), and beyond them only runtime and optional edges, because a
 * dependency's dev group is never installed with it.
 */
import type { GraphSnapshot, SnapshotEdge, SnapshotPackage } from '../../../server/src/protocol';
import { type Relation, RelationIndex } from './relations';

export type { Relation } from './relations';

/** `flat`: packages directly under their kind; `folder`: grouped by their parent folder (relative to the root). */
export type Grouping = 'flat' | 'folder';

/** Kinds of package, in display order. */
export type PackageKind = SnapshotPackage['kind'];

interface NodeBase {
  /** Unique over the whole tree and stable across snapshots of the same packages (VS Code keeps expansion by id). */
  id: string;
  /** `undefined` for top-level nodes. */
  parent: TreeNode | undefined;
  /** URI of the workspace folder (snapshot root) the node belongs to. */
  rootUri: string;
}

/** A workspace folder (only shown when there is more than one). */
export interface RootNode extends NodeBase {
  type: 'root';
  /** The folder's name (last path segment of its URI, decoded). */
  label: string;
}

/** "Services", "Libraries" or "Other packages". */
export interface GroupNode extends NodeBase {
  type: 'group';
  kind: PackageKind;
  label: string;
  /** Number of packages in the group. */
  count: number;
}

/** A parent folder of packages, relative to the root (`services`, `legacy`, `.` for the root itself). */
export interface FolderNode extends NodeBase {
  type: 'folder';
  kind: PackageKind;
  /** POSIX path relative to the root, `.` for packages at the root. */
  label: string;
}

/** A workspace package at its home place in the tree. */
export interface PackageNode extends NodeBase {
  type: 'package';
  pkg: SnapshotPackage;
  /** The package folder relative to the root (POSIX, `.` for the root itself). */
  relPath: string;
}

/** "Used by" or "Depends on" under a library or other package. */
export interface SectionNode extends NodeBase {
  type: 'section';
  section: 'usedBy' | 'dependsOn';
  label: string;
  /** Id of the package whose relations are listed. */
  packageId: string;
  count: number;
}

/** Another package related to the one above it: a dependency (`dependsOn`) or a dependent (`usedBy`). Leaf. */
export interface RelationNode extends NodeBase {
  type: 'relation';
  direction: 'dependsOn' | 'usedBy';
  /** The package this node stands for. */
  pkg: SnapshotPackage;
  relation: Relation;
}

/** Any node of the package tree. */
export type TreeNode = RootNode | GroupNode | FolderNode | PackageNode | SectionNode | RelationNode;

/** Options of a model. */
export interface TreeModelOptions {
  grouping: Grouping;
}

const GROUP_LABELS: Record<PackageKind, string> = { service: 'Services', library: 'Libraries', other: 'Other packages' };
const KIND_ORDER: PackageKind[] = ['service', 'library', 'other'];

/**
 * Rewrites every URI of `snapshot` with `normalize` (the VS Code side passes `Uri.parse(u).toString()` so that
 * server URIs compare equal to editor and diagnostic URIs). Returns a new snapshot; the input is not modified.
 */
export function normalizeSnapshotUris(snapshot: GraphSnapshot, normalize: (uri: string) => string): GraphSnapshot {
  return {
    version: snapshot.version,
    roots: snapshot.roots.map((r) => ({
      rootUri: normalize(r.rootUri),
      version: r.version,
      packages: r.packages.map((p) => ({
        ...p,
        rootUri: normalize(p.rootUri),
        manifestUri: normalize(p.manifestUri),
        manifestUris: p.manifestUris.map(normalize),
      })),
      edges: r.edges.map((e) => ({ ...e, uri: normalize(e.uri) })),
    })),
  };
}

/** True when `uri` is `folderUri` or lies below it (segment aware: `.../ab` is not below `.../a`). */
export function isUnder(uri: string, folderUri: string): boolean {
  const folder = folderUri.endsWith('/') ? folderUri.slice(0, -1) : folderUri;
  return uri === folder || uri.startsWith(`${folder}/`);
}

/** `child` relative to `parent` as a decoded POSIX path (`.` when equal); `undefined` when not below it. */
export function relativeUri(parent: string, child: string): string | undefined {
  if (!isUnder(child, parent)) return undefined;
  const rest = child.slice(parent.replace(/\/$/, '').length + 1);
  if (rest === '') return '.';
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

function folderName(uri: string): string {
  const last = uri.replace(/\/$/, '').split('/').pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function byName(a: SnapshotPackage, b: SnapshotPackage): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

interface RootData {
  rootUri: string;
  packages: Map<string, SnapshotPackage>;
  relations: RelationIndex;
  /** Package nodes by package id. */
  nodes: Map<string, PackageNode>;
}

/**
 * The tree over one snapshot and one grouping. Build a new model for a new snapshot or grouping; a model
 * never changes.
 */
export class TreeModel {
  /** The snapshot's analysis generation. */
  readonly version: number;
  private readonly roots: RootData[] = [];
  private readonly top: TreeNode[];
  private readonly childrenOf = new Map<string, TreeNode[]>();

  /** @param snapshot URIs already normalized (see `normalizeSnapshotUris`). */
  constructor(snapshot: GraphSnapshot, readonly options: TreeModelOptions) {
    this.version = snapshot.version;
    const multi = snapshot.roots.length > 1;
    const top: TreeNode[] = [];
    for (const r of snapshot.roots) {
      const data: RootData = {
        rootUri: r.rootUri,
        packages: new Map(r.packages.map((p) => [p.id, p])),
        relations: new RelationIndex(r.packages, r.edges),
        nodes: new Map(),
      };
      this.roots.push(data);
      const rootNode: RootNode | undefined = multi
        ? { type: 'root', id: `${r.rootUri}#root`, parent: undefined, rootUri: r.rootUri, label: folderName(r.rootUri) }
        : undefined;
      const groups = this.buildGroups(data, r.packages, rootNode);
      if (rootNode) {
        this.childrenOf.set(rootNode.id, groups);
        top.push(rootNode);
      } else {
        top.push(...groups);
      }
    }
    this.top = top;
  }

  /** Top-level nodes: roots when there are several, else the kind groups of the only root. */
  topLevel(): TreeNode[] {
    return this.top;
  }

  /** Children of `node` (the same objects on every call); `[]` for leaves. */
  children(node: TreeNode): TreeNode[] {
    const known = this.childrenOf.get(node.id);
    if (known) return known;
    let out: TreeNode[] = [];
    if (node.type === 'package') out = this.packageChildren(node);
    else if (node.type === 'section') out = this.sectionChildren(node);
    this.childrenOf.set(node.id, out);
    return out;
  }

  /** Number of workspace packages over all roots. */
  packageCount(): number {
    return this.roots.reduce((n, r) => n + r.packages.size, 0);
  }

  /** Every package node (one per package, at its home place), in tree order. */
  packageNodes(): PackageNode[] {
    return this.roots.flatMap((r) => [...r.nodes.values()]);
  }

  /**
   * The package node owning the file or folder `uri`: the package whose folder contains it most closely, in
   * the innermost root containing it. `undefined` when no package contains it.
   */
  packageNodeFor(uri: string): PackageNode | undefined {
    let best: PackageNode | undefined;
    for (const root of this.roots) {
      if (!isUnder(uri, root.rootUri)) continue;
      for (const node of root.nodes.values()) {
        if (isUnder(uri, node.pkg.rootUri) && (!best || node.pkg.rootUri.length > best.pkg.rootUri.length)) best = node;
      }
    }
    return best;
  }

  /**
   * Attributes problem counts per file to packages: `perFile` yields `[uri, count]`; each file counts for the
   * package owning it (`packageNodeFor`). Files no package owns (the virtual uv root's pyproject) are left out.
   * Returns package node id -> total, only for packages with at least one problem.
   */
  problemCounts(perFile: Iterable<readonly [string, number]>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [uri, count] of perFile) {
      if (count <= 0) continue;
      const owner = this.packageNodeFor(uri);
      if (owner) out.set(owner.id, (out.get(owner.id) ?? 0) + count);
    }
    return out;
  }

  /** The package `id` of the root `rootUri`, if the snapshot has it. */
  packageOf(rootUri: string, id: string): SnapshotPackage | undefined {
    return this.roots.find((r) => r.rootUri === rootUri)?.packages.get(id);
  }

  /** Internal packages `id` reaches (direct first), per the reachability rule above. */
  dependsOn(rootUri: string, id: string): Relation[] {
    return this.roots.find((r) => r.rootUri === rootUri)?.relations.dependsOn(id) ?? [];
  }

  /** Packages that reach `id` (direct first). */
  usedBy(rootUri: string, id: string): Relation[] {
    return this.roots.find((r) => r.rootUri === rootUri)?.relations.usedBy(id) ?? [];
  }

  private buildGroups(data: RootData, packages: SnapshotPackage[], parent: RootNode | undefined): TreeNode[] {
    const groups: TreeNode[] = [];
    for (const kind of KIND_ORDER) {
      const members = packages.filter((p) => p.kind === kind).sort(byName);
      // "Other packages" only appears when some kinds cannot be told; Services and Libraries always do.
      if (kind === 'other' && members.length === 0) continue;
      const group: GroupNode = {
        type: 'group',
        id: `${data.rootUri}#group:${kind}`,
        parent,
        rootUri: data.rootUri,
        kind,
        label: GROUP_LABELS[kind],
        count: members.length,
      };
      groups.push(group);
      this.childrenOf.set(group.id, this.options.grouping === 'folder' ? this.folders(data, group, members) : members.map((p) => this.packageNode(data, p, group)));
    }
    return groups;
  }

  private folders(data: RootData, group: GroupNode, members: SnapshotPackage[]): FolderNode[] {
    const byFolder = new Map<string, SnapshotPackage[]>();
    for (const p of members) {
      const rel = relativeUri(data.rootUri, p.rootUri) ?? p.rootUri;
      const slash = rel.lastIndexOf('/');
      const folder = rel === '.' || slash < 0 ? '.' : rel.slice(0, slash);
      const list = byFolder.get(folder) ?? [];
      list.push(p);
      byFolder.set(folder, list);
    }
    return [...byFolder.keys()].sort().map((folder) => {
      const node: FolderNode = { type: 'folder', id: `${group.id}/folder:${folder}`, parent: group, rootUri: data.rootUri, kind: group.kind, label: folder };
      this.childrenOf.set(node.id, (byFolder.get(folder) ?? []).map((p) => this.packageNode(data, p, node)));
      return node;
    });
  }

  private packageNode(data: RootData, pkg: SnapshotPackage, parent: TreeNode): PackageNode {
    const node: PackageNode = {
      type: 'package',
      id: `${data.rootUri}#pkg:${pkg.id}`,
      parent,
      rootUri: data.rootUri,
      pkg,
      relPath: relativeUri(data.rootUri, pkg.rootUri) ?? pkg.rootUri,
    };
    data.nodes.set(pkg.id, node);
    return node;
  }

  private packageChildren(node: PackageNode): TreeNode[] {
    const data = this.roots.find((r) => r.rootUri === node.rootUri);
    if (!data) return [];
    if (node.pkg.kind === 'service') return this.relationNodes(data, node, 'dependsOn', data.relations.dependsOn(node.pkg.id));
    const section = (s: SectionNode['section'], label: string, count: number): SectionNode => ({
      type: 'section',
      id: `${node.id}/${s}`,
      parent: node,
      rootUri: node.rootUri,
      section: s,
      label,
      packageId: node.pkg.id,
      count,
    });
    return [
      section('usedBy', 'Used by', data.relations.usedBy(node.pkg.id).length),
      section('dependsOn', 'Depends on', data.relations.dependsOn(node.pkg.id).length),
    ];
  }

  private sectionChildren(node: SectionNode): TreeNode[] {
    const data = this.roots.find((r) => r.rootUri === node.rootUri);
    if (!data) return [];
    const relations = node.section === 'usedBy' ? data.relations.usedBy(node.packageId) : data.relations.dependsOn(node.packageId);
    return this.relationNodes(data, node, node.section, relations);
  }

  private relationNodes(data: RootData, parent: TreeNode, direction: RelationNode['direction'], relations: Relation[]): RelationNode[] {
    const out: RelationNode[] = [];
    for (const relation of relations) {
      const pkg = data.packages.get(relation.id);
      if (!pkg) continue;
      out.push({ type: 'relation', id: `${parent.id}/${direction}:${relation.id}`, parent, rootUri: data.rootUri, direction, pkg, relation });
    }
    return out;
  }
}

/** The declaring entry of a direct relation (the edge in the dependent's manifest), if any. */
export function declaringEdge(node: RelationNode): SnapshotEdge | undefined {
  return node.relation.edges[0];
}

/**
 * Who depends on whom inside one snapshot root, direct and transitive. PURE (no `vscode`), used by treeModel.ts.
 *
 * Reachability rule: package D uses package T when D declares T (runtime, optional extra or dev group: D's own
 * declarations all count), or D declares some P that reaches T through runtime/optional edges only — a
 * dependency's dev group is never installed with it. When T is reachable both through a runtime first hop and
 * through a dev-only one, the runtime path wins (T really ships with D). Cycles (PM007) are tolerated: a
 * package never lists itself.
 */
import type { SnapshotEdge, SnapshotPackage } from '../../../server/src/protocol';

/** Edge kinds, as the protocol spells them. */
export type EdgeKind = SnapshotEdge['kind'];

/** One package related to a subject package (a dependency of it, or a dependent of it). */
export interface Relation {
  /** Id of the other package. */
  id: string;
  /** True when the dependent declares the dependency itself. */
  direct: boolean;
  /** For a transitive relation: the dependent's own direct dependency the path goes through. */
  via?: string;
  /** Package ids along the shortest path, from the dependent to the dependency (both included). */
  path: string[];
  /** Kind of the dependent's own declaration the path starts with (`dev` when only a dev group leads there). */
  kind: EdgeKind;
  /** For a direct relation: the edges declaring it (several when e.g. both a runtime entry and a dev group name it). */
  edges: SnapshotEdge[];
}

const KIND_RANK: Record<EdgeKind, number> = { runtime: 0, optional: 1, dev: 2 };

/** Dependency and dependent lists of every package of one root, computed on demand and memoised. */
export class RelationIndex {
  private readonly names = new Map<string, string>();
  private readonly out = new Map<string, SnapshotEdge[]>();
  private readonly down = new Map<string, Relation[]>();
  private readonly up = new Map<string, Relation[]>();

  /** Edges naming a package missing from `packages` are ignored. */
  constructor(packages: readonly SnapshotPackage[], edges: readonly SnapshotEdge[]) {
    for (const p of packages) this.names.set(p.id, p.name);
    for (const e of edges) {
      if (!this.names.has(e.from) || !this.names.has(e.to) || e.from === e.to) continue;
      const list = this.out.get(e.from) ?? [];
      list.push(e);
      this.out.set(e.from, list);
    }
  }

  /** Packages `id` uses: direct ones first, then transitive ones, each group sorted by name. */
  dependsOn(id: string): Relation[] {
    const known = this.down.get(id);
    if (known) return known;
    const found = new Map<string, Relation>();
    // Direct declarations, merged per target; the strongest kind names the relation.
    for (const e of this.out.get(id) ?? []) {
      const r = found.get(e.to);
      if (r) {
        r.edges.push(e);
        if (KIND_RANK[e.kind] < KIND_RANK[r.kind]) r.kind = e.kind;
      } else {
        found.set(e.to, { id: e.to, direct: true, path: [id, e.to], kind: e.kind, edges: [e] });
      }
    }
    const direct = [...found.values()].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || this.compare(a, b));
    // Two breadth-first passes: runtime/optional first hops, then dev-only first hops for what is left.
    for (const pass of [(r: Relation) => r.kind !== 'dev', (r: Relation) => r.kind === 'dev']) {
      const queue: Relation[] = direct.filter(pass);
      for (let i = 0; i < queue.length; i++) {
        const from = queue[i];
        for (const e of this.out.get(from.id) ?? []) {
          if (e.kind === 'dev' || e.to === id || found.has(e.to)) continue;
          const next: Relation = { id: e.to, direct: false, via: from.path[1], path: [...from.path, e.to], kind: from.kind, edges: [] };
          found.set(e.to, next);
          queue.push(next);
        }
      }
    }
    const result = [...found.values()].sort((a, b) => Number(b.direct) - Number(a.direct) || this.compare(a, b));
    this.down.set(id, result);
    return result;
  }

  /** Packages that use `id` (per `dependsOn`), direct dependents first, each group sorted by name. */
  usedBy(id: string): Relation[] {
    const known = this.up.get(id);
    if (known) return known;
    const result: Relation[] = [];
    for (const other of this.names.keys()) {
      if (other === id) continue;
      const r = this.dependsOn(other).find((x) => x.id === id);
      if (r) result.push({ ...r, id: other });
    }
    result.sort((a, b) => Number(b.direct) - Number(a.direct) || this.compare(a, b));
    this.up.set(id, result);
    return result;
  }

  private compare(a: Relation, b: Relation): number {
    return (this.names.get(a.id) ?? a.id).localeCompare(this.names.get(b.id) ?? b.id);
  }
}

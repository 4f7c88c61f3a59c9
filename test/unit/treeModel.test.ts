/**
 * The package tree's pure model (client/src/packageTree/treeModel.ts) on a snapshot of the real example
 * monorepo, built the way the server answers `pymono/graphSnapshot` (core Workspace -> convert.ts), and on
 * small hand-made snapshots for cycles, dev groups and multi-root.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TreeModel, normalizeSnapshotUris, type TreeNode, type PackageNode, type RelationNode, type SectionNode } from '../../client/src/packageTree/treeModel';
import { edgeToSnapshot, packageToSnapshot } from '../../server/src/convert';
import type { GraphSnapshot, SnapshotEdge, SnapshotPackage } from '../../server/src/protocol';
import { load, REPO } from './helpers/tree';

const EXAMPLE = path.join(REPO, 'examples', 'monorepo');

interface ExpectedGraph {
  packages: { name: string; path: string; kind: string; dependencies: string[]; devDependencies: string[] }[];
}

async function exampleSnapshot(): Promise<GraphSnapshot> {
  const { ws } = await load(EXAMPLE);
  return {
    version: 1,
    roots: [{ rootUri: pathToFileURL(EXAMPLE).href, version: ws.version, packages: ws.packages().map(packageToSnapshot), edges: ws.edges().map(edgeToSnapshot) }],
  };
}

function labels(nodes: TreeNode[]): string[] {
  return nodes.map((n) => (n.type === 'package' || n.type === 'relation' ? n.pkg.name : n.type === 'root' || n.type === 'group' || n.type === 'folder' || n.type === 'section' ? n.label : ''));
}

function find(model: TreeModel, name: string): PackageNode {
  const node = model.packageNodes().find((n) => n.pkg.name === name);
  assert.ok(node, `no package node ${name}`);
  return node;
}

function section(model: TreeModel, pkg: PackageNode, which: SectionNode['section']): RelationNode[] {
  const s = model.children(pkg).find((n): n is SectionNode => n.type === 'section' && n.section === which);
  assert.ok(s, `${pkg.pkg.name} has no ${which} section`);
  return model.children(s) as RelationNode[];
}

/** `name` or `name (via x)` for each relation, in tree order. */
function described(nodes: RelationNode[]): string[] {
  return nodes.map((n) => (n.relation.direct ? n.pkg.name : `${n.pkg.name} (via ${n.relation.via})`) + (n.relation.kind === 'dev' ? ' [dev]' : ''));
}

function pkg(id: string, kind: SnapshotPackage['kind'], rootUri: string): SnapshotPackage {
  return {
    id,
    name: id,
    kind,
    kindReason: 'test',
    format: 'pep621',
    rootUri,
    manifestUri: `${rootUri}/pyproject.toml`,
    manifestUris: [`${rootUri}/pyproject.toml`],
    modules: [id.replace(/-/g, '_')],
    scripts: {},
    virtual: false,
    requirementCount: 0,
  };
}

function edge(from: string, to: string, kind: SnapshotEdge['kind'] = 'runtime'): SnapshotEdge {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return { from, to, kind, uri: `file:///r/${from}/pyproject.toml`, range, raw: to };
}

describe('package tree model on the example monorepo', () => {
  let snapshot: GraphSnapshot;
  let expected: ExpectedGraph;
  before(async () => {
    snapshot = await exampleSnapshot();
    expected = (await import(path.join(EXAMPLE, 'expected-graph.json'), { with: { type: 'json' } })).default as ExpectedGraph;
  });

  it('groups the packages into Services and Libraries as expected-graph.json says', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    const top = model.topLevel();
    assert.deepEqual(labels(top), ['Services', 'Libraries']);
    const names = (kind: string): string[] => expected.packages.filter((p) => p.kind === kind).map((p) => p.name).sort();
    assert.deepEqual(labels(model.children(top[0])).sort(), names('service'));
    assert.deepEqual(labels(model.children(top[1])).sort(), names('library'));
    assert.equal(model.packageCount(), expected.packages.length);
  });

  it('lists a library\'s dependents with the package a transitive one goes through', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    // orders-api declares acme-telemetry itself; billing-worker only reaches it through mq-client.
    assert.deepEqual(described(section(model, find(model, 'acme-telemetry'), 'usedBy')), ['mq-client', 'orders-api', 'billing-worker (via mq-client)']);
    // mq-client's dev group names acme-models: a direct, dev-only dependent.
    assert.deepEqual(described(section(model, find(model, 'acme-models'), 'usedBy')), ['billing-worker', 'mq-client [dev]', 'orders-api', 'reports']);
  });

  it('lists a library\'s own dependencies under "Depends on" with counts on both sections', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    const mq = find(model, 'mq-client');
    const sections = model.children(mq) as SectionNode[];
    assert.deepEqual(sections.map((s) => `${s.label} ${s.count}`), ['Used by 2', 'Depends on 2']);
    assert.deepEqual(described(section(model, mq, 'dependsOn')), ['acme-models [dev]', 'acme-telemetry']);
  });

  it('expands a service to the internal libraries it uses, direct then transitive', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    assert.deepEqual(described(model.children(find(model, 'billing-worker')) as RelationNode[]), ['acme-models', 'mq-client', 'acme-telemetry (via mq-client)']);
    // The Poetry cycle shared-utils <-> auth-helpers (PM007) ends: notifications reaches both, never itself.
    assert.deepEqual(described(model.children(find(model, 'notifications')) as RelationNode[]), ['shared-utils', 'auth-helpers (via shared-utils)']);
  });

  it('agrees with expected-graph.json on every package\'s direct dependencies', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    for (const p of expected.packages) {
      const direct = model.dependsOn(find(model, p.name).rootUri, p.name).filter((r) => r.direct);
      assert.deepEqual(direct.filter((r) => r.kind !== 'dev').map((r) => r.id).sort(), [...p.dependencies].sort(), `${p.name} runtime`);
      assert.deepEqual(direct.filter((r) => r.kind === 'dev').map((r) => r.id).sort(), [...p.devDependencies].sort(), `${p.name} dev`);
    }
  });

  it('groups packages by their parent folder when asked', () => {
    const model = new TreeModel(snapshot, { grouping: 'folder' });
    const [services, libraries] = model.topLevel();
    const folders = model.children(services);
    assert.deepEqual(labels(folders), ['apps', 'legacy', 'services']);
    assert.deepEqual(labels(model.children(folders[0])), ['reports', 'webhook']);
    assert.deepEqual(labels(model.children(libraries)), ['legacy', 'libs']);
    const telemetry = find(model, 'acme-telemetry');
    assert.equal(telemetry.parent?.type, 'folder');
    assert.equal(telemetry.parent?.parent, libraries, 'getParent chain reaches the group');
    assert.equal(telemetry.relPath, 'libs/telemetry');
  });

  it('returns the same node objects on every call so the view can reveal them', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    const mq = find(model, 'mq-client');
    assert.equal(model.children(mq), model.children(mq));
    assert.equal(model.packageNodeFor(`${mq.pkg.rootUri}/mq_client/serializers.py`), mq);
    const ids = new Set<string>();
    const walk = (nodes: TreeNode[]): void => {
      for (const n of nodes) {
        assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
        ids.add(n.id);
        walk(model.children(n));
      }
    };
    walk(model.topLevel());
  });

  it('attributes problem counts to the package owning each file and skips files no package owns', () => {
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    const orders = find(model, 'orders-api');
    const root = snapshot.roots[0].rootUri;
    const counts = model.problemCounts([
      [`${orders.pkg.rootUri}/src/orders_api/inventory.py`, 1],
      [`${orders.pkg.rootUri}/pyproject.toml`, 2],
      [`${root}/pyproject.toml`, 5],
      [`${find(model, 'mq-client').pkg.rootUri}/x.py`, 0],
    ]);
    assert.deepEqual([...counts], [[orders.id, 3]]);
  });
});

describe('package tree model on small snapshots', () => {
  it('prefers a runtime path over a dev-only one and never lists a package in its own cycle', () => {
    const r = 'file:///r';
    const snapshot: GraphSnapshot = {
      version: 3,
      roots: [{
        rootUri: r,
        version: 1,
        packages: [pkg('app', 'service', `${r}/app`), pkg('a', 'library', `${r}/a`), pkg('b', 'library', `${r}/b`), pkg('c', 'library', `${r}/c`), pkg('t', 'library', `${r}/t`)],
        edges: [edge('app', 'a', 'dev'), edge('a', 't'), edge('app', 'b'), edge('b', 'c'), edge('c', 't'), edge('t', 'b'), edge('c', 'a', 'dev')],
      }],
    };
    const model = new TreeModel(snapshot, { grouping: 'flat' });
    // t is reached at depth 2 through the dev hop a, but through the runtime hop b at depth 3: runtime wins.
    assert.deepEqual(described(model.children(find(model, 'app')) as RelationNode[]), ['a [dev]', 'b', 'c (via b)', 't (via b)']);
    const tPath = model.dependsOn(r, 'app').find((x) => x.id === 't')?.path;
    assert.deepEqual(tPath, ['app', 'b', 'c', 't']);
    // b -> c -> t -> b is a cycle: b's dependencies stop before b; a dev edge of c is not followed.
    assert.deepEqual(described(section(model, find(model, 'b'), 'dependsOn')), ['c', 't (via c)']);
  });

  it('shows one level per root and Other packages when kinds cannot be told, in a multi-root snapshot', () => {
    const snapshot = normalizeSnapshotUris(
      {
        version: 1,
        roots: [
          { rootUri: 'file:///w/one', version: 1, packages: [pkg('svc', 'service', 'file:///w/one/svc')], edges: [] },
          { rootUri: 'file:///w/two%20x', version: 1, packages: [pkg('thing', 'other', 'file:///w/two%20x')], edges: [] },
        ],
      },
      (u) => u.toLowerCase(),
    );
    const model = new TreeModel(snapshot, { grouping: 'folder' });
    const roots = model.topLevel();
    assert.deepEqual(labels(roots), ['one', 'two x']);
    assert.deepEqual(labels(model.children(roots[1])), ['Services', 'Libraries', 'Other packages']);
    const other = model.children(roots[1])[2];
    assert.deepEqual(labels(model.children(other)), ['.'], 'a package at the root sits in folder "."');
    assert.equal(model.packageNodeFor('file:///w/two%20x/main.py')?.pkg.id, 'thing');
    assert.equal(model.packageNodeFor('file:///w/twox/main.py'), undefined);
  });
});

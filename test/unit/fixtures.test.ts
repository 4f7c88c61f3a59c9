/**
 * The scenario fixtures and the example monorepo each carry the findings (and often the graph) pymono must
 * produce on them; this suite loads each one with the real Node host and compares whole sets.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyTree, load, REPO } from './helpers/tree';
import type { Finding, PackageInfo } from '../../server/src/core/model';
import type { Workspace } from '../../server/src/core/workspace';

interface ExpectedFinding {
  code: string;
  path: string;
  line: number;
  module?: string;
  distribution?: string;
}

interface ExpectedPackage {
  name: string;
  path: string;
  kind: string;
  dependencies: string[];
  devDependencies: string[];
}

function key(f: ExpectedFinding): string {
  return `${f.code} ${f.path}:${f.line}${f.module ? ` module=${f.module}` : ''}${f.distribution && !f.module ? ` dist=${f.distribution}` : ''}`;
}

function actual(root: string, findings: Finding[]): string[] {
  return findings
    .map((f) => key({
      code: f.code,
      path: path.relative(root, f.file).split(path.sep).join('/'),
      line: f.range.start.line + 1,
      module: f.module,
      distribution: f.distribution,
    }))
    .sort();
}

function graphOf(root: string, ws: Workspace): ExpectedPackage[] {
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/') || '.';
  return ws.packages().map((p: PackageInfo) => ({
    name: p.id,
    path: rel(p.root),
    kind: p.kind,
    dependencies: [...new Set(ws.dependencies(p.id).filter((e) => e.kind !== 'dev').map((e) => e.to))].sort(),
    devDependencies: [...new Set(ws.dependencies(p.id).filter((e) => e.kind === 'dev').map((e) => e.to))].sort(),
  }));
}

const scenarios = [
  path.join(REPO, 'examples', 'monorepo'),
  ...fs
    .readdirSync(path.join(REPO, 'test', 'fixtures'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(REPO, 'test', 'fixtures', d.name)),
].filter((dir) => fs.existsSync(path.join(dir, 'expected-findings.json')));

describe('fixtures: findings and graph match the expected files', () => {
  it('has scenarios to check', () => {
    assert.ok(scenarios.length >= 10, `only ${scenarios.length} scenarios found`);
  });

  for (const dir of scenarios) {
    const name = path.relative(REPO, dir);
    it(`${name}: reports exactly the expected findings`, async () => {
      const root = copyTree(dir);
      const { ws, host } = await load(root);
      const expected = (JSON.parse(fs.readFileSync(path.join(dir, 'expected-findings.json'), 'utf8')) as ExpectedFinding[]).map(key).sort();
      assert.deepEqual(actual(root, ws.findings()), expected);
      const graphFile = path.join(dir, 'expected-graph.json');
      if (fs.existsSync(graphFile)) {
        const want = (JSON.parse(fs.readFileSync(graphFile, 'utf8')) as { packages: ExpectedPackage[] }).packages;
        const got = graphOf(root, ws);
        assert.deepEqual(
          got.map((p) => ({ ...p })),
          want.map((p) => ({ name: p.name, path: p.path, kind: p.kind, dependencies: [...p.dependencies].sort(), devDependencies: [...p.devDependencies].sort() })),
        );
      }
      await host.dispose();
    });
  }
});

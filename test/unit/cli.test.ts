import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// These tests run the BUILT CLI (dist/cli.js) as a user would; `npm test` builds first. When the bundle is
// missing (a lone `mocha test/unit/cli.test.ts`), it is built once here.
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO, 'examples', 'monorepo');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pymono(args: string[], cwd = REPO): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  code: string; rule: string; severity: string; package: string; path: string;
  line: number; column: number; endLine: number; endColumn: number; message: string;
  module?: string; distribution?: string;
}
interface ExpectedFinding { code: string; path: string; line: number; module?: string; distribution?: string }
interface GraphPackage {
  name: string; path: string; kind: string; manifest: string;
  dependencies: string[]; devDependencies: string[]; dependents: string[];
}
interface ExpectedGraph { packages: { name: string; path: string; kind: string; dependencies: string[]; devDependencies: string[] }[] }

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function checkJson(args: string[]): { run: Run; findings: JsonFinding[] } {
  const run = pymono(['check', EXAMPLE, '--format', 'json', ...args]);
  const doc = JSON.parse(run.stdout) as { version: number; findings: JsonFinding[] };
  assert.equal(doc.version, 1);
  return { run, findings: doc.findings };
}

/** Writes a small uv workspace where every import is declared: one library used by one service. */
function writeCleanFixture(dir: string): void {
  const files: Record<string, string> = {
    'pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*", "services/*"]\n',
    'libs/core/pyproject.toml': '[project]\nname = "acme-core"\nversion = "0.1.0"\ndependencies = ["requests>=2.31"]\n',
    'libs/core/src/acme_core/__init__.py': 'import json\n\nimport requests\n\n\ndef fetch(url):\n    return json.loads(requests.get(url).text)\n',
    'services/api/pyproject.toml':
      '[project]\nname = "api"\nversion = "1.0.0"\ndependencies = ["acme-core"]\n\n[tool.uv.sources]\nacme-core = { workspace = true }\n',
    'services/api/api/__init__.py': '',
    'services/api/api/main.py': 'import os\n\nfrom acme_core import fetch\n\nfrom . import __name__ as pkg\n\nURL = os.environ.get("URL", "x")\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

describe('pymono CLI (built)', function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    if (!fs.existsSync(CLI)) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
      assert.equal(b.status, 0, `build failed: ${b.stderr}`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-cli-'));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('check', () => {
    it('writes a whole JSON report through a pipe, far larger than the pipe buffer', () => {
      const big = path.join(tmp, 'big');
      for (let i = 0; i < 300; i++) {
        const dir = path.join(big, 'services', `svc-${i}`, `svc_${i}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(big, 'services', `svc-${i}`, 'pyproject.toml'), `[project]\nname = "svc-${i}"\nversion = "1.0"\ndependencies = []\n`);
        fs.writeFileSync(path.join(dir, '__init__.py'), 'import requests\nimport boto3\nimport redis\n');
      }
      const run = pymono(['check', big, '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(run.stdout.length > 200_000, `only ${run.stdout.length} bytes`);
      const doc = JSON.parse(run.stdout) as { findings: JsonFinding[] };
      assert.equal(doc.findings.length, 900);
      const files = fs.readdirSync(path.join(big, 'services')).map((d) => path.join(big, 'services', d, 'pyproject.toml'));
      const affected = pymono(['affected', big, '--files', ...files, '--format', 'json']);
      assert.equal(affected.code, 0, affected.stderr);
      assert.ok(affected.stdout.length > 65_536, `only ${affected.stdout.length} bytes: not more than a pipe buffer`);
      assert.equal((JSON.parse(affected.stdout) as { services: unknown[] }).services.length, 300);
    });

    it('exits 0 and says all checks passed on a clean workspace', () => {
      const dir = path.join(tmp, 'clean');
      writeCleanFixture(dir);
      const run = pymono(['check', dir]);
      assert.equal(run.stdout, 'All checks passed (2 packages, 3 files)\n', run.stderr);
      assert.equal(run.code, 0);
      const json = pymono(['check', dir, '--format', 'json']);
      assert.equal(json.code, 0);
      assert.deepEqual(JSON.parse(json.stdout), { version: 1, findings: [] });
    });

    it('exits 1 on the example and reports exactly its expected findings', () => {
      const { run, findings } = checkJson([]);
      assert.equal(run.code, 1);
      const expected = readJson<ExpectedFinding[]>(path.join(EXAMPLE, 'expected-findings.json'));
      const project = (f: ExpectedFinding): string =>
        JSON.stringify([f.code, f.path, f.line, f.module ?? null, f.distribution ?? null]);
      const actual = findings.map((f) => {
        const e = expected.find((x) => x.code === f.code && x.path === f.path && x.line === f.line);
        // Compare module/distribution only where the expectation names them.
        return project({ code: f.code, path: f.path, line: f.line, module: e?.module && f.module, distribution: e?.distribution && f.distribution });
      });
      assert.deepEqual(actual.sort(), expected.map(project).sort());
    });

    it('gives every JSON finding the documented fields with relative paths and 1-based columns', () => {
      const { findings } = checkJson([]);
      assert.ok(findings.length > 0);
      for (const f of findings) {
        assert.match(f.code, /^PM00\d$/);
        assert.match(f.rule, /^[a-z]+(-[a-z]+)*$/);
        assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
        assert.ok(!path.isAbsolute(f.path) && !f.path.includes('\\'), f.path);
        assert.ok(fs.existsSync(path.join(EXAMPLE, f.path)), f.path);
        assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line && f.endColumn >= 1);
        assert.equal(typeof f.message, 'string');
      }
    });

    it('prints ruff-style text lines and a Found summary', () => {
      const run = pymono(['check', EXAMPLE]);
      assert.equal(run.code, 1);
      const lines = run.stdout.trimEnd().split('\n');
      const summary = lines.pop() ?? '';
      const { findings } = checkJson([]);
      assert.match(summary, new RegExp(`^Found ${findings.length} problems \\(\\d+ errors?, \\d+ warnings?\\) in \\d+ packages?$`));
      assert.equal(lines.length, findings.length);
      for (const l of lines) assert.match(l, /^[^:\s][^:]*:\d+:\d+: PM00\d .+/);
      assert.ok(lines.includes(`services/orders-api/src/orders_api/inventory.py:5:${findings.find((f) => f.code === 'PM001')?.column}: PM001 ${findings.find((f) => f.code === 'PM001')?.message}`));
    });

    it('keeps only --select codes and drops --ignore codes', () => {
      const all = checkJson([]).findings;
      const selected = checkJson(['--select', 'PM001,pm003']).findings;
      assert.ok(selected.length > 0);
      assert.deepEqual(selected, all.filter((f) => f.code === 'PM001' || f.code === 'PM003'));
      const ignored = checkJson(['--ignore', 'PM006']).findings;
      assert.deepEqual(ignored, all.filter((f) => f.code !== 'PM006'));
    });

    it('exits 0 when --select keeps nothing that fires', () => {
      const run = pymono(['check', EXAMPLE, '--select', 'PM004', '--ignore', 'PM004']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^All checks passed \(\d+ packages, \d+ files\)\n$/);
    });

    it('writes GitHub workflow commands, one per finding', () => {
      const { findings } = checkJson([]);
      const run = pymono(['check', EXAMPLE, '--format', 'github']);
      assert.equal(run.code, 1);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, findings.length);
      for (const l of lines) {
        assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=PM00\d [a-z-]+::.+$/);
      }
    });

    it('writes a SARIF 2.1.0 log with the rule table and one result per finding', () => {
      const { findings } = checkJson([]);
      const run = pymono(['check', EXAMPLE, '--format', 'sarif']);
      assert.equal(run.code, 1);
      const log = JSON.parse(run.stdout) as {
        version: string;
        runs: { tool: { driver: { name: string; rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
      };
      assert.equal(log.version, '2.1.0');
      const rules = log.runs[0].tool.driver.rules;
      assert.deepEqual(rules.map((r) => r.id), ['PM001', 'PM002', 'PM003', 'PM004', 'PM005', 'PM006', 'PM007', 'PM008', 'PM009']);
      assert.ok(rules.every((r) => r.helpUri.endsWith(`#${r.id.toLowerCase()}`)));
      assert.equal(log.runs[0].results.length, findings.length);
      for (const r of log.runs[0].results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
    });

    it('logs timings to stderr with --verbose and keeps stdout the bare report', () => {
      const quiet = pymono(['check', EXAMPLE, '--format', 'json']);
      const loud = pymono(['check', EXAMPLE, '--format', 'json', '--verbose']);
      assert.equal(quiet.stderr, '');
      assert.match(loud.stderr, /pymono: loaded \d+ packages, \d+ Python files in \d+ ms/);
      assert.equal(loud.stdout, quiet.stdout);
    });

    it('exits 2 with a message on stderr for a missing root', () => {
      const run = pymono(['check', path.join(tmp, 'does-not-exist')]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /does-not-exist' does not exist/);
    });

    it('exits 2 for a root that is a file, a bad --format and an unknown rule code', () => {
      const file = path.join(tmp, 'file.txt');
      fs.writeFileSync(file, 'x');
      const notDir = pymono(['check', file]);
      assert.equal(notDir.code, 2);
      assert.match(notDir.stderr, /is not a directory/);
      const badFormat = pymono(['check', EXAMPLE, '--format', 'xml']);
      assert.equal(badFormat.code, 2);
      assert.match(badFormat.stderr, /xml/);
      assert.equal(badFormat.stdout, '');
      const badCode = pymono(['check', EXAMPLE, '--select', 'PM01']);
      assert.equal(badCode.code, 2);
      assert.match(badCode.stderr, /unknown rule code 'PM01' in --select/);
      assert.equal(pymono(['frobnicate']).code, 2);
    });
  });

  describe('graph', () => {
    it('emits the expected packages and edges as version-1 JSON', () => {
      const run = pymono(['graph', EXAMPLE, '--format', 'json']);
      assert.equal(run.code, 0, run.stderr);
      const doc = JSON.parse(run.stdout) as { version: number; packages: GraphPackage[] };
      assert.equal(doc.version, 1);
      const expected = readJson<ExpectedGraph>(path.join(EXAMPLE, 'expected-graph.json'));
      const strip = (p: GraphPackage): unknown => ({
        name: p.name, path: p.path, kind: p.kind, dependencies: p.dependencies, devDependencies: p.devDependencies,
      });
      assert.deepEqual(doc.packages.map(strip), [...expected.packages].sort((a, b) => a.name.localeCompare(b.name)));
      for (const p of doc.packages) {
        assert.ok(fs.existsSync(path.join(EXAMPLE, p.manifest)), p.manifest);
        for (const d of [...p.dependencies, ...p.devDependencies]) {
          assert.ok(doc.packages.find((q) => q.name === d)?.dependents.includes(p.name), `${d} <- ${p.name}`);
        }
      }
    });

    it('prints Services and Libraries sections with dependency arrows', () => {
      const run = pymono(['graph', EXAMPLE]);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Services \(\d+\)\n/);
      assert.match(run.stdout, /\n\nLibraries \(\d+\)\n/);
      assert.match(run.stdout, /\n {2}orders-api [^\n]*\(services\/orders-api\)\n {4}-> acme-models, acme-telemetry, mq-client\n/);
      assert.match(run.stdout, /\n {2}mq-client [^\n]*\(libs\/mq-client\)\n {4}-> acme-models \(dev\), acme-telemetry\n {4}<- billing-worker, orders-api\n/);
    });

    it('renders dot and mermaid', () => {
      const dot = pymono(['graph', EXAMPLE, '--format', 'dot']);
      assert.equal(dot.code, 0);
      assert.match(dot.stdout, /^digraph pymono \{\n[\s\S]*"orders-api" -> "mq-client";[\s\S]*\}\n$/);
      const mermaid = pymono(['graph', EXAMPLE, '--format', 'mermaid']);
      assert.equal(mermaid.code, 0);
      assert.match(mermaid.stdout, /^flowchart LR\n/);
      assert.match(mermaid.stdout, /\(\["orders-api"\]\)/);
    });
  });

  describe('affected', () => {
    const changed = 'libs/telemetry/src/acme/telemetry/logging.py';

    /** Services that depend on `id` through runtime edges, from the expected graph. */
    function servicesDependingOn(id: string): string[] {
      const { packages } = readJson<ExpectedGraph>(path.join(EXAMPLE, 'expected-graph.json'));
      const seen = new Set([id]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of packages) {
          if (!seen.has(p.name) && p.dependencies.some((d) => seen.has(d))) grew = seen.add(p.name).size > 0;
        }
      }
      return packages.filter((p) => p.kind === 'service' && seen.has(p.name)).map((p) => p.name).sort();
    }

    it('lists the services that depend on a changed library file given relative to cwd', () => {
      const run = pymono(['affected', '--files', changed, '--format', 'json'], EXAMPLE);
      assert.equal(run.code, 0, run.stderr);
      const doc = JSON.parse(run.stdout) as {
        version: number; changedFiles: string[]; changedPackages: string[]; affectedPackages: string[];
        services: { name: string; via: string[] }[];
      };
      assert.equal(doc.version, 1);
      assert.deepEqual(doc.changedFiles, [changed]);
      assert.deepEqual(doc.changedPackages, ['acme-telemetry']);
      const services = servicesDependingOn('acme-telemetry');
      assert.deepEqual(services, ['billing-worker', 'orders-api']);
      assert.deepEqual(doc.services.map((s) => s.name), services);
      for (const s of doc.services) {
        assert.equal(s.via[0], 'acme-telemetry');
        assert.equal(s.via[s.via.length - 1], s.name);
      }
      assert.ok(doc.affectedPackages.includes('mq-client'));
    });

    it('accepts absolute paths with an explicit root and prints text', () => {
      const run = pymono(['affected', EXAMPLE, '--files', path.join(EXAMPLE, changed)], tmp);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Compared: 1 file given with --files\\nChanged files \\(1\\)\\n  ${changed.replace(/\./g, '\\.')}\\nChanged packages: acme-telemetry\\n`));
      assert.match(run.stdout, /\nServices to rebuild \(2\)\n {2}billing-worker +via acme-telemetry -> mq-client -> billing-worker\n {4}.*changed \(acme-telemetry\) → mq-client → billing-worker\n {2}orders-api +via acme-telemetry -> orders-api\n {4}.*\n$/);
    });
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DirEntry, FileStat, Host, ScanOutcome } from '../../server/src/core/host';
import {
  findVenvs,
  modulesFromRecord,
  parseMetadataHeaders,
  readSitePackages,
  recordPaths,
} from '../../server/src/core/venvMetadata';
import { DistributionIndex } from '../../server/src/core/distributions';

/** A minimal fs/promises Host for these tests; `logs` collects what the core logs. */
class TestHost implements Host {
  readonly logs: string[] = [];
  async readFile(p: string): Promise<Uint8Array> {
    return fs.readFile(p);
  }
  async readDirectory(p: string): Promise<DirEntry[]> {
    const entries = await fs.readdir(p, { withFileTypes: true });
    return entries.map((e) => ({
      name: e.name,
      kind: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
    }));
  }
  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const s = await fs.stat(p);
      return { kind: s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other', size: s.size, mtimeMs: s.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async realpath(p: string): Promise<string> {
    return fs.realpath(p);
  }
  async scanFiles(): Promise<Map<string, ScanOutcome>> {
    return new Map();
  }
  async git(): Promise<string> {
    throw new Error('git is not available in this test host');
  }
  log(message: string): void {
    this.logs.push(message);
  }
}

/** Writes `files` (relative path → content) under `root`. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
}

const metadata = (name: string, version: string): string =>
  `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: test\n\nName: not-a-header\n`;

describe('venv metadata', () => {
  let tmp: string;
  let site: string;
  let host: TestHost;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'pymono-venv-'));
    site = path.join(tmp, 'svc', '.venv', 'lib', 'python3.11', 'site-packages');
    await writeTree(site, {
      // top_level.txt + RECORD
      'PyYAML-6.0.1.dist-info/METADATA': metadata('PyYAML', '6.0.1'),
      'PyYAML-6.0.1.dist-info/top_level.txt': '_yaml\nyaml\n',
      'PyYAML-6.0.1.dist-info/RECORD':
        'yaml/__init__.py,sha256=x,1\nyaml/reader.py,,\n_yaml/__init__.py,,\nPyYAML-6.0.1.dist-info/RECORD,,\n',
      // RECORD only, with scripts, caches and an extension module
      'python_dateutil-2.9.0.dist-info/METADATA': metadata('python-dateutil', '2.9.0'),
      'python_dateutil-2.9.0.dist-info/RECORD': [
        'dateutil/__init__.py,sha256=a,10',
        'dateutil/__pycache__/__init__.cpython-311.pyc,,',
        'dateutil/tz/tz.py,,',
        '"dateutil/zoneinfo/data, with comma.tar.gz",,',
        '../../../bin/dateutil-tool,,',
        'bin/tool.py,,',
        '_dateutil_speedups.cpython-311-x86_64-linux-gnu.so,,',
        'python_dateutil-2.9.0.dist-info/METADATA,,',
      ].join('\n'),
      // PEP 420 namespace distribution, with a coarse top_level.txt
      'opentelemetry_sdk-1.25.0.dist-info/METADATA': metadata('opentelemetry-sdk', '1.25.0'),
      'opentelemetry_sdk-1.25.0.dist-info/top_level.txt': 'opentelemetry\n',
      'opentelemetry_sdk-1.25.0.dist-info/RECORD':
        'opentelemetry/sdk/__init__.py,,\nopentelemetry/sdk/trace/__init__.py,,\nopentelemetry/sdk/py.typed,,\n',
      // A namespace root with files directly in it (google-cloud-core) is descended further
      'google_cloud_core-2.4.1.dist-info/METADATA': metadata('google-cloud-core', '2.4.1'),
      'google_cloud_core-2.4.1.dist-info/RECORD':
        'google/cloud/client.py,,\ngoogle/cloud/exceptions.py,,\ngoogle/cloud/_helpers.py,,\n',
      // Editable installs: PEP 660 finder, and a hatch-style `_name.pth`
      'mylib-0.1.0.dist-info/METADATA': metadata('mylib', '0.1.0'),
      'mylib-0.1.0.dist-info/top_level.txt': 'mylib\n',
      'mylib-0.1.0.dist-info/RECORD':
        '__editable__.mylib-0.1.0.pth,,\n__editable___mylib_0_1_0_finder.py,,\nmylib-0.1.0.dist-info/RECORD,,\n',
      'otherlib-0.2.0.dist-info/METADATA': metadata('otherlib', '0.2.0'),
      'otherlib-0.2.0.dist-info/RECORD': '_otherlib.pth,,\notherlib-0.2.0.dist-info/RECORD,,\n',
      // Setuptools: a .pth next to real modules is not an editable install
      'setuptools-69.0.0.dist-info/METADATA': metadata('setuptools', '69.0.0'),
      'setuptools-69.0.0.dist-info/RECORD':
        'distutils-precedence.pth,,\n_distutils_hack/__init__.py,,\npkg_resources/__init__.py,,\nsetuptools/__init__.py,,\n',
      // Stub-only package: `requests-stubs` is not an importable name
      'types_requests-2.31.0.dist-info/METADATA': metadata('types-requests', '2.31.0'),
      'types_requests-2.31.0.dist-info/RECORD': 'requests-stubs/__init__.pyi,,\n',
      // Malformed: METADATA without Name, and a dist-info without METADATA
      'broken-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nVersion: 1.0\n',
      'empty-1.0.dist-info/RECORD': 'empty/__init__.py,,\n',
      // Legacy egg-info
      'six-1.16.0.egg-info/PKG-INFO': metadata('six', '1.16.0'),
      'six-1.16.0.egg-info/top_level.txt': 'six\n',
      'six.py': '',
    });
    await fs.mkdir(path.join(tmp, '.venv', 'Lib', 'site-packages'), { recursive: true });
    await writeTree(path.join(tmp, 'tools', 'env'), { 'pyvenv.cfg': 'home = /usr/bin\n' });
    await fs.mkdir(path.join(tmp, 'tools', 'env', 'lib', 'python3.12', 'site-packages'), { recursive: true });
  });

  after(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    host = new TestHost();
  });

  it('finds root, per-package and explicit venvs, Windows layout included, without duplicates', async () => {
    const found = await findVenvs(tmp, host, [path.join(tmp, 'svc'), path.join(tmp, 'tools', 'env'), path.join(tmp, 'svc')]);
    assert.deepEqual(found, [
      path.join(tmp, '.venv', 'Lib', 'site-packages'),
      site,
      path.join(tmp, 'tools', 'env', 'lib', 'python3.12', 'site-packages'),
    ]);
  });

  it('returns nothing when there is no venv', async () => {
    assert.deepEqual(await findVenvs(path.join(tmp, 'svc', 'nowhere'), host), []);
  });

  it('reads name, version and import names of each distribution', async () => {
    const dists = await readSitePackages(site, host);
    const byName = new Map(dists.map((d) => [d.normalized, d]));
    assert.deepEqual(byName.get('pyyaml'), {
      name: 'PyYAML', normalized: 'pyyaml', version: '6.0.1', modules: ['_yaml', 'yaml'], sitePackages: site,
    });
    assert.deepEqual(byName.get('python-dateutil')?.modules, ['_dateutil_speedups', 'dateutil']);
    assert.deepEqual(byName.get('opentelemetry-sdk')?.modules, ['opentelemetry.sdk']);
    assert.deepEqual(byName.get('google-cloud-core')?.modules, [
      'google.cloud._helpers', 'google.cloud.client', 'google.cloud.exceptions',
    ]);
    assert.deepEqual(byName.get('setuptools')?.modules, ['_distutils_hack', 'pkg_resources', 'setuptools']);
    assert.deepEqual(byName.get('types-requests')?.modules, []);
    assert.deepEqual(byName.get('six'), { name: 'six', normalized: 'six', version: '1.16.0', modules: ['six'], sitePackages: site });
  });

  it('gives editable installs no module', async () => {
    const dists = await readSitePackages(site, host);
    assert.deepEqual(dists.find((d) => d.normalized === 'mylib')?.modules, []);
    assert.deepEqual(dists.find((d) => d.normalized === 'otherlib')?.modules, []);
  });

  it('skips malformed dist-info directories and logs why', async () => {
    const dists = await readSitePackages(site, host);
    assert.ok(!dists.some((d) => d.name === 'broken' || d.name === 'empty'));
    assert.ok(host.logs.some((l) => l.includes('broken-1.0.dist-info') && l.includes('no Name')), host.logs.join('\n'));
    assert.ok(host.logs.some((l) => l.includes('empty-1.0.dist-info') && l.includes('no METADATA')), host.logs.join('\n'));
  });

  it('logs and returns [] for an unreadable site-packages', async () => {
    assert.deepEqual(await readSitePackages(path.join(tmp, 'missing'), host), []);
    assert.ok(host.logs.some((l) => l.includes('cannot list') && l.includes('missing')));
  });

  it('feeds the distribution index so venv data wins over the table', async () => {
    const index = new DistributionIndex({ venv: await readSitePackages(site, host) });
    const match = index.resolve('opentelemetry.sdk.trace');
    assert.equal(match.reason, 'venv');
    assert.deepEqual(match.distributions, ['opentelemetry-sdk']);
    assert.equal(match.version, '1.25.0');
    assert.equal(match.detail, site);
    // google-cloud-core's files directly in google/cloud must not claim other google.cloud libraries.
    assert.deepEqual(index.resolve('google.cloud.bigquery').distributions, ['google-cloud-bigquery']);
    assert.equal(index.resolve('google.cloud.exceptions').reason, 'venv');
  });
});

describe('metadata parsing helpers', () => {
  it('reads only the header block of METADATA, first value wins', () => {
    const h = parseMetadataHeaders('Name: a\nVersion: 1\nLicense: MIT\n  continued\nName: b\n\nbody: x\n');
    assert.equal(h.get('name'), 'a');
    assert.equal(h.get('version'), '1');
    assert.equal(h.get('body'), undefined);
  });

  it('reads RECORD paths, quoted ones included', () => {
    assert.deepEqual(recordPaths('a/b.py,sha256=1,2\r\n"c/d,e.py",,\n\n'), ['a/b.py', 'c/d,e.py']);
  });

  it('descends namespace directories to the first level with files', () => {
    const r = modulesFromRecord([
      'opentelemetry/exporter/otlp/proto/grpc/__init__.py',
      'opentelemetry/exporter/otlp/proto/grpc/trace_exporter/__init__.py',
      'acme/telemetry/core.py',
      'acme/telemetry/sub/x.py',
    ]);
    assert.deepEqual(r.modules, ['acme.telemetry', 'opentelemetry.exporter.otlp.proto.grpc']);
    assert.equal(r.editable, false);
  });

  it('ignores paths outside site-packages and Windows script folders', () => {
    const r = modulesFromRecord(['../../Scripts/x.exe', '/abs/path.py', 'pkg.data/scripts/run.py', 'ok.py']);
    assert.deepEqual(r.modules, ['ok']);
  });
});

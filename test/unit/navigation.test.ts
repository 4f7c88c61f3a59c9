/**
 * Go to Definition resolution (core/navigation.ts) over an in-memory file set, and what sits at a position
 * (core/entryAt.ts): imports and their segments in Python, dependency entries and links in manifests.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  findTopLevelDefinition,
  moduleFileCandidates,
  readerFromHost,
  reExportSource,
  resolveDefinition,
  type SourceReader,
} from '../../server/src/core/navigation';
import { importAt, manifestEntries, manifestEntryAt, manifestLinks } from '../../server/src/core/entryAt';
import { scanPython } from '../../server/src/core/importScanner';
import type { Host } from '../../server/src/core/host';
import type { PackageInfo } from '../../server/src/core/model';

const R = path.join(path.sep, 'ws', 'libs', 'tel', 'src');
const f = (...segs: string[]): string => path.join(R, ...segs);

/** A reader over a { path: text } map. */
function memory(files: Record<string, string>): SourceReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (file) => {
      reads.push(file);
      return files[file];
    },
  };
}

describe('navigation: module files and definitions', () => {
  it('lists module candidates per source root: module file, stub, package __init__', () => {
    assert.deepEqual(moduleFileCandidates([R], 'acme.tel'), [f('acme', 'tel.py'), f('acme', 'tel.pyi'), f('acme', 'tel', '__init__.py'), f('acme', 'tel', '__init__.pyi')]);
    assert.deepEqual(moduleFileCandidates([R], ''), []);
  });

  it('finds def, async def, class, assignments and annotations at column 0', () => {
    const text = [
      'import os', //                        0
      'def helper(x):', //                   1
      '    value = 2', //                    2
      'async def fetch(): ...', //           3
      'class Client(Base):', //              4
      'TIMEOUT = 5', //                      5
      'RETRIES: int = 3', //                 6
      'NAME: str', //                        7
      'flag == 1', //                        8
    ].join('\n');
    const at = (name: string) => findTopLevelDefinition(text, name)?.start;
    assert.deepEqual(at('helper'), { line: 1, character: 4 });
    assert.deepEqual(at('fetch'), { line: 3, character: 10 });
    assert.deepEqual(at('Client'), { line: 4, character: 6 });
    assert.deepEqual(at('TIMEOUT'), { line: 5, character: 0 });
    assert.deepEqual(at('RETRIES'), { line: 6, character: 0 });
    assert.deepEqual(at('NAME'), { line: 7, character: 0 });
    assert.equal(at('value'), undefined, 'indented: not module level');
    assert.equal(at('flag'), undefined, 'a comparison is not an assignment');
    assert.equal(at('help'), undefined, 'whole names only');
    assert.equal(at('a.b'), undefined, 'not an identifier');
  });

  it('skips text inside triple-quoted strings, brackets and backslash continuations', () => {
    const text = [
      '"""Docs.', //                          0
      'target = "in a docstring"', //         1
      '"""', //                               2
      'config = dict(', //                    3
      'target=1,', //                         4
      ')', //                                 5
      'total = 1 + \\', //                    6
      'target', //                            7
      "s = 'a \\' \"\"\" b'  # \"\"\" in comment", // 8
      'target = 2', //                        9
    ].join('\r\n');
    assert.deepEqual(findTopLevelDefinition(text, 'target'), { start: { line: 9, character: 0 }, end: { line: 9, character: 6 } });
  });

  it('finds the module a relative import re-exports a name from', () => {
    const init = 'from .logging import configure, get_logger\nfrom . import tracing\nfrom ..util import helper\n';
    assert.deepEqual(reExportSource(f('acme', 'tel', '__init__.py'), 'acme.tel', init, 'get_logger'), { module: 'acme.tel.logging', submodule: false });
    assert.deepEqual(reExportSource(f('acme', 'tel', '__init__.py'), 'acme.tel', init, 'tracing'), { module: 'acme.tel.tracing', submodule: true });
    assert.deepEqual(reExportSource(f('acme', 'tel', '__init__.py'), 'acme.tel', init, 'helper'), { module: 'acme.util', submodule: false });
    // In a plain module the package is its parent.
    assert.deepEqual(reExportSource(f('acme', 'tel', 'api.py'), 'acme.tel.api', 'from .logging import get_logger\n', 'get_logger'), { module: 'acme.tel.logging', submodule: false });
    assert.equal(reExportSource(f('acme', 'tel', '__init__.py'), 'acme.tel', 'def f():\n    from .logging import get_logger\n', 'get_logger'), undefined, 'not module level');
  });

  it('resolves a name to its definition through two re-exports, a submodule, or the module file', async () => {
    const reader = memory({
      [f('acme', 'tel', '__init__.py')]: 'from .api import get_logger\nfrom . import tracing\n',
      [f('acme', 'tel', 'api.py')]: 'from .logging import get_logger\n',
      [f('acme', 'tel', 'logging.py')]: '"""Logging."""\n\n\ndef get_logger(name):\n    return name\n',
      [f('acme', 'tel', 'tracing.py')]: 'X = 1\n',
      [f('acme', 'tel', 'util.pyi')]: 'def stub() -> None: ...\n',
    });
    const start = (file: string) => ({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    assert.deepEqual(await resolveDefinition(reader, [R], 'acme.tel', 'get_logger'), {
      file: f('acme', 'tel', 'logging.py'),
      range: { start: { line: 3, character: 4 }, end: { line: 3, character: 14 } },
    });
    assert.deepEqual(await resolveDefinition(reader, [R], 'acme.tel', 'tracing'), start(f('acme', 'tel', 'tracing.py')));
    assert.deepEqual(await resolveDefinition(reader, [R], 'acme.tel', 'missing'), start(f('acme', 'tel', '__init__.py')));
    assert.deepEqual(await resolveDefinition(reader, [R], 'acme.tel.util', 'stub'), { file: f('acme', 'tel', 'util.pyi'), range: { start: { line: 0, character: 4 }, end: { line: 0, character: 8 } } });
    assert.deepEqual(await resolveDefinition(reader, [R], 'acme.tel'), start(f('acme', 'tel', '__init__.py')));
    assert.equal(await resolveDefinition(reader, [R], 'acme'), undefined, 'a PEP 420 namespace folder has no file');
  });

  it('reads open documents before the disk, and turns read errors into undefined', async () => {
    const host = {
      readFile: async (p: string) => {
        if (p === '/x/disk.py') return new TextEncoder().encode('A = 1\n');
        throw new Error(`ENOENT: no such file, open '${p}'`);
      },
    } as unknown as Host;
    const reader = readerFromHost(host, (p) => (p === '/x/open.py' ? 'B = 2\n' : undefined));
    assert.equal(await reader.read('/x/disk.py'), 'A = 1\n');
    assert.equal(await reader.read('/x/open.py'), 'B = 2\n');
    assert.equal(await reader.read('/x/missing.py'), undefined);
  });
});

describe('entryAt: what sits at a position', () => {
  it('tells the hovered segment of a dotted import, and the imported name', () => {
    const scan = scanPython('import os\nfrom acme.telemetry.logging import get_logger, configure\nfrom . import sibling\nimport a . b\n');
    assert.deepEqual(
      [0, 6, 11, 18, 20].map((c) => importAt(scan, { line: 1, character: c })?.segmentModule),
      [undefined, 'acme', 'acme.telemetry', 'acme.telemetry', 'acme.telemetry.logging'],
    );
    const name = importAt(scan, { line: 1, character: 50 });
    assert.deepEqual([name?.name, name?.module, name?.range.start.character], ['configure', 'acme.telemetry.logging.configure', 47]);
    assert.equal(importAt(scan, { line: 2, character: 15 }), undefined, 'relative imports are the package’s own code');
    assert.equal(importAt(scan, { line: 3, character: 7 })?.segmentModule, 'a.b', 'spaced dotted name: the whole module');
  });

  it('locates pyproject entries: requirements, uv sources, and the path value of a Poetry path dependency', () => {
    const file = path.join(path.sep, 'ws', 'svc', 'pyproject.toml');
    const text = [
      '[project]',
      'name = "svc"',
      'dependencies = ["shared", "requests>=2"]',
      '',
      '[tool.uv.sources]',
      'shared = { workspace = true }',
      '',
      '[tool.poetry.dependencies]',
      'legacy = { path = "../legacy", develop = true }',
    ].join('\n');
    const entries = manifestEntries(file, text).map((e) => `${e.kind} ${e.kind === 'requirement' ? e.requirement.name : e.name} ${e.range.start.line}:${e.range.start.character}${e.pathRange ? ` path@${e.pathRange.start.character}-${e.pathRange.end.character}` : ''}`);
    assert.deepEqual(entries.sort(), ['requirement legacy 8:0 path@18-29', 'requirement requests 2:26', 'requirement shared 2:16', 'uv-source shared 5:0']);
    const onPath = manifestEntryAt(file, text, { line: 8, character: 22 });
    assert.equal(onPath?.kind === 'requirement' && onPath.requirement.name, 'legacy');
    assert.equal(manifestEntryAt(file, text, { line: 1, character: 9 }), undefined);
  });

  it('links internal entries (by name or by path) to the member manifest, never third-party ones or the file itself', () => {
    const mk = (id: string, root: string): PackageInfo => ({
      name: id, id, root, manifest: path.join(root, 'pyproject.toml'), manifestFiles: [path.join(root, 'pyproject.toml')], format: 'pep621', kind: 'library',
      kindReason: '', requirements: [], scripts: {}, modules: [id], sourceRoots: [root], virtual: false,
    });
    const ws = path.join(path.sep, 'ws');
    const packages = [mk('shared', path.join(ws, 'libs', 'shared')), mk('svc', path.join(ws, 'svc')), mk('base', path.join(ws, 'libs', 'base-lib'))];
    const req = path.join(ws, 'app', 'requirements.txt');
    const links = manifestLinks(req, 'flask>=3\n-e ../libs/base-lib\nshared==1.0\n', packages).map((l) => `${l.range.start.line} ${path.relative(ws, l.target)}`);
    assert.deepEqual(links, ['1 libs/base-lib/pyproject.toml', '2 libs/shared/pyproject.toml']);
    const own = path.join(ws, 'libs', 'shared', 'pyproject.toml');
    assert.deepEqual(manifestLinks(own, '[project]\nname = "shared"\ndependencies = ["shared[extra]"]\n', packages), []);
  });
});

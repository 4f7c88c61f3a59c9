import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { STDLIB_VERSIONS, isStdlibModule, stdlibMinorsFor, stdlibModulesOf } from '../../server/src/core/stdlib';
import { STDLIB_BASE_MINOR } from '../../server/src/core/stdlibData';

describe('stdlib lists', () => {
  it('covers Python 3.8 through 3.14', () => {
    assert.deepEqual([...STDLIB_VERSIONS], [8, 9, 10, 11, 12, 13, 14]);
    for (const m of STDLIB_VERSIONS) assert.ok(stdlibModulesOf(m).length > 200, `3.${m} list is too short`);
  });

  it("equals the running python3's sys.stdlib_module_names for its own minor", () => {
    const out = execFileSync(
      'python3',
      ['-c', 'import sys, json; print(json.dumps([sys.version_info[1], sorted(sys.stdlib_module_names)]))'],
      { encoding: 'utf8' },
    );
    const [minor, names] = JSON.parse(out) as [number, string[]];
    const expected = [...new Set([...names, '__future__'])].sort();
    assert.deepEqual(stdlibModulesOf(minor), expected);
    // The generated data was anchored on this machine's interpreter; a different one means: regenerate.
    assert.equal(minor, STDLIB_BASE_MINOR, 'stdlibData.ts was generated with another Python: run python3 tools/gen-stdlib.py');
  });

  it('includes __future__ in every version', () => {
    for (const m of STDLIB_VERSIONS) assert.ok(isStdlibModule('__future__', [m]), `3.${m}`);
  });

  it('applies the documented additions', () => {
    assert.ok(!isStdlibModule('zoneinfo', [8]) && isStdlibModule('zoneinfo', [9]));
    assert.ok(!isStdlibModule('graphlib', [8]) && isStdlibModule('graphlib', [9]));
    assert.ok(!isStdlibModule('tomllib', [10]) && isStdlibModule('tomllib', [11]));
    assert.ok(!isStdlibModule('annotationlib', [13]) && isStdlibModule('annotationlib', [14]));
    assert.ok(!isStdlibModule('compression.zstd', [13]) && isStdlibModule('compression.zstd', [14]));
  });

  it('applies the documented removals', () => {
    assert.ok(isStdlibModule('dummy_threading', [8]) && !isStdlibModule('dummy_threading', [9]));
    for (const name of ['formatter', 'parser', 'symbol']) {
      assert.ok(isStdlibModule(name, [9]) && !isStdlibModule(name, [10]), name);
    }
    for (const name of ['asynchat', 'asyncore', 'distutils', 'imp', 'smtpd']) {
      assert.ok(isStdlibModule(name, [11]) && !isStdlibModule(name, [12]), name);
    }
    for (const name of ['aifc', 'audioop', 'cgi', 'cgitb', 'crypt', 'imghdr', 'telnetlib', 'uu', 'xdrlib', 'lib2to3']) {
      assert.ok(isStdlibModule(name, [12]) && !isStdlibModule(name, [13]), name);
    }
  });

  it('judges a dotted import by its top-level segment', () => {
    assert.ok(isStdlibModule('os.path', [11]));
    assert.ok(isStdlibModule('xml.etree.ElementTree', [14]));
    assert.ok(isStdlibModule('distutils.core', [10]));
    assert.ok(!isStdlibModule('requests.adapters', [14]));
    assert.ok(!isStdlibModule('', [14]));
  });

  it('is stdlib when any allowed minor has it, and defaults to 3.14 for an empty list', () => {
    assert.ok(isStdlibModule('distutils', [11, 12, 13]));
    assert.ok(!isStdlibModule('distutils', [12, 13]));
    assert.ok(isStdlibModule('annotationlib', []));
    assert.ok(!isStdlibModule('distutils', []));
  });

  it('does not count test-only or third-party names', () => {
    assert.ok(!isStdlibModule('test', [11]));
    assert.ok(!isStdlibModule('yaml', [11]));
    assert.ok(!isStdlibModule('setuptools', [11]));
  });
});

describe('stdlibMinorsFor', () => {
  it('defaults to [14] when absent, blank, invalid or unsatisfiable', () => {
    assert.deepEqual(stdlibMinorsFor(), [14]);
    assert.deepEqual(stdlibMinorsFor('  '), [14]);
    assert.deepEqual(stdlibMinorsFor('>=banana'), [14]);
    assert.deepEqual(stdlibMinorsFor('<3.0'), [14]);
  });

  it('includes the lower bound of >=', () => {
    assert.deepEqual(stdlibMinorsFor('>=3.9'), [9, 10, 11, 12, 13, 14]);
    assert.deepEqual(stdlibMinorsFor('>= 3.8, < 4'), [8, 9, 10, 11, 12, 13, 14]);
  });

  it('handles compatible release, ranges and wildcards', () => {
    assert.deepEqual(stdlibMinorsFor('~=3.10'), [10, 11, 12, 13, 14]);
    assert.deepEqual(stdlibMinorsFor('~=3.10.2'), [10]);
    assert.deepEqual(stdlibMinorsFor('>=3.8,<3.12'), [8, 9, 10, 11]);
    assert.deepEqual(stdlibMinorsFor('==3.11.*'), [11]);
    assert.deepEqual(stdlibMinorsFor('!=3.9.*,>=3.8,<3.11'), [8, 10]);
  });

  it('admits a minor when a later patch release satisfies the spec', () => {
    assert.deepEqual(stdlibMinorsFor('>3.11,<3.13'), [11, 12]);
    assert.deepEqual(stdlibMinorsFor('==3.12.4'), [12]);
  });

  it('accepts Poetry caret, tilde and || constraints', () => {
    assert.deepEqual(stdlibMinorsFor('^3.10'), [10, 11, 12, 13, 14]);
    assert.deepEqual(stdlibMinorsFor('~3.11'), [11]);
    assert.deepEqual(stdlibMinorsFor('3.9.* || >=3.13'), [9, 13, 14]);
  });
});

import { strict as assert } from 'node:assert';
import type { FileScan, ImportRecord } from '../../server/src/core/model';
import { scanPython, scanPythonBytes } from '../../server/src/core/importScanner';
import { scanNotebook } from '../../server/src/core/notebook';

/** `module@line:start-end` plus flags, for compact assertions. */
function brief(r: ImportRecord): string {
  const dots = '.'.repeat(r.level);
  const { start, end } = r.range;
  const endText = start.line === end.line ? `${end.character}` : `${end.line}:${end.character}`;
  const pos = `${start.line}:${start.character}-${endText}`;
  const flags = [r.typeOnly ? 'type' : '', r.optional ? 'opt' : '', r.dynamic ? 'dyn' : ''].filter(Boolean).join(',');
  const names = r.names ? `[${r.names.map((n) => n.name).join(',')}]` : '';
  return `${dots}${r.module}${names}@${pos}${flags ? ' ' + flags : ''}`;
}

function modules(src: string): string[] {
  return scanPython(src).imports.map((r) => '.'.repeat(r.level) + r.module);
}

function briefs(src: string): string[] {
  return scanPython(src).imports.map(brief);
}

describe('import scanner: statements', () => {
  it('gives one record per name of `import a.b as c, d` with the dotted name ranges', () => {
    assert.deepEqual(briefs('import a.b as c, d\n'), ['a.b@0:7-10', 'd@0:17-18']);
  });

  it('gives one record for a parenthesised multi-line from-import with each name and its range', () => {
    const scan = scanPython('from x.y import (a,\n    b as bee,\n    c,\n)\n');
    assert.equal(scan.imports.length, 1);
    const r = scan.imports[0];
    assert.equal(brief(r), 'x.y[a,b,c]@0:5-8');
    assert.deepEqual(r.names?.map((n) => [n.name, n.range.start.line, n.range.start.character, n.range.end.character]), [
      ['a', 0, 17, 18], ['b', 1, 4, 5], ['c', 2, 4, 5],
    ]);
  });

  it('follows backslash continuations in import and from statements', () => {
    assert.deepEqual(briefs('import a, \\\n    b\nfrom pkg \\\n    import c\n'), ['a@0:7-8', 'b@1:4-5', 'pkg[c]@2:5-8']);
  });

  it('counts the dots of relative imports as the level and ranges over them', () => {
    assert.deepEqual(briefs('from . import x\nfrom ..pkg.mod import y\nfrom ... import z\nfrom .import w\n'), [
      '.[x]@0:5-6', '..pkg.mod[y]@1:5-14', '...[z]@2:5-8', '.[w]@3:5-6',
    ]);
  });

  it("reports `from x import *` with the name '*'", () => {
    const r = scanPython('from x import *\n').imports[0];
    assert.deepEqual(r.names, [{ name: '*', range: { start: { line: 0, character: 14 }, end: { line: 0, character: 15 } } }]);
  });

  it('finds imports inside functions, classes, if, try, with, else and after semicolons', () => {
    const src = [
      'def f():', '    import a', 'class C:', '    from b import c', 'if x:', '    import d', 'else:', '    import e',
      'with ctx():', '    import f', 'try:', '    import g', 'finally:', '    pass', 'import os; import sys',
      'if y: import h', 'else: import i', 'for _ in z: from j import k', 'while w: import l; break',
    ].join('\n');
    assert.deepEqual(modules(src), ['a', 'b', 'd', 'e', 'f', 'g', 'os', 'sys', 'h', 'i', 'j', 'l']);
  });

  it('joins a dotted name written with spaces around the dots', () => {
    assert.deepEqual(briefs('import a . b\n'), ['a.b@0:7-12']);
  });

  it('finds imports in match/case bodies', () => {
    assert.deepEqual(modules('match cmd:\n    case 1:\n        import a\n    case _: import b\n'), ['a', 'b']);
  });
});

describe('import scanner: what is not an import', () => {
  it('ignores imports inside strings of every kind, docstrings and comments', () => {
    const src = [
      '"""Module docstring', 'import a', 'from b import c', '"""', "s = 'import d'", 's = "from e import f"',
      "s = '''\nimport g\n'''", 's = r"\\"import h"', "s = b'import i'", 's = rb"import j"', "s = u'import k'",
      'f = f"{x[\'import l\']} import m {y:>{w}}"', "f = F'''{a}\nimport n\n'''", '# import o', 'x = 1  # from p import q',
      's = "line \\', 'import r"', 'def f():', '    """import s"""', '    return 1',
    ].join('\n');
    assert.deepEqual(modules(src), []);
  });

  it('does not take identifiers that start with import or from for keywords', () => {
    assert.deepEqual(modules('important = 1\nimports.x = 2\nfrom_x = 1\nobj.import_thing()\nimportlib.reload(m)\n'), []);
  });

  it('does not take `yield from` or `raise ... from` for imports', () => {
    assert.deepEqual(modules('def g():\n    x = yield from y\n    raise E from e\n'), []);
  });

  it('keeps scanning correctly after strings that contain quotes, braces and hashes', () => {
    const src = 's = "a \\" # (" ; import a\nt = f"{\'}\'}" ; import b\nu = f"{{" ; import c\nv = r\'\\\'\' ; import d\n';
    assert.deepEqual(modules(src), ['a', 'b', 'c', 'd']);
  });

  it('handles PEP 701 f-strings that nest the same quotes', () => {
    assert.deepEqual(modules('x = f"{d["import a"]} {f"{y}"}"; import b\n'), ['b']);
  });
});

describe('import scanner: typeOnly, optional and dynamic', () => {
  it('marks imports under `if TYPE_CHECKING:` and `if typing.TYPE_CHECKING:` as typeOnly, not their else', () => {
    const src = [
      'if TYPE_CHECKING:', '    import a', '    if x:', '        import b', 'else:', '    import c',
      'import d', 'if typing.TYPE_CHECKING: import e', 'import f', 'if not TYPE_CHECKING:', '    import g',
    ].join('\n');
    assert.deepEqual(briefs(src).map((b) => b.replace(/@\S+/, '')), ['a type', 'b type', 'c', 'd', 'e type', 'f', 'g']);
  });

  it('marks imports in a try body optional when a handler catches ImportError, ModuleNotFoundError, Exception or is bare', () => {
    const src = [
      'try:', '    import a', 'except ImportError:', '    import fallback',
      'try:', '    import b', 'except (ValueError, ModuleNotFoundError) as e:', '    pass',
      'try:', '    import c', 'except KeyError:', '    pass', 'except Exception:', '    pass',
      'try:', '    import d', 'except:', '    pass',
      'try:', '    import e', 'except KeyError:', '    pass', 'else:', '    import f',
      'try: import g', 'except ImportError: pass',
    ].join('\n');
    const flags = scanPython(src).imports.map((r) => `${r.module}:${r.optional ? 'opt' : '-'}`);
    assert.deepEqual(flags, ['a:opt', 'fallback:-', 'b:opt', 'c:opt', 'd:opt', 'e:-', 'f:-', 'g:opt']);
  });

  it('marks nested try bodies by their own and by the enclosing handlers', () => {
    const src = [
      'try:', '    import a', '    try:', '        import b', '    except ValueError:', '        import c',
      'except ImportError:', '    pass', 'try:', '    try:', '        import d', '    except ImportError:', '        pass',
      'except ValueError:', '    import e',
    ].join('\n');
    const flags = scanPython(src).imports.map((r) => `${r.module}:${r.optional ? 'opt' : '-'}`);
    assert.deepEqual(flags, ['a:opt', 'b:opt', 'c:opt', 'd:opt', 'e:-']);
  });

  it('records importlib.import_module, import_module and __import__ with one string literal as dynamic', () => {
    const src = [
      'm = importlib.import_module("pkg.mod")', "n = import_module('other')", '__import__("dunder")',
      'x = importlib.import_module(\n    "wrapped",\n)',
      'importlib.import_module(name)', '__import__("a", globals())', 'import_module(f"x")', 'obj.import_module("no")',
      'import_module("a" "b")', '__import__(b"bytes")', 's = "importlib.import_module(\'no\')"',
    ].join('\n');
    assert.deepEqual(briefs(src), ['pkg.mod@0:29-36 dyn', 'other@1:19-24 dyn', 'dunder@2:12-18 dyn', 'wrapped@4:5-12 dyn']);
  });
});

describe('import scanner: positions', () => {
  it('counts columns in UTF-16 units after non-ASCII text on the same line', () => {
    assert.deepEqual(briefs('s = "é"; import a\nt = "日本"; import b\nu = "🎉"; from c import d\n'), [
      'a@0:16-17', 'b@1:17-18', 'c[d]@2:15-16',
    ]);
    const r = scanPython('u = "🎉"; from c import d\n').imports[0];
    assert.deepEqual(r.names?.[0].range, { start: { line: 0, character: 24 }, end: { line: 0, character: 25 } });
  });

  it('normalizes non-ASCII module names with NFKC as Python does', () => {
    assert.deepEqual(modules('import ﬁle, µsvc, café\n'), ['file', 'μsvc', 'café']);
  });

  it('treats \\r\\n and lone \\r as line ends', () => {
    assert.deepEqual(briefs('import a\r\nimport b\rimport c\n'), ['a@0:7-8', 'b@1:7-8', 'c@2:7-8']);
  });

  it('handles tab indentation and tabs between tokens', () => {
    assert.deepEqual(briefs('if TYPE_CHECKING:\n\timport\ta\nx = 1;\tfrom\tb\timport\tc\n'), ['a@1:8-9 type', 'b[c]@2:12-13']);
  });

  it('gives the same result for bytes and for the decoded text, BOM and invalid bytes included', () => {
    const cases: number[][] = [
      [0xef, 0xbb, 0xbf, ...bytes('import a\n')],
      [...bytes('s = "'), 0xff, 0xc3, ...bytes('"; import b\n')],
      [...bytes('x = "\u00e9"; import c\n')],
      [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...bytes('import d\n')],
    ];
    for (const c of cases) {
      const b = new Uint8Array(c);
      assert.deepEqual(scanPythonBytes(b), scanPython(new TextDecoder().decode(b)));
      assert.equal(scanPythonBytes(b).imports.length, 1);
    }
  });
});

function bytes(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

describe('import scanner: suppression comments', () => {
  it("applies `# pymono: ignore` as 'all' and `ignore[...]` as codes to every record of the statement", () => {
    const src = [
      'import a, b  # pymono: ignore', 'from c import (  # noqa',
      '    d,  # pymono: ignore[PM001, pm003]', '    e,', ')', 'import f', 'import g; import h  # pymono:ignore[PM002]',
    ].join('\n');
    const got = scanPython(src).imports.map((r) => [r.module, r.suppressed]);
    assert.deepEqual(got, [['a', 'all'], ['b', 'all'], ['c', ['PM001', 'PM003']], ['f', undefined], ['g', ['PM002']], ['h', ['PM002']]]);
  });

  it('ignores suppression text in strings and comment lines of their own, and reports an empty code list', () => {
    const scan = scanPython([
      '# pymono: ignore', 'import a', 'import b  # pymono: ignore[]', 's = "# pymono: ignore"; import c',
      'import d  # pymono: ignored',
    ].join('\n'));
    assert.deepEqual(scan.imports.map((r) => r.suppressed), [undefined, undefined, undefined, undefined]);
    assert.deepEqual(scan.problems, [{ line: 2, message: "'# pymono: ignore[]' lists no rule codes" }]);
  });
});

describe('import scanner: syntax errors and odd code', () => {
  it('reports an unterminated string with its line and keeps scanning the next lines', () => {
    const scan = scanPython('s = "abc\nimport os\n');
    assert.deepEqual(scan.problems, [{ line: 0, message: 'unterminated string literal' }]);
    assert.deepEqual(scan.imports.map(brief), ['os@1:7-9']);
  });

  it('reports an unclosed bracket and recovers at the next line that can only start a statement', () => {
    const scan = scanPython('x = foo(\n    a,\n\nimport os\nfrom b import c\n');
    assert.deepEqual(scan.problems, [{ line: 0, message: "'(' was never closed" }]);
    assert.deepEqual(scan.imports.map(brief), ['os@3:7-9', 'b[c]@4:5-6']);
  });

  it('reports an unclosed from-import list and recovers at the next statement', () => {
    const scan = scanPython('from a import (b,\n    c\ndef f():\n    import d\n');
    assert.deepEqual(scan.problems, [{ line: 0, message: "'(' was never closed" }]);
    assert.deepEqual(scan.imports.map(brief), ['a[b,c]@0:5-6', 'd@3:11-12']);
  });

  it('resumes after an unterminated triple-quoted string at the line after it', () => {
    const scan = scanPython('import a\nx = """never closed\nimport b\n');
    assert.deepEqual(scan.problems, [{ line: 1, message: 'unterminated triple-quoted string literal' }]);
    assert.deepEqual(modules('import a\nx = """never closed\nimport b\n'), ['a', 'b']);
  });

  it('reports malformed import statements without throwing', () => {
    const scan = scanPython('import\nfrom x\nfrom import y\nimport a,\nimport b c\nimport ok\n');
    assert.deepEqual(scan.problems.map((p) => p.line), [0, 1, 2, 3, 4]);
    assert.deepEqual(modules('import\nfrom x\nimport ok\n'), ['ok']);
  });

  it('reports an unmatched closing bracket', () => {
    assert.deepEqual(scanPython('x = 1)\nimport a\n').problems, [{ line: 0, message: "unmatched ')'" }]);
  });

  it('scans Python 2 code without crashing', () => {
    const src = [
      'print "import x"', 'exec "import y"', 'try:', '    import json', 'except ImportError, e:',
      '    import simplejson as json', 'print >>sys.stderr, `e`', 'x = 0777L', 'raise E, "m"', 's = ur"import z"',
    ].join('\n');
    assert.deepEqual(scanPython(src).imports.map((r) => `${r.module}:${r.optional}`), ['json:true', 'simplejson:false']);
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    const alphabet = bytes('import from ( ) [ ] { } " \' """ \\ \n # : ; . , * f r b x TYPE_CHECKING try except é');
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(200 + (rnd() % 200));
      for (let j = 0; j < b.length; j++) b[j] = i % 2 === 0 ? alphabet[rnd() % alphabet.length] : rnd();
      const scan: FileScan = scanPythonBytes(b);
      assert.ok(Array.isArray(scan.imports));
      assert.deepEqual(scan, scanPython(new TextDecoder().decode(b)));
    }
  });
});

describe('notebook scanner', () => {
  const nb = (cells: unknown[]): string => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
  /** The JSON line index holding `needle` and the column of `needle` in it. */
  const at = (text: string, needle: string): [number, number] => {
    const lines = text.split('\n');
    const l = lines.findIndex((x) => x.includes(needle));
    return [l, lines[l].indexOf(needle)];
  };

  it('scans code cells, skips markdown cells and magics, and points ranges at the JSON source lines', () => {
    const text = nb([
      { cell_type: 'markdown', metadata: {}, source: ['import not_code\n'] },
      {
        cell_type: 'code', metadata: {}, outputs: [], execution_count: 1,
        source: ['%matplotlib inline\n', '!pip install x\n', 'import numpy as np\n', 'from pandas import (\n', '    DataFrame,\n', ')'],
      },
    ]);
    const scan = scanNotebook(text);
    assert.deepEqual(scan.problems, []);
    assert.deepEqual(scan.imports.map((r) => r.module), ['numpy', 'pandas']);
    const [l1, c1] = at(text, 'numpy as np');
    assert.deepEqual(scan.imports[0].range, { start: { line: l1, character: c1 }, end: { line: l1, character: c1 + 5 } });
    const [l2, c2] = at(text, 'DataFrame');
    assert.deepEqual(scan.imports[1].names?.[0].range.start, { line: l2, character: c2 });
  });

  it('maps columns through JSON escapes when a cell source is one string', () => {
    // The Python text is: x = "é\\"; import a⏎import b  (an escaped backslash before the closing quote).
    const text = String.raw`{"cells": [{"cell_type": "code", "source": "x = \"\u00e9\\\\\"; import a\nimport b"}]}`;
    const scan = scanNotebook(text);
    assert.deepEqual(scan.imports.map((r) => r.module), ['a', 'b']);
    assert.equal(scan.imports[0].range.start.character, text.indexOf('a\\n'));
    assert.equal(scan.imports[1].range.start.character, text.indexOf('b"}'));
  });

  it('skips cells under a non-Python cell magic but scans %%time cells', () => {
    const text = nb([
      { cell_type: 'code', source: ['%%bash\n', 'import not_python\n'] },
      { cell_type: 'code', source: ['%%time\n', 'import timed\n'] },
    ]);
    assert.deepEqual(scanNotebook(text).imports.map((r) => r.module), ['timed']);
  });

  it('keeps cells apart: an unclosed bracket in one cell does not swallow the next', () => {
    const text = nb([{ cell_type: 'code', source: ['x = foo(\n'] }, { cell_type: 'code', source: ['y = 1\n', 'import later\n'] }]);
    const scan = scanNotebook(text);
    assert.deepEqual(scan.imports.map((r) => r.module), ['later']);
    assert.deepEqual(scan.problems, [{ line: at(text, 'x = foo(')[0], message: "'(' was never closed" }]);
  });

  it('reports malformed JSON with its line instead of throwing', () => {
    const scan = scanNotebook('{\n "cells": [\n  {"cell_type": "code", "source": ["import a\\n"]\n ]\n}');
    assert.deepEqual(scan.imports, []);
    assert.equal(scan.problems.length, 1);
    assert.equal(scan.problems[0].line, 3);
    assert.match(scan.problems[0].message, /^invalid notebook JSON: expected ',' or '}'/);
  });

  it('reports a JSON document that is not a notebook, and a cell source of the wrong type', () => {
    assert.deepEqual(scanNotebook('[1, 2]').problems, [{ line: 0, message: 'a notebook must be a JSON object' }]);
    assert.deepEqual(scanNotebook('{"metadata": {}}').problems, [{ line: 0, message: 'the notebook has no "cells" list' }]);
    assert.deepEqual(scanNotebook('{"cells": [\n{"cell_type": "code", "source": 42}]}').problems, [
      { line: 1, message: 'a cell source must be a string or a list of strings' },
    ]);
  });

  it('reads nbformat 3 worksheets with `input` sources', () => {
    const text = JSON.stringify({ worksheets: [{ cells: [{ cell_type: 'code', input: ['import old_style\n'] }] }], nbformat: 3 });
    assert.deepEqual(scanNotebook(text).imports.map((r) => r.module), ['old_style']);
  });
});

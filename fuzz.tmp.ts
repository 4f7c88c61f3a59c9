import { scanPython, scanPythonBytes } from './server/src/core/importScanner';
import { scanNotebook } from './server/src/core/notebook';
const enc = new TextEncoder();
const time = (label: string, f: () => unknown) => { const t = performance.now(); const r = f() as { imports: unknown[]; problems: unknown[] }; console.log(label, (performance.now() - t).toFixed(0), 'ms', r.imports.length, r.problems.length); };
time('long line', () => scanPython('x = "é"; ' + 'import a; '.repeat(20000)));
time('parens', () => scanPython('('.repeat(200000)));
time('closers', () => scanPython(')'.repeat(200000)));
time('triple', () => scanPython('"""\n'.repeat(100001)));
time('fnest', () => scanPython('f"{'.repeat(5000)));
time('fnest2', () => scanPython('x = f"{f\'{f"{1}"}\'}"\n'.repeat(20000)));
time('dyn', () => scanPython('import_module(\n'.repeat(50000)));
time('bsl', () => scanPython('import \\\n'.repeat(50000)));
time('from-paren', () => scanPython('from a import (\n' + 'b,\n'.repeat(100000)));
time('comments', () => scanPython('import a  # pymono: ignore[' + 'PM001,'.repeat(10000) + ']\n'));
time('nb', () => scanNotebook(JSON.stringify({ cells: Array.from({ length: 2000 }, () => ({ cell_type: 'code', source: ['import a\n', 'x = "\\u00e9"\n', 'from b import c'] })) })));
time('nb deep', () => scanNotebook('['.repeat(100000)));
time('indent', () => scanPython(Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'try:').join('\n') + '\nimport x\n'));
time('excepts', () => scanPython('try:\n import a\n' + 'except ValueError:\n pass\n'.repeat(50000)));
// random mutation fuzz
let seed = 1;
const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
const base = 'import a.b as c, d\nfrom .x import (p,\n  q)  # pymono: ignore\nif TYPE_CHECKING:\n    import t\ntry:\n    import o\nexcept ImportError:\n    pass\ns = f"{x!r:>{w}}" + \'\'\'import z\'\'\'\nm = importlib.import_module("dyn")\n\tx = "日本🎉"; import u\n';
let n = 0;
for (let i = 0; i < 20000; i++) {
  const chars = [...base];
  for (let k = 0; k < 1 + Math.floor(rnd() * 5); k++) {
    const at = Math.floor(rnd() * chars.length);
    const op = rnd();
    if (op < 0.4) chars.splice(at, 1); else if (op < 0.8) chars.splice(at, 0, base[Math.floor(rnd() * base.length)]); else chars[at] = '\\';
  }
  const s = chars.join('');
  const a = scanPython(s); const b = scanPythonBytes(enc.encode(s));
  if (JSON.stringify(a) !== JSON.stringify(b) && !s.startsWith('\ufeff')) { console.log('MISMATCH', JSON.stringify(s)); break; }
  n += a.imports.length;
}
console.log('fuzz ok', n);

// Bundles the end-to-end suite for the extension host: test/e2e/suite/index.ts (the runner, exports run()) and
// every test/e2e/suite/*.test.ts become CommonJS files in out/e2e/suite/. `vscode` is provided by the extension
// host and `mocha` stays external: it is resolved at run time from the project's node_modules (devDependency),
// which is why the suite must run with the repository as extensionDevelopmentPath.
// Usage: node test/e2e/build-suite.mjs   (from anywhere)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const suiteDir = path.join(here, 'suite');
const outdir = path.join(root, 'out', 'e2e', 'suite');
const tests = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort();
if (tests.length === 0) {
  console.error(`build-suite: no *.test.ts in ${suiteDir}`);
  process.exit(1);
}
fs.rmSync(outdir, { recursive: true, force: true });   // no stale *.test.js from a deleted test file
await esbuild.build({
  entryPoints: ['index.ts', ...tests].map((f) => path.join(suiteDir, f)),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',   // stack traces in the extension host point at the .ts lines
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`build-suite: ${tests.length} test file(s) -> ${path.relative(root, outdir)}/`);

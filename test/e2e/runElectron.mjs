#!/usr/bin/env node
// The same end-to-end suite (out/e2e/suite/index.js) under @vscode/test-electron: a desktop VS Code (Electron)
// downloaded on first use into .vscode-test/ (git-ignored). For machines with internet; the offline harness is
// run-vscode-tests.sh. On a Linux machine without a display run it under `xvfb-run -a`.
// Usage: npm run test:e2e:electron
//   VSCODE_VERSION=1.139.1   version to download (default: stable)
//   VSCODE_EXECUTABLE=path   use an installed VS Code instead of downloading one
//   E2E_SKIP_BUILD=1         use the existing dist/ and out/e2e/
//   E2E_GREP=regex           only tests whose title matches
// Screenshots are not taken here (no driver holds the window); the suite skips them when PYMONO_E2E_SNAP_DIR is unset.
// Output: VS Code's own output (mocha's spec report), then `N passed, N failed`. Exit code 0 pass, 1 fail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (process.env.E2E_SKIP_BUILD !== '1') {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['test/e2e/build-suite.mjs'], { cwd: root, stdio: 'inherit' });
}

// Tests edit files: they get a throw-away copy of the example monorepo.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-e2e-electron-'));
const workspace = path.join(tmp, 'monorepo');
fs.cpSync(path.join(root, 'examples', 'monorepo'), workspace, { recursive: true });
const resultsFile = path.join(tmp, 'results.json');

let code = 1;
try {
  await runTests({
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION || 'stable' }),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'e2e', 'suite', 'index.js'),
    // Only the extension under test: a developer's installed extensions must not change the result.
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { PYMONO_E2E_RESULTS: resultsFile, ...(process.env.E2E_GREP ? { PYMONO_E2E_GREP: process.env.E2E_GREP } : {}) },
  });
  code = 0;
} catch (err) {
  console.error(`[e2e electron] ${err instanceof Error ? err.message : String(err)}`);
}
let results = null;
try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the runner never started */ }
const passed = results?.passed ?? 0;
const failed = (results?.failed ?? 0) + (results?.done ? 0 : 1);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);

/**
 * Test runner module loaded by the VS Code extension host (the `extensionTestsPath` of a test run).
 *
 * Runner-agnostic: both harnesses call `run()` and read its promise.
 *  - test/e2e/run-ext-tests.mjs (code-server + Chromium, offline): the workbench turns the settled promise into
 *    `codeAutomationExit(code)`; this module also writes a results file the driver reads, because the remote
 *    extension host's console is not the driver's stdout.
 *  - test/e2e/runElectron.mjs (@vscode/test-electron, desktop with internet): `runTests` awaits the same promise.
 *
 * Environment (all optional, set by the drivers):
 *  - PYMONO_E2E_RESULTS: path of a JSON file `{ passed, failed, pending, done }`, rewritten after every test so a
 *    driver that has to give up on a hung workbench can still report how far the suite got.
 *  - PYMONO_E2E_GREP: only run tests whose full title matches this regular expression.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Counts written to PYMONO_E2E_RESULTS; `done` is false while the suite is still running. */
export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  done: boolean;
}

function writeResults(results: SuiteResults): void {
  const file = process.env.PYMONO_E2E_RESULTS;
  if (!file) return;
  try {
    fs.writeFileSync(file, JSON.stringify(results));
  } catch (err: unknown) {
    console.error(`[pymono e2e] cannot write results to ${file}: ${String(err)}`);
  }
}

/**
 * Runs every `*.test.js` file next to this module (out/e2e/suite/) with mocha's BDD interface and the spec
 * reporter. Resolves when all tests pass; rejects with `Error("N of M tests failed")` otherwise, which both
 * harnesses turn into a non-zero exit code. Per-test timeouts are set by the tests themselves (each waits for a
 * condition with its own bound); the 120 s default only catches a test that forgot one.
 */
export function run(): Promise<void> {
  console.log(
    `[pymono e2e] extension host pid ${process.pid}, node ${process.version}, VS Code ${vscode.version} ` +
      `(${vscode.env.appName}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, remote ${vscode.env.remoteName ?? 'none'})`,
  );
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 120_000 });
  const grep = process.env.PYMONO_E2E_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${__dirname}`));

  const results: SuiteResults = { passed: 0, failed: 0, pending: 0, done: false };
  writeResults(results);
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        results.done = true;
        writeResults(results);
        if (failures > 0) reject(new Error(`${failures} of ${results.passed + results.failed} tests failed`));
        else resolve();
      });
      runner.on('pass', () => {
        results.passed++;
        writeResults(results);
      });
      // 'fail' also fires for failing hooks, which count as failures just like mocha's own exit code does.
      runner.on('fail', () => {
        results.failed++;
        writeResults(results);
      });
      runner.on('pending', () => {
        results.pending++;
        writeResults(results);
      });
    } catch (err: unknown) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

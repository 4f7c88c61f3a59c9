#!/usr/bin/env node
// Driver of pymono's end-to-end tier: runs the mocha suite (out/e2e/suite/index.js) INSIDE the real Node extension
// host of code-server (VS Code 1.139 server + web workbench), with headless Debian Chromium as the window, offline.
// Adapted from ../shared/e2e/run-ext-tests.mjs (the proven harness); usually started by run-vscode-tests.sh.
//
// How: code-server runs with `--vscode-option enable-smoke-test-driver`, which makes the built workbench honour
// `?payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]]` (the mechanism of "Extension Development
// Host" windows; code-server's CLI rejects --extensionDevelopmentPath). The extension under test then runs in the
// server-side extension host, forks dist/server.js over IPC as in production, and when the runner's run() settles
// the workbench calls window.codeAutomationExit(code), which Playwright exposes to us.
//
// Env (run-vscode-tests.sh sets the required ones):
//   CODE_SERVER      code-server entry (<prefix>/lib/node_modules/code-server/out/node/entry.js)       [required]
//   CS_NODE          Node 24 binary that runs code-server                                              [required]
//   EXT_DEV_PATH     the extension folder (package.json, dist/client.js, dist/server.js, node_modules) [required]
//   EXT_TESTS        compiled runner module exporting run() (out/e2e/suite/index.js)                    [required]
//   WORKSPACE_SRC    folder COPIED to a temp dir and opened (tests edit files)                           [required]
//   TOOLS            install-e2e-tools.sh folder, to find playwright-core
//   CHROMIUM         default /usr/bin/chromium
//   E2E_TIMEOUT_MS   overall limit, default 600000; on expiry everything is killed and the exit code is 124
//   SCREENSHOTS_OUT  where the suite's screenshots go after a passing run (default EXT_DEV_PATH/docs/images)
//   FAILED_SCREENSHOTS  where they go after a failing run (default EXT_DEV_PATH/test/e2e/.screens-tmp)
//   E2E_GREP         only tests whose title matches (passed to the suite as PYMONO_E2E_GREP)
//   SHOW_SERVER_LOG=1, SHOW_ALL_WB_LOG=1, SHOW_BROWSER_CONSOLE=1, KEEP_TMP=1   debugging
// Output: the extension host's console (mocha's spec report) as it happens, then a line `N passed, N failed`.
// Exit code: 0 all passed; 1 a test failed or the suite could not run; 2 bad setup; 124 timeout; 130/143 signal.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';

const t0 = Date.now();
const log = (...a) => console.log(`[driver +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const die = (msg) => { console.error(`[driver] ${msg}`); console.log('0 passed, 1 failed'); process.exit(2); };
const need = (k) => process.env[k] || die(`missing env ${k} (start me through test/e2e/run-vscode-tests.sh)`);

// ---- inputs and preflight: fail in a second with a clear message rather than after a minute in the workbench
let chromium;
try { ({ chromium } = createRequire(import.meta.url)('playwright-core')); } catch {
  try { ({ chromium } = createRequire(path.join(process.env.TOOLS || '.e2e-tools', 'driver', 'noop.js'))('playwright-core')); }
  catch { die('playwright-core not found: run `bash test/e2e/install-e2e-tools.sh` (or set TOOLS)'); }
}
const CODE_SERVER = need('CODE_SERVER'), CS_NODE = need('CS_NODE');
const EXT_DEV_PATH = path.resolve(need('EXT_DEV_PATH')), EXT_TESTS = path.resolve(need('EXT_TESTS'));
const WORKSPACE_SRC = path.resolve(need('WORKSPACE_SRC'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 600000);
const SCREENSHOTS_OUT = path.resolve(process.env.SCREENSHOTS_OUT || path.join(EXT_DEV_PATH, 'docs', 'images'));
const FAILED_SCREENSHOTS = path.resolve(process.env.FAILED_SCREENSHOTS || path.join(EXT_DEV_PATH, 'test', 'e2e', '.screens-tmp'));
const KEEP = process.env.KEEP_TMP === '1';
for (const [what, p] of [['code-server', CODE_SERVER], ['Node 24', CS_NODE], ['chromium', CHROMIUM], ['the suite runner', EXT_TESTS],
  ['the workspace to copy', WORKSPACE_SRC], ['the extension client', path.join(EXT_DEV_PATH, 'dist', 'client.js')],
  ['the language server', path.join(EXT_DEV_PATH, 'dist', 'server.js')]]) {
  if (!fs.existsSync(p)) die(`${what} not found at ${p}`);
}
// The extension host requires the runner, and the runner requires mocha: it must resolve from the suite's folder.
try { createRequire(EXT_TESTS).resolve('mocha'); }
catch { die(`mocha is not resolvable from ${path.dirname(EXT_TESTS)}: run \`npm ci\` in ${EXT_DEV_PATH}`); }

// ---- throw-away state: user data, extensions, XDG dirs, browser profile, screenshot exchange, workspace copy
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-e2e-'));
const dirs = Object.fromEntries(['ud', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache', 'chrome', 'snap', 'ws']
  .map((d) => [d, path.join(tmp, d)]));
Object.values(dirs).forEach((d) => fs.mkdirSync(d, { recursive: true }));
const WORKSPACE = path.join(dirs.ws, path.basename(WORKSPACE_SRC));
fs.cpSync(WORKSPACE_SRC, WORKSPACE, { recursive: true, filter: (src) => !/(^|\/)(__pycache__|\.mypy_cache|\.pytest_cache)$/.test(src) });
fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
fs.writeFileSync(path.join(dirs.ud, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  // Screenshots: no minimap, and no occurrence boxes hiding the squiggle under the word at the cursor.
  'editor.minimap.enabled': false,
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
}, null, 2));
fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
const resultsFile = path.join(tmp, 'results.json');

// Environment of the extension host: inherited from the server process, and repeated in the payload.
const extEnv = { PYMONO_E2E_RESULTS: resultsFile, PYMONO_E2E_SNAP_DIR: dirs.snap,
  ...(process.env.E2E_GREP ? { PYMONO_E2E_GREP: process.env.E2E_GREP } : {}) };

// ---- the end, reached exactly once whatever happens: close the browser, kill code-server's process group
let server, context, serverOut = '', ending = false;
async function finish(code, reason) {
  if (ending) return; ending = true;
  clearTimeout(hardTimer);
  if (reason) log(reason);
  // Counts: from the suite's results file (rewritten after every test); a run that did not complete is one more failure.
  let r = null;
  try { r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the runner never started */ }
  if (!r) log('the suite wrote no results (runner never started: see the log above)');
  const passed = r?.passed ?? 0, failed = (r?.failed ?? 0) + (r?.done ? 0 : 1);
  const exitCode = code !== 0 ? code : (failed > 0 ? 1 : 0);
  const pngs = fs.readdirSync(dirs.snap).filter((f) => f.endsWith('.png'));
  if (pngs.length) {
    const dest = exitCode === 0 ? SCREENSHOTS_OUT : FAILED_SCREENSHOTS;
    fs.mkdirSync(dest, { recursive: true });
    for (const f of pngs) fs.copyFileSync(path.join(dirs.snap, f), path.join(dest, f));
    log(`screenshots (${pngs.join(', ')}) -> ${dest}`);
  }
  await Promise.race([context?.close().catch(() => {}), new Promise((res) => setTimeout(res, 10000))]);
  if (server?.pid) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    await Promise.race([new Promise((res) => (server.exitCode !== null ? res() : server.once('exit', res))),
      new Promise((res) => setTimeout(res, 3000))]);
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true }); else log('kept', tmp);
  console.log(`${passed} passed, ${failed} failed${r?.pending ? `, ${r.pending} skipped` : ''}`);
  log(`exit ${exitCode}`);
  process.exit(exitCode);
}
const hardTimer = setTimeout(() => finish(124, `TIMEOUT: the run did not finish within ${TIMEOUT} ms; killing the workbench`), TIMEOUT);
process.on('SIGINT', () => finish(130, 'interrupted (SIGINT)'));
process.on('SIGTERM', () => finish(143, 'terminated (SIGTERM)'));

// ---- code-server on a free port (bind :0, read the port from its log), in its own process group
const NOISE = /Resolving connection token|Resolved connection token|Creating a socket|grace time|builtin extensions cache|Service Worker|AgentHost|AccountPolicyGate|ENOTFOUND|Failed to load resource|gallery as it is disabled|authentication provider 'github'/;
server = spawn(CS_NODE, [CODE_SERVER, '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', '127.0.0.1:0',
  '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
  '--vscode-option', 'enable-smoke-test-driver'], {
  env: { ...process.env, ...extEnv, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'], XDG_CACHE_HOME: dirs['xdg-cache'],
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}',   // no marketplace: open-vsx.org is unreachable
    PATH: `${path.dirname(CS_NODE)}:${process.env.PATH}` },
  stdio: ['ignore', 'pipe', 'pipe'], detached: true,
});
let serverExited;
const serverGone = new Promise((res) => { serverExited = res; });
server.on('exit', (c, s) => serverExited(`code-server exited (${s ?? c}); log tail:\n${serverOut.slice(-3000)}`));
const onServerData = (b) => {
  serverOut += b;
  if (serverOut.length > 200000) serverOut = serverOut.slice(-100000);
  if (process.env.SHOW_SERVER_LOG === '1') process.stderr.write(`[cs] ${b}`);
};
server.stdout.on('data', onServerData); server.stderr.on('data', onServerData);
const port = await Promise.race([
  new Promise((res) => {
    const check = () => { const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(serverOut); if (m) res(Number(m[1])); };
    server.stdout.on('data', check); server.stderr.on('data', check);
  }),
  serverGone.then((why) => finish(1, why)),
  new Promise((res) => setTimeout(res, 60000)).then(() => finish(1, `code-server did not listen within 60 s:\n${serverOut.slice(-3000)}`)),
]);
log(`code-server (pid ${server.pid}) on 127.0.0.1:${port}, workspace copy ${WORKSPACE}`);

try {
  context = await chromium.launchPersistentContext(dirs.chrome, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 850 },
    env: { ...process.env, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: dirs['xdg-cache'] },   // keep ~ clean
    // As root Chromium needs --no-sandbox; the rest stops it from flooding the closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (process.env.SHOW_BROWSER_CONSOLE === '1') console.log('[browser console]', m.text()); });
  let resolveDone;
  const done = new Promise((res) => { resolveDone = res; });
  page.on('crash', () => resolveDone({ code: 1, reason: 'the browser page crashed' }));
  context.on('close', () => resolveDone({ code: 1, reason: 'the browser closed' }));
  // The workbench calls codeAutomationExit(code) once the extension host's run() has settled.
  await page.exposeFunction('codeAutomationExit', (code) => resolveDone({ code: typeof code === 'number' ? code : 1 }));
  // Every workbench log line arrives here, including the extension host's console (mocha's spec reporter).
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const msg = util.format(...(Array.isArray(args) ? args : [args]));
    if (process.env.SHOW_ALL_WB_LOG !== '1' && NOISE.test(msg)) return;
    console.log(type === 'log' || type === 'info' ? msg : `[wb ${type}] ${msg}`);
  });
  // The payload URIs' authority must match the workbench's remote authority, i.e. the address the browser used.
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(EXT_DEV_PATH)], ['extensionTestsPath', remote(EXT_TESTS)],
    ['extensionEnvironment', JSON.stringify(extEnv)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  log('workbench opened; the suite runs in the extension host');

  // Screenshot service: the suite writes NAME.request (JSON: waitForText, within, waitForSelector, timeoutMs); we
  // wait until that text and element are visible, let two frames render, and answer with NAME.png, or NAME.error carrying the reason.
  const queue = [];
  let busy = false;
  const serve = async () => {
    if (busy) return; busy = true;
    try {
      for (const f of fs.readdirSync(dirs.snap)) if (f.endsWith('.request') && !queue.includes(f)) queue.push(f);
      while (queue.length) {
        const f = queue.shift(), name = f.slice(0, -'.request'.length), file = path.join(dirs.snap, f);
        let req = {};
        try { req = JSON.parse(fs.readFileSync(file, 'utf8') || '{}'); } catch { /* empty request = no condition */ }
        fs.rmSync(file, { force: true });
        try {
          if (req.waitForText) {
            await page.locator(req.within || 'body').getByText(req.waitForText).first()
              .waitFor({ state: 'visible', timeout: req.timeoutMs || 20000 });
          }
          if (req.waitForSelector) {
            await page.locator(req.waitForSelector).first().waitFor({ state: 'visible', timeout: req.timeoutMs || 20000 });
          }
          await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
          const tmpPng = path.join(dirs.snap, `.${name}.tmp.png`);
          await page.screenshot({ path: tmpPng });
          fs.renameSync(tmpPng, path.join(dirs.snap, `${name}.png`));
          log(`screenshot ${name}.png`);
        } catch (e) {
          // Keep what the page looked like instead (NAME-failed.png lands in FAILED_SCREENSHOTS with the run).
          await page.screenshot({ path: path.join(dirs.snap, `${name}-failed.png`) }).catch(() => {});
          fs.writeFileSync(path.join(dirs.snap, `${name}.error`), String(e?.message || e));
          log(`screenshot ${name} failed: ${e?.message || e}`);
        }
      }
    } finally { busy = false; }
  };
  const snapWatcher = fs.watch(dirs.snap, (_ev, f) => { if (f && f.endsWith('.request')) void serve(); });

  const outcome = await Promise.race([done, serverGone.then((why) => ({ code: 1, reason: why }))]);
  snapWatcher.close();
  if (!ending) log(`extension host test runner finished with code ${outcome.code}`);
  await finish(outcome.code === 0 ? 0 : 1, outcome.reason);
} catch (e) {
  await finish(1, `driver error: ${e?.stack || e}\ncode-server log tail:\n${serverOut.slice(-3000)}`);
}

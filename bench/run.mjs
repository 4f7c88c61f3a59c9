#!/usr/bin/env node
// pymono benchmarks: prints figures (a table, then one JSON line); never asserts. Needs a build (`npm run bench`
// builds first). Generates the synthetic monorepo when missing (bench/generate.mjs, deterministic).
//
//   node bench/run.mjs [--packages 2000] [--files 25] [--out DIR] [--edits 200] [--manifest-edits 6]
//                      [--skip-server] [--regenerate]
//
// Measures: cold `pymono check --format json` (a fresh process: wall ms, files/s, peak RSS via `/usr/bin/time -v`
// or a process.resourceUsage() preload), `pymono affected` with 100 changed files, and the language server over
// stdio: time to the first `pymono/status` ready, one-file re-check latency (didChange -> publishDiagnostics of
// that file at that version, debounce set to 0 through workspace/configuration), manifest edit -> `ready` after
// refreshed diagnostics, and the server's VmRSS/VmHWM from /proc/<pid>/status.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, parseFlags } from './generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = parseFlags(process.argv.slice(2).flatMap((a) => (['--skip-server', '--regenerate'].includes(a) ? [a, 'true'] : [a])));
const P = Number(flags.packages ?? 2000);
const F = Number(flags.files ?? 25);
const EDITS = Number(flags.edits ?? 200);
const MANIFEST_EDITS = Number(flags['manifest-edits'] ?? 6);
const out = path.resolve(flags.out ?? path.join(repo, 'bench', '.generated', `mono-${P}x${F}`));
const cli = path.join(repo, 'dist', 'cli.js');
const serverJs = path.join(repo, 'dist', 'server.js');
const TARGETS = { checkMs: 3000, recheckP95Ms: 10, manifestMs: 500, serverRssMb: 300 };

for (const f of [cli, serverJs]) if (!fs.existsSync(f)) throw new Error(`${path.relative(repo, f)} is missing: run npm run build first`);

// ---- the monorepo --------------------------------------------------------------------------------------------
const metaFile = path.join(out, '.bench-meta.json');
let meta = fs.existsSync(metaFile) ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) : undefined;
if (!meta || meta.packages !== P || meta.filesPerPackage !== F || meta.seed !== 1 || flags.regenerate) {
  const t0 = performance.now();
  meta = generate({ packages: P, files: F, out, seed: 1 });
  log(`generated ${meta.files} files (${(meta.bytes / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - t0)} ms`);
}
const pyFiles = listPython(out);

function log(m) {
  process.stderr.write(`bench: ${m}\n`);
}

function listPython(dir) {
  const files = [];
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.py')) files.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return files.sort();
}

// ---- CLI runs ------------------------------------------------------------------------------------------------
const RSS_PRELOAD = `process.on('exit', () => { try { require('fs').writeSync(2, '\\nPYMONO_BENCH_MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`;

/** Runs `node dist/cli.js ...args` in a fresh process: { code, ms, stdout, stderr, peakRssMb }. */
function runCli(args) {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  let cmd;
  let argv;
  if (timeBin) {
    cmd = timeBin;
    argv = ['-v', process.execPath, cli, ...args];
  } else {
    const preload = path.join(os.tmpdir(), `pymono-bench-rss-${process.pid}.cjs`);
    fs.writeFileSync(preload, RSS_PRELOAD);
    cmd = process.execPath;
    argv = ['-r', preload, cli, ...args];
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const so = [];
    const se = [];
    child.stdout.on('data', (d) => so.push(d));
    child.stderr.on('data', (d) => se.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const stderr = Buffer.concat(se).toString('utf8');
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /PYMONO_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ code, ms, stdout: Buffer.concat(so).toString('utf8'), stderr, peakRssMb: m ? Number(m[1]) / 1024 : undefined });
    });
  });
}

// ---- a minimal LSP client over stdio -------------------------------------------------------------------------
class LspClient {
  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!m) throw new Error('LSP message without Content-Length');
      const start = headerEnd + 4;
      const end = start + Number(m[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(start, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end);
      this.dispatch(msg, performance.now());
    }
  }

  dispatch(msg, at) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
      else p?.resolve(msg.result);
    } else if (msg.id !== undefined) {
      // server -> client request: answer what a bare editor would, with the debounce off for exact latencies.
      const result = msg.method === 'workspace/configuration'
        ? msg.params.items.map(() => ({ diagnostics: { debounceMs: 0 } }))
        : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    } else {
      for (const l of [...this.listeners]) l(msg, at);
    }
  }

  send(msg) {
    const body = JSON.stringify(msg);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the arrival time (performance.now) of the first notification matching `pred`. */
  waitFor(pred, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener = (msg, at) => {
        if (!pred(msg)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(at);
      };
      this.listeners.add(listener);
    });
  }
}

function procStatusMb(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Chooses the file to edit: the `__init__.py` of the first uv-style service (it imports every dependency). */
function pickEditTarget() {
  return pyFiles.find((f) => /[\\/]services[\\/]svc-\d+[\\/]svc_\d+[\\/]__init__\.py$/.test(f)) ?? pyFiles[0];
}

/** Chooses a library pyproject with a third-party dependency line that the edit can drop and restore. */
function pickManifestTarget() {
  const libs = fs.readdirSync(path.join(out, 'libs')).sort();
  for (const lib of libs) {
    const file = path.join(out, 'libs', lib, 'pyproject.toml');
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const line = /^ {4}"(requests|pydantic|numpy|httpx|click|pyyaml)>=[^"]*",\n/m.exec(text);
    if (line) return { file, text, edited: text.replace(line[0], '') };
  }
  return undefined;
}

async function benchServer() {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', () => undefined);
  const client = new LspClient(child);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const result = {};
  try {
    const t0 = performance.now();
    const ready = client.waitFor((m) => m.method === 'pymono/status' && m.params.state === 'ready', 600_000, 'initial ready');
    const rootUri = pathToFileURL(out).href;
    await client.request('initialize', {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'mono' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } } },
    });
    client.notify('initialized', {});
    result.loadMs = (await ready) - t0;
    const afterLoad = procStatusMb(child.pid);
    result.rssAfterLoadMb = afterLoad.rss;
    result.hwmAfterLoadMb = afterLoad.hwm;
    log(`server ready in ${Math.round(result.loadMs)} ms, VmRSS ${afterLoad.rss.toFixed(0)} MB`);

    // One-file re-check: alternate an undeclared import and a comment, so the findings really change.
    const file = pickEditTarget();
    const uri = pathToFileURL(file).href;
    const original = fs.readFileSync(file, 'utf8');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: original } });
    const lat = [];
    for (let k = 1; k <= EDITS; k++) {
      const version = k + 1;
      const text = k % 2 === 1 ? `${original}\nimport lxml  # bench edit ${k}\n` : `${original}\n# bench edit ${k}\n`;
      const got = client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version, 30_000, `diagnostics v${version}`);
      const sent = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      lat.push((await got) - sent);
    }
    result.recheck = { edits: EDITS, file: path.relative(out, file), p50: percentile(lat, 50), p95: percentile(lat, 95), max: Math.max(...lat) };

    // Manifest edit: drop a third-party requirement of a library (its importing files gain findings), then restore.
    const target = pickManifestTarget();
    if (target) {
      const muri = pathToFileURL(target.file).href;
      client.notify('textDocument/didOpen', { textDocument: { uri: muri, languageId: 'toml', version: 1, text: target.text } });
      const mlat = [];
      for (let k = 1; k <= MANIFEST_EDITS; k++) {
        const got = client.waitFor((m) => m.method === 'pymono/status' && m.params.state === 'ready', 120_000, 'ready after manifest edit');
        const sent = performance.now();
        client.notify('textDocument/didChange', { textDocument: { uri: muri, version: k + 1 }, contentChanges: [{ text: k % 2 === 1 ? target.edited : target.text }] });
        mlat.push((await got) - sent);
      }
      result.manifest = { edits: MANIFEST_EDITS, file: path.relative(out, target.file), p50: percentile(mlat, 50), max: Math.max(...mlat) };
    }
    const end = procStatusMb(child.pid);
    result.rssEndMb = end.rss;
    result.hwmEndMb = end.hwm;
    await client.request('shutdown', null);
    client.notify('exit', null);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
  } finally {
    if (child.exitCode === null) child.kill();
  }
  return result;
}

// ---- run everything and print --------------------------------------------------------------------------------
const figures = { packages: meta.packages, files: pyFiles.length, root: out, node: process.version, cpus: os.availableParallelism() };

log('cold check ...');
const check = await runCli(['check', out, '--format', 'json']);
if (check.code !== 0 && check.code !== 1) throw new Error(`check exited ${check.code}: ${check.stderr.slice(0, 2000)}`);
const findings = JSON.parse(check.stdout).findings;
const byCode = {};
for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
figures.check = { ms: check.ms, filesPerSec: pyFiles.length / (check.ms / 1000), peakRssMb: check.peakRssMb, findings: findings.length, byCode };

log('affected with 100 files ...');
const step = Math.max(1, Math.floor(pyFiles.length / 100));
const changed = pyFiles.filter((_, i) => i % step === 0).slice(0, 100);
const aff = await runCli(['affected', out, '--format', 'json', '--files', ...changed]);
if (aff.code !== 0) throw new Error(`affected exited ${aff.code}: ${aff.stderr.slice(0, 2000)}`);
const affDoc = JSON.parse(aff.stdout);
figures.affected = { ms: aff.ms, changedFiles: changed.length, affectedPackages: affDoc.affectedPackages.length, services: affDoc.services.length, peakRssMb: aff.peakRssMb };

if (!flags['skip-server']) {
  log('language server ...');
  figures.server = await benchServer();
}

const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
const verdict = (value, target) => (value === undefined || Number.isNaN(value) ? '' : value <= target ? 'ok' : 'OVER');
const rows = [
  ['cold check, wall', `${fmt(figures.check.ms)} ms`, `<= ${TARGETS.checkMs} ms`, verdict(figures.check.ms, TARGETS.checkMs)],
  ['  files/s', fmt(figures.check.filesPerSec), '', ''],
  ['  peak RSS', `${fmt(figures.check.peakRssMb)} MB`, '', ''],
  ['  findings', `${figures.check.findings} ${JSON.stringify(byCode)}`, '', ''],
  ['affected (100 files), wall', `${fmt(figures.affected.ms)} ms`, '', ''],
  ['  affected packages / services', `${figures.affected.affectedPackages} / ${figures.affected.services}`, '', ''],
];
const s = figures.server;
if (s) {
  rows.push(
    ['server: first ready', `${fmt(s.loadMs)} ms`, '', ''],
    [`one-file re-check p50 / p95 (${s.recheck.edits} edits)`, `${fmt(s.recheck.p50, 1)} / ${fmt(s.recheck.p95, 1)} ms`, `p95 <= ${TARGETS.recheckP95Ms} ms`, verdict(s.recheck.p95, TARGETS.recheckP95Ms)],
    ...(s.manifest ? [[`manifest edit -> ready p50 / max (${s.manifest.edits})`, `${fmt(s.manifest.p50)} / ${fmt(s.manifest.max)} ms`, `<= ${TARGETS.manifestMs} ms`, verdict(s.manifest.max, TARGETS.manifestMs)]] : []),
    ['server VmRSS / VmHWM after load', `${fmt(s.rssAfterLoadMb)} / ${fmt(s.hwmAfterLoadMb)} MB`, `<= ${TARGETS.serverRssMb} MB`, verdict(s.rssAfterLoadMb, TARGETS.serverRssMb)],
    ['server VmRSS / VmHWM at end', `${fmt(s.rssEndMb)} / ${fmt(s.hwmEndMb)} MB`, '', ''],
  );
}
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`pymono bench: ${figures.packages} packages, ${figures.files} Python files (${path.relative(process.cwd(), out) || '.'}), node ${process.version}, ${figures.cpus} CPUs`);
for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`.trimEnd());
console.log(JSON.stringify({ targets: TARGETS, ...figures }, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v)));

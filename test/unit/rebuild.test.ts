/**
 * Running builds for real: the child-process runner (parallelism limit, failures, unstartable programs,
 * cancellation of a whole process group) and `pymono rebuild` / `pymono affected` on a real git repository whose
 * services' Makefiles leave artifacts proving which builds ran.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { runBuilds } from '../../server/src/host/buildRunner';
import type { BuildJob, BuildOutputLine } from '../../server/src/core/builds/rebuildRunner';
import { registerAffectedGit, runRebuild, type CliIo } from '../../server/src/cliRebuild';
import { writeTree } from './helpers/tree';
import { git } from './helpers/git';


/** A Makefile whose default target records that the build ran (in ROOT/out) and optionally fails. */
const makefile = (name: string, exit = 0): string =>
  `all:\n\tmkdir -p ../../out\n\ttouch ../../out/built-${name}\n\t@echo building ${name}\n\t@echo warning from ${name} >&2\n${exit ? `\t@exit ${exit}\n` : ''}`;

const MONO: Record<string, string> = {
  '.gitignore': 'out/\n',
  'pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*", "services/*"]\n\n[tool.uv.sources]\nacme-core = { workspace = true }\n\n[tool.pymono]\nservices = ["services/*"]\nlibraries = ["libs/*"]\n',
  'libs/core/pyproject.toml': '[project]\nname = "acme-core"\nversion = "1"\n',
  'libs/core/acme_core/__init__.py': 'VALUE = 1\n',
  'services/alpha/pyproject.toml': '[project]\nname = "alpha"\nversion = "1"\ndependencies = ["acme-core"]\n',
  'services/alpha/alpha/__init__.py': 'import acme_core\n',
  'services/alpha/Makefile': makefile('alpha', 3),
  'services/beta/pyproject.toml': '[project]\nname = "beta"\nversion = "1"\ndependencies = ["acme-core"]\n',
  'services/beta/beta/__init__.py': 'import acme_core\n',
  'services/beta/Makefile': makefile('beta'),
  'services/gamma/pyproject.toml': '[project]\nname = "gamma"\nversion = "1"\n',
  'services/gamma/gamma/__init__.py': 'X = 1\n',
  'services/gamma/Makefile': makefile('gamma'),
};

/** The monorepo on main, plus a `feature` branch that changes the shared library. */
function featureRepo(): string {
  const root = writeTree(MONO);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  git(root, 'checkout', '-q', '-b', 'feature');
  fs.writeFileSync(path.join(root, 'libs/core/acme_core/__init__.py'), 'VALUE = 2\n');
  git(root, 'commit', '-q', '-am', 'change core');
  return root;
}

function captureIo(cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', cwd, out: (t: string): void => void (io.stdout += t), err: (t: string): void => void (io.stderr += t) };
  return io;
}

const built = (root: string): string[] => (fs.existsSync(path.join(root, 'out')) ? fs.readdirSync(path.join(root, 'out')).sort() : []);

/** True once `pid` is gone or a zombie (Linux /proc), polling until `deadline`. */
async function processGone(pid: number, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    let alive = true;
    try {
      process.kill(pid, 0);
      const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      if (/^\d+ \(.*\) Z/.test(stat)) alive = false;
    } catch {
      alive = false;
    }
    if (!alive) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setImmediate(r));
  }
}

describe('build runner', () => {
  it('never runs more builds at once than the jobs limit, and runs them all', async () => {
    const out = writeTree({ 'keep.txt': '' });
    const stamp = (file: string): string => `node -e "require('fs').writeFileSync(process.argv[1], String(Date.now()))" ${file}`;
    const jobs: BuildJob[] = [1, 2, 3, 4, 5].map((i) => ({
      service: `s${i}`,
      command: `${stamp(`start-${i}`)} && node -e "setTimeout(() => {}, 150)" && ${stamp(`end-${i}`)}`,
      cwd: out,
    }));
    const results = await runBuilds(jobs, { jobs: 2 });
    assert.deepEqual(results.map((r) => [r.service, r.ok]), [['s1', true], ['s2', true], ['s3', true], ['s4', true], ['s5', true]]);
    const spans = [1, 2, 3, 4, 5].map((i) => ({
      start: Number(fs.readFileSync(path.join(out, `start-${i}`), 'utf8')),
      end: Number(fs.readFileSync(path.join(out, `end-${i}`), 'utf8')),
    }));
    const maxOverlap = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));
    assert.ok(maxOverlap <= 2, `at most 2 builds at once, saw ${maxOverlap}`);
  });

  it('keeps going after a failure and an unstartable program, streaming lines per service', async () => {
    const dir = writeTree({ 'keep.txt': '' });
    const lines: BuildOutputLine[] = [];
    const results = await runBuilds([
      { service: 'bad', command: 'echo partial; echo oops >&2; exit 4', cwd: dir },
      { service: 'missing', command: 'no-such-program-pymono', argv: ['no-such-program-pymono', '--x'], cwd: dir },
      { service: 'good', command: 'printf "one\\r\\ntwo"; touch done', cwd: dir },
    ], { jobs: 1, onLine: (l) => lines.push(l) });
    assert.deepEqual(results.map((r) => [r.service, r.ok, r.exitCode]), [['bad', false, 4], ['missing', false, null], ['good', true, 0]]);
    assert.match(results[1].error ?? '', /could not start 'no-such-program-pymono'.*ENOENT/);
    assert.ok(fs.existsSync(path.join(dir, 'done')));
    assert.deepEqual(lines.map((l) => `${l.service}/${l.stream}: ${l.text}`), ['bad/stdout: partial', 'bad/stderr: oops', 'good/stdout: one', 'good/stdout: two']);
  });

  // POSIX process groups: this project's machines and CI are Linux.
  it('kills the whole process group of a running build on cancel and does not start the queued ones', async function () {
    const dir = writeTree({ 'keep.txt': '' });
    const abort = new AbortController();
    const results = await runBuilds([
      { service: 'long', command: 'sleep 30 & echo $! > child.pid; echo started; wait', cwd: dir },
      { service: 'queued', command: 'touch queued-ran', cwd: dir },
    ], { jobs: 1, signal: abort.signal, onLine: (l) => { if (l.text === 'started') abort.abort(); } });
    assert.equal(results[0].cancelled, true);
    assert.equal(results[0].ok, false);
    assert.deepEqual([results[1].cancelled, results[1].exitCode, results[1].durationMs], [true, null, 0]);
    assert.equal(fs.existsSync(path.join(dir, 'queued-ran')), false);
    const pid = Number(fs.readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    assert.equal(await processGone(pid, 5000), true, 'the background sleep of the cancelled build was killed');
  });
});

describe('pymono rebuild', () => {
  it('builds exactly the services a branch affects, streams prefixed output and fails when one build fails', async () => {
    const root = featureRepo();
    const io = captureIo(root);
    const code = await runRebuild(undefined, { base: 'main' }, io);
    assert.equal(code, 1);
    assert.deepEqual(built(root), ['built-alpha', 'built-beta']);
    assert.match(io.stdout, /^  alpha: libs\/core\/acme_core\/__init__\.py changed \(acme-core\) → alpha$/m);
    assert.match(io.stdout, /^    \$ make -C services\/beta   \(in \.; from services\/beta\/Makefile\)$/m);
    assert.match(io.stdout, /^\[beta\] building beta$/m);
    assert.match(io.stdout, /^\[beta\] warning from beta$/m);
    assert.match(io.stdout, /^\[alpha\] failed with exit code 2 after/m);
    assert.match(io.stdout, /^Summary: 1 succeeded, 1 failed \(alpha\)$/m);
    assert.doesNotMatch(io.stdout, /gamma/);
  });

  it('only prints the plan with --dry-run and exits 0', async () => {
    const root = featureRepo();
    const io = captureIo(root);
    assert.equal(await runRebuild(root, { base: 'main', dryRun: true }, io), 0);
    assert.deepEqual(built(root), []);
    assert.match(io.stdout, /Services to rebuild \(2\)/);
    assert.match(io.stdout, /\$ make -C services\/alpha/);
  });

  it('rebuilds from uncommitted changes by default and from --files when given', async () => {
    const root = featureRepo();
    fs.writeFileSync(path.join(root, 'services/gamma/gamma/__init__.py'), 'X = 2\n');
    const io = captureIo(root);
    assert.equal(await runRebuild(root, {}, io), 0);
    assert.deepEqual(built(root), ['built-gamma']);
    const io2 = captureIo(path.join(root, 'services'));
    assert.equal(await runRebuild(root, { files: ['beta/beta/__init__.py'], jobs: 2 }, io2), 0);
    assert.deepEqual(built(root), ['built-beta', 'built-gamma']);
  });

  it('exits 2 with a message for an unknown base ref, a bad --jobs and --head without --base', async () => {
    const root = featureRepo();
    const io = captureIo(root);
    assert.equal(await runRebuild(root, { base: 'no-such-ref' }, io), 2);
    assert.match(io.stderr, /pymono: error: unknown git ref 'no-such-ref'/);
    assert.equal(await runRebuild(root, { base: 'main', jobs: 0 }, io), 2);
    assert.match(io.stderr, /--jobs must be a positive integer/);
    assert.equal(await runRebuild(root, { head: 'feature' }, io), 2);
    assert.match(io.stderr, /--head needs --base/);
    assert.deepEqual(built(root), []);
  });

  it('registers affected (replacing the old command) and rebuild on a commander program', async () => {
    const root = featureRepo();
    const io = captureIo(root);
    const result = { out: '', code: -1 };
    let oldCalled = false;
    const program = new Command('pymono').exitOverride();
    program.command('affected').action(() => void (oldCalled = true));
    registerAffectedGit(program, result, io);
    await program.parseAsync(['node', 'pymono', 'affected', root, '--base', 'main', '--format', 'json']);
    assert.equal(oldCalled, false);
    assert.equal(result.code, 0);
    const doc = JSON.parse(io.stdout) as { version: number; changedFiles: string[]; services: { name: string; via: string[]; reason: string }[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.changedFiles, ['libs/core/acme_core/__init__.py']);
    assert.deepEqual(doc.services.map((s) => [s.name, s.via.join('>'), s.reason]), [
      ['alpha', 'acme-core>alpha', 'libs/core/acme_core/__init__.py changed (acme-core) → alpha'],
      ['beta', 'acme-core>beta', 'libs/core/acme_core/__init__.py changed (acme-core) → beta'],
    ]);
    const io2 = captureIo(root);
    const program2 = new Command('pymono').exitOverride();
    const result2 = { out: '', code: -1 };
    registerAffectedGit(program2, result2, io2);
    await program2.parseAsync(['node', 'pymono', 'rebuild', root, '--base', 'main', '--dry-run', '--jobs', '2']);
    assert.equal(result2.code, 0);
    assert.match(io2.stdout, /Services to rebuild \(2\)/);
  });
});

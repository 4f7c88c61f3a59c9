/**
 * The git-aware `pymono affected` and `pymono rebuild` commands, for cli.ts to register with
 * `registerAffectedGit(program, result)`:
 *
 * - `affected [ROOT] [--files F... | --base REF [--head REF]] [--format text|json]`: without `--files` or `--base`,
 *   the uncommitted changes (staged, unstaged, untracked, deleted, renamed); with `--base`, the changes between the
 *   merge base of REF and the head (default: the working tree). Changed lock files are compared with their base.
 * - `rebuild [ROOT] [same change options] [--dry-run] [--jobs N]`: prints each affected service's reason and build
 *   command, runs them (`--jobs` at once, default 1) with their output prefixed `[service] `, then a summary.
 *
 * Exit codes: 0 success; 1 at least one build failed (or was cancelled); 2 usage, I/O or git error.
 * Reports and build output go to `io.out`, errors and `--verbose` messages to `io.err`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Host } from './core/host';
import { Workspace } from './core/workspace';
import { createNodeHost, type NodeHost } from './host/nodeHost';
import { createBuildExecutor } from './host/buildRunner';
import { listChanges, type ChangedFile, type ChangeQuery } from './core/changes/gitChanges';
import { loadLockDiffs, lockFormatOf, type LockDiff } from './core/changes/lockDiff';
import { computeChangeImpact, type ChangeImpact } from './core/changes/affectedChanges';
import { planBuilds, type BuildPlan } from './core/builds/buildCommands';
import { jobsOf, prefixLine, type BuildExecutor, type BuildResult } from './core/builds/rebuildRunner';
import { toAffectedRecord } from './core/report/affectedJson';
import { relativePosix } from './core/report/paths';
import { canonicalFile, errorMessage, resolveRoot, UsageError } from './cliShared';

/** Where the commands write, and the folder relative `--files` resolve against. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

/** The process's stdout/stderr and cwd. */
export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  get cwd(): string {
    return process.cwd();
  },
};

/** Which changes to consider: explicit `files` (relative to `io.cwd` or absolute), or git (`base`/`head`). */
export interface ChangeOptions {
  files?: string[];
  base?: string;
  head?: string;
  verbose?: boolean;
}

/** Options of `affected`. */
export interface AffectedGitOptions extends ChangeOptions {
  format?: 'text' | 'json';
}

/** Options of `rebuild`. `executor` defaults to the child-process runner; `signal` cancels the running builds. */
export interface RebuildOptions extends ChangeOptions {
  dryRun?: boolean;
  jobs?: number;
  signal?: AbortSignal;
  executor?: BuildExecutor;
}

/** A loaded workspace with the impact of the requested changes; `host` must be disposed by the caller. */
export interface ImpactSession {
  host: NodeHost;
  workspace: Workspace;
  impact: ChangeImpact;
  /** What was compared, in words. */
  description: string;
}


/**
 * Loads the workspace at `rootArg` (default: `io.cwd`) and computes the impact of the requested changes.
 * Throws a `UsageError` (message for the user) on a bad root, bad options or a git failure.
 */
export async function loadImpact(rootArg: string | undefined, opts: ChangeOptions, io: CliIo): Promise<ImpactSession> {
  if (opts.files !== undefined && (opts.base !== undefined || opts.head !== undefined)) throw new UsageError('--files cannot be combined with --base/--head');
  if (opts.head !== undefined && opts.base === undefined) throw new UsageError('--head needs --base');
  const root = resolveRoot(rootArg, io.cwd);
  const log = opts.verbose ? (m: string): void => io.err(`pymono: ${m}\n`) : (): void => undefined;
  const host = createNodeHost({ log });
  try {
    const workspace = await Workspace.load(root, host);
    let changed: ChangedFile[];
    let diffs: LockDiff[];
    let description: string;
    if (opts.files !== undefined) {
      changed = opts.files.map((f) => ({ path: canonicalFile(f, io.cwd), status: 'modified' as const }));
      diffs = await lockDiffsAgainstHead(host, root, changed);
      description = `${changed.length} file${changed.length === 1 ? '' : 's'} given with --files`;
    } else {
      const query: ChangeQuery = opts.base === undefined ? { mode: 'uncommitted' } : { mode: 'range', base: opts.base, head: opts.head };
      let set;
      try {
        set = await listChanges(host, root, query);
      } catch (err) {
        throw new UsageError(errorMessage(err));
      }
      changed = set.files;
      diffs = await loadLockDiffs(host, { repoRoot: set.repoRoot, base: set.base, head: set.head }, set.files);
      description = set.description;
    }
    const impact = computeChangeImpact(workspace, changed, diffs);
    for (const p of impact.problems) host.log(`${p.file}: ${p.message}`);
    return { host, workspace, impact, description };
  } catch (err) {
    await host.dispose();
    throw err;
  }
}

/** `pymono affected`: prints the impact as text or JSON; resolves with the exit code (0, or 2 on errors). */
export async function runAffectedGit(rootArg: string | undefined, opts: AffectedGitOptions, io: CliIo = processIo): Promise<number> {
  let s: ImpactSession;
  try {
    s = await loadImpact(rootArg, opts, io);
  } catch (err) {
    io.err(`pymono: error: ${errorMessage(err)}\n`);
    return 2;
  }
  try {
    io.out(opts.format === 'json' ? formatImpactJson(s.impact, s.workspace.root, s.description) : formatImpactText(s.impact, s.workspace.root, s.description));
    return 0;
  } finally {
    await s.host.dispose();
  }
}

/**
 * `pymono rebuild`: plans the affected services' builds, prints each reason and command, runs them unless
 * `dryRun`, streams `[service] line` output and prints a summary. Resolves with 0, 1 (a build failed or was
 * cancelled) or 2 (usage or git error).
 */
export async function runRebuild(rootArg: string | undefined, opts: RebuildOptions, io: CliIo = processIo): Promise<number> {
  let s: ImpactSession;
  try {
    if (opts.jobs !== undefined && (!Number.isInteger(opts.jobs) || opts.jobs < 1)) throw new UsageError(`--jobs must be a positive integer (got ${opts.jobs})`);
    s = await loadImpact(rootArg, opts, io);
  } catch (err) {
    io.err(`pymono: error: ${errorMessage(err)}\n`);
    return 2;
  }
  try {
    const root = s.workspace.root;
    const { plans, problems } = await planBuilds(s.workspace, s.host, s.impact.services);
    for (const p of problems) io.err(`pymono: warning: ${relativePosix(root, p.file)}:${p.range.start.line + 1}: ${p.message}\n`);
    io.out(`Compared: ${s.description}\n`);
    if (plans.length === 0) {
      io.out('No affected services: nothing to rebuild.\n');
      return 0;
    }
    io.out(`Services to rebuild (${plans.length})\n`);
    for (const plan of plans) io.out(describePlan(plan, root));
    if (opts.dryRun) return 0;
    const jobs = jobsOf(plans);
    const executor = opts.executor ?? createBuildExecutor();
    const results = await executor.run(jobs, {
      jobs: opts.jobs ?? 1,
      signal: opts.signal,
      onStart: (job) => io.out(`[${job.service}] $ ${job.command}\n`),
      onLine: (line) => io.out(`${prefixLine(line)}\n`),
      onEnd: (r) => io.out(`[${r.service}] ${outcomeText(r)}\n`),
    });
    io.out(summaryText(plans, results));
    return results.some((r) => !r.ok) ? 1 : 0;
  } finally {
    await s.host.dispose();
  }
}

/**
 * Registers `affected` (replacing an `affected` command already registered, if any) and `rebuild` on `program`.
 * Each action stores its exit code in `result.code`; output is written to `io` while the command runs, so
 * `result.out` stays empty.
 */
export function registerAffectedGit(program: Command, result: { out: string; code: number }, io: CliIo = processIo): void {
  const commands = program.commands as Command[];
  const old = commands.findIndex((c) => c.name() === 'affected');
  if (old >= 0) commands.splice(old, 1);
  const changeOptions = (cmd: Command): Command =>
    cmd
      .argument('[root]', 'monorepo root (default: current directory)')
      .option('--files <files...>', 'changed files, relative to the current directory or absolute (instead of git)')
      .option('--base <ref>', 'compare the merge base of <ref> and the head with the head (default: uncommitted changes)')
      .option('--head <ref>', 'with --base: the head commit (default: the working tree, untracked files included)')
      .option('--verbose', 'log host messages to stderr');
  changeOptions(program.command('affected'))
    .description('packages and services affected by changes, with the reason for each (default: uncommitted git changes)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (root: string | undefined, opts: AffectedGitOptions) => {
      result.code = await runAffectedGit(root, opts, io);
    });
  changeOptions(program.command('rebuild'))
    .description('run the build command of every affected service and exit non-zero if one fails')
    .option('--dry-run', 'only print the services, reasons and commands')
    .option('--jobs <n>', 'builds run at once (default 1)', parsePositive)
    .action(async (root: string | undefined, opts: RebuildOptions) => {
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        result.code = await runRebuild(root, { ...opts, signal: abort.signal }, io);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

/** Text report of an impact: what was compared, changed files/packages, services with via and reason, tests-only packages. */
export function formatImpactText(impact: ChangeImpact, root: string, description: string): string {
  const r = toAffectedRecord(impact, root);
  const rel = (f: string): string => relativePosix(root, f);
  const list = (xs: string[]): string => (xs.length > 0 ? xs.join(', ') : '(none)');
  const lines = [`Compared: ${description}`, `Changed files (${r.changedFiles.length})`];
  if (r.changedFiles.length === 0) lines.push('  (none)');
  for (const f of r.changedFiles) lines.push(`  ${f}`);
  lines.push(`Changed packages: ${list(r.changedPackages)}`);
  lines.push(`Affected packages (${r.affectedPackages.length}): ${list(r.affectedPackages)}`);
  lines.push(`Services to rebuild (${impact.services.length})`);
  if (impact.services.length === 0) lines.push('  (none)');
  for (const s of impact.services) lines.push(`  ${s.name}  via ${s.via.join(' -> ')}`, `    ${s.reason}`);
  if (impact.devAffected.length > 0) {
    lines.push(`Tests affected through development dependencies (${impact.devAffected.length})`);
    for (const d of impact.devAffected) lines.push(`  ${d.id}${d.service ? ' (service, not rebuilt)' : ''}`, `    ${d.reason}`);
  }
  for (const lock of impact.locks) lines.push(`Lock ${rel(lock.file)}: ${list(lock.changes)}; packages: ${list(lock.packages)}`);
  if (impact.globalFiles.length > 0) lines.push(`Global files: ${impact.globalFiles.map(rel).join(', ')}`);
  if (impact.unownedFiles.length > 0) lines.push(`Outside every package (no effect): ${impact.unownedFiles.map(rel).join(', ')}`);
  return lines.join('\n') + '\n';
}

/**
 * JSON report: the version-1 affected document (README "CLI") with additions: `compared` (text), `reason` per
 * service, `devAffected` [{id, via, reason, service}], `reasons` {id: text}, `locks` [{file, changes, packages}],
 * `globalFiles`, `unownedFiles` (paths POSIX relative to the root).
 */
export function formatImpactJson(impact: ChangeImpact, root: string, description: string): string {
  const r = toAffectedRecord(impact, root);
  const reasons = new Map(impact.services.map((s) => [s.name, s.reason]));
  const rel = (f: string): string => relativePosix(root, f);
  const doc = {
    version: 1,
    compared: description,
    ...r,
    services: r.services.map((s) => ({ ...s, reason: reasons.get(s.name) ?? '' })),
    devAffected: impact.devAffected,
    reasons: impact.reasons,
    locks: impact.locks.map((l) => ({ ...l, file: rel(l.file) })),
    globalFiles: impact.globalFiles.map(rel),
    unownedFiles: impact.unownedFiles.map(rel),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------------------

function describePlan(plan: BuildPlan, root: string): string {
  const head = `  ${plan.service}: ${plan.reason || '(asked)'}\n`;
  if (plan.command === undefined) return `${head}    no build command: ${plan.origin}\n`;
  return `${head}    $ ${plan.command}   (in ${relativePosix(root, plan.cwd)}; from ${plan.origin})\n`;
}

function outcomeText(r: BuildResult): string {
  const secs = `${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.ok) return `succeeded in ${secs}`;
  if (r.cancelled) return r.durationMs === 0 ? 'cancelled before it started' : `cancelled after ${secs}`;
  if (r.error) return `failed: ${r.error}`;
  return r.exitCode === null ? `failed: killed by ${r.signal ?? 'a signal'} after ${secs}` : `failed with exit code ${r.exitCode} after ${secs}`;
}

function summaryText(plans: BuildPlan[], results: BuildResult[]): string {
  const ok = results.filter((r) => r.ok).map((r) => r.service);
  const failed = results.filter((r) => !r.ok).map((r) => r.service);
  const skipped = plans.filter((p) => p.command === undefined).map((p) => p.service);
  let text = `Summary: ${ok.length} succeeded, ${failed.length} failed`;
  if (failed.length > 0) text += ` (${failed.join(', ')})`;
  if (skipped.length > 0) text += `, ${skipped.length} without a build command (${skipped.join(', ')})`;
  return text + '\n';
}

/** Lock diffs for lock files named with --files: compared with HEAD when the root is in a git repository. */
async function lockDiffsAgainstHead(host: Host, root: string, changed: ChangedFile[]): Promise<LockDiff[]> {
  const locks = changed.filter((c) => lockFormatOf(c.path));
  if (locks.length === 0) return [];
  try {
    const top = path.resolve((await host.git(['rev-parse', '--show-toplevel'], root)).trim());
    const head = (await host.git(['rev-parse', '--verify', 'HEAD^{commit}'], top)).trim();
    return await loadLockDiffs(host, { repoRoot: top, base: head }, locks);
  } catch (err) {
    host.log(`lock files not compared (no git HEAD): ${errorMessage(err)}`);
    return [];
  }
}



function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}


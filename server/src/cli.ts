/**
 * The `pymono` command line: `check`, `graph` and `affected` over a monorepo, driving the same core as the
 * language server through the Node host. Thin on purpose: parse arguments, load the `Workspace`, hand plain data
 * to a formatter in core/report, write it to stdout.
 *
 * Exit codes: 0 success (for `check`: no findings), 1 `check` found problems, 2 usage or I/O error (bad option,
 * missing root, unreadable input, git failure). Only the report goes to stdout; errors and `--verbose` host
 * messages (skips, timings) go to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Finding, RuleCode } from './core/model';
import type { Host } from './core/host';
import { Workspace } from './core/workspace';
import { RULE_CODES, RULES, isRuleCode, ruleDocUrl } from './core/rules/registry';
import { createNodeHost, type NodeHost } from './host/nodeHost';
import { formatFindingsText } from './core/report/findingsText';
import { formatFindingsJson } from './core/report/findingsJson';
import { formatFindingsGithub } from './core/report/findingsGithub';
import { formatFindingsSarif, type SarifRule } from './core/report/findingsSarif';
import { formatGraphText } from './core/report/graphText';
import { formatGraphJson } from './core/report/graphJson';
import { formatGraphDot } from './core/report/graphDot';
import { formatGraphMermaid } from './core/report/graphMermaid';
import { registerAffectedGit } from './cliRebuild';
import { shippedRulesDoc } from './rulesDoc';
import { errorMessage, resolveRoot, UsageError } from './cliShared';
import pkg from '../../package.json';

interface CommonOptions {
  verbose?: boolean;
}
interface CheckOptions extends CommonOptions {
  format: 'text' | 'json' | 'github' | 'sarif';
  select?: string;
  ignore?: string;
}
interface GraphOptions extends CommonOptions {
  format: 'text' | 'json' | 'dot' | 'mermaid';
}

/** A loaded workspace plus what the summary needs; `host` must be disposed by the caller. */
interface Session {
  host: NodeHost;
  workspace: Workspace;
  scannedFiles: number;
}


/** Parses `PM001,PM003` into codes; an unknown code is a usage error naming the option. */
function parseCodes(list: string | undefined, option: string): Set<RuleCode> | undefined {
  if (list === undefined) return undefined;
  const codes = new Set<RuleCode>();
  for (const raw of list.split(',')) {
    const code = raw.trim().toUpperCase();
    if (code === '') continue;
    if (!isRuleCode(code)) throw new UsageError(`unknown rule code '${raw.trim()}' in ${option} (known: ${RULE_CODES.join(', ')})`);
    codes.add(code);
  }
  return codes;
}

/** Creates the host (stderr logging under --verbose), counts scanned Python files, loads the workspace. */
async function openSession(rootArg: string | undefined, opts: CommonOptions): Promise<Session> {
  const root = resolveRoot(rootArg);
  const log = opts.verbose ? (m: string): void => void process.stderr.write(`pymono: ${m}\n`) : (): void => undefined;
  const host = createNodeHost({ log });
  const scanned = new Set<string>();
  const counting: Host = {
    readFile: (p) => host.readFile(p),
    readDirectory: (p) => host.readDirectory(p),
    stat: (p) => host.stat(p),
    realpath: (p) => host.realpath(p),
    git: (args, cwd) => host.git(args, cwd),
    log: (m) => host.log(m),
    async scanFiles(paths, maxBytes) {
      const out = await host.scanFiles(paths, maxBytes);
      for (const [file, outcome] of out) if (outcome.ok) scanned.add(file);
      return out;
    },
    async scanFilesPacked(paths, maxBytes) {
      const out = await host.scanFilesPacked(paths, maxBytes);
      for (const [file, outcome] of out) if (outcome.ok) scanned.add(file);
      return out;
    },
  };
  const started = performance.now();
  try {
    const workspace = await Workspace.load(root, counting);
    const ms = Math.round(performance.now() - started);
    host.log(`loaded ${workspace.packages().length} packages, ${scanned.size} Python files in ${ms} ms`);
    return { host, workspace, scannedFiles: scanned.size };
  } catch (err) {
    await host.dispose();
    throw err;
  }
}

async function check(rootArg: string | undefined, opts: CheckOptions): Promise<{ out: string; code: number }> {
  const select = parseCodes(opts.select, '--select');
  const ignore = parseCodes(opts.ignore, '--ignore');
  const s = await openSession(rootArg, opts);
  try {
    const ws = s.workspace;
    const findings = ws.findings().filter((f: Finding) => (!select || select.has(f.code)) && !ignore?.has(f.code));
    let out: string;
    if (opts.format === 'json') out = formatFindingsJson(findings, ws.root);
    else if (opts.format === 'github') out = formatFindingsGithub(findings, ws.root);
    else if (opts.format === 'sarif') out = formatFindingsSarif(findings, ws.root, sarifRules(), { name: 'pymono', version: pkg.version });
    else out = formatFindingsText(findings, ws.root, { packages: ws.packages().length, files: s.scannedFiles });
    return { out, code: findings.length > 0 ? 1 : 0 };
  } finally {
    await s.host.dispose();
  }
}

function sarifRules(): SarifRule[] {
  const doc = shippedRulesDoc();
  return RULE_CODES.map((id) => ({ id, ...RULES[id], helpUri: ruleDocUrl(id, doc) }));
}

async function graph(rootArg: string | undefined, opts: GraphOptions): Promise<{ out: string; code: number }> {
  const s = await openSession(rootArg, opts);
  try {
    const ws = s.workspace;
    const packages = ws.packages();
    const edges = ws.edges();
    const out =
      opts.format === 'json' ? formatGraphJson(packages, edges, ws.root)
      : opts.format === 'dot' ? formatGraphDot(packages, edges)
      : opts.format === 'mermaid' ? formatGraphMermaid(packages, edges)
      : formatGraphText(packages, edges, ws.root);
    return { out, code: 0 };
  } finally {
    await s.host.dispose();
  }
}


function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (text === '' ? resolve() : stream.write(text, () => resolve())));
}

/** Builds the commander program; each action stores its exit code and report in `result`. */
function buildProgram(result: { out: string; code: number }): Command {
  const program = new Command('pymono')
    .description('Check undeclared dependencies, show the package graph and affected services of a Python monorepo.')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError('(run pymono --help for usage)');
  const format = (choices: string[]): Option =>
    new Option('--format <format>', 'output format').choices(choices).default('text');
  const run = <O>(fn: (root: string | undefined, opts: O) => Promise<{ out: string; code: number }>) =>
    async (root: string | undefined, opts: O): Promise<void> => {
      Object.assign(result, await fn(root, opts));
    };

  program
    .command('check')
    .description('report imports that packages do not declare, unused and drifting dependencies, cycles, bad manifests')
    .argument('[root]', 'monorepo root (default: current directory)')
    .addOption(format(['text', 'json', 'github', 'sarif']))
    .option('--select <codes>', 'only these rule codes, comma-separated (e.g. PM001,PM003)')
    .option('--ignore <codes>', 'drop these rule codes, comma-separated')
    .option('--verbose', 'log host messages (skipped files, timings) to stderr')
    .action(run(check));
  program
    .command('graph')
    .description('list services and libraries with their internal dependencies and dependents')
    .argument('[root]', 'monorepo root (default: current directory)')
    .addOption(format(['text', 'json', 'dot', 'mermaid']))
    .option('--verbose', 'log host messages to stderr')
    .action(run(graph));
  // `affected` (files, git ranges, lock files) and `rebuild` live in cliRebuild.ts.
  registerAffectedGit(program, result);
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`) and resolves with the exit code, the report already on stdout. */
export async function main(argv: string[]): Promise<number> {
  const result = { out: '', code: 0 };
  try {
    await buildProgram(result).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander already printed the message
    await write(process.stderr, `pymono: error: ${errorMessage(err)}\n`);
    return 2;
  }
  await write(process.stdout, result.out);
  return result.code;
}

if (require.main === module) {
  main(process.argv).then(
    // exitCode, not exit(): exit() would cut off stdout still draining into a pipe (a large --format json report).
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pymono: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(2);
    },
  );
}

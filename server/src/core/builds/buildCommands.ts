/**
 * The build command of each service, in this order (docs/rules.md, "Configuration" and "Building"):
 * 1. `[tool.pymono.services.<name>] build = "..."`, else `[tool.pymono] build = "..."`: a shell command run from the
 *    root, with `{name}` (package id), `{path}` (service folder relative to the root, POSIX, `.` for the root) and
 *    `{root}` (absolute root) replaced — other braces are left alone;
 * 2. a `Makefile` in the service folder: `make -C <path>`;
 * 3. a Dockerfile: `docker build -f <dockerfile> -t <name> <context>`, the context and Dockerfile taken from a
 *    docker-compose service that builds a Dockerfile of this package (Compose "Build support"), else the service's
 *    `Dockerfile` with the repository root as context (the layout of "Sharing Code Across Python Microservices");
 * 4. a uv workspace member: `uv build --package <name>` from the workspace root (uv docs, "Workspaces");
 * 5. a Poetry project: `poetry build` in the service folder (Poetry docs, "Commands > build").
 * Detected commands carry `argv` and run without a shell; configured ones run through the shell.
 * Nothing here runs anything: `host/buildRunner.ts` does, and only when the user asks.
 */
import * as path from 'node:path';
import type { Host } from '../host';
import type { ManifestProblem, PackageInfo } from '../model';
import type { PymonoConfig } from '../config';
import { isComposeFileName, parseComposeBuilds, type ComposeBuild } from './compose';

/** Which rule chose a build command. */
export type BuildSource = 'config' | 'makefile' | 'dockerfile' | 'uv' | 'poetry';

/**
 * How to build one service. `command` is the text shown to the user (and run by a shell when `argv` is absent);
 * `argv` (program + arguments) is set for detected commands; `cwd` is absolute. `command`/`source` are
 * `undefined` when nothing was found, and `origin` then says what to configure. `reason` is why it is rebuilt.
 */
export interface BuildPlan {
  service: string;
  reason: string;
  command?: string;
  argv?: string[];
  cwd: string;
  source?: BuildSource;
  origin: string;
}

/** What planning reads from a workspace (the `Workspace` class satisfies it). */
export interface BuildGraph {
  readonly root: string;
  packages(): PackageInfo[];
  ownerOf(file: string): PackageInfo | undefined;
  context(): { config: PymonoConfig };
}

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];

/**
 * Plans the builds of `services` (package ids, with the reason each is rebuilt). Reads folder listings and
 * compose files through `host`; unreadable ones become problems. An unknown id gets a plan without a command.
 */
export async function planBuilds(
  ws: BuildGraph,
  host: Host,
  services: readonly { name: string; reason?: string }[],
): Promise<{ plans: BuildPlan[]; problems: ManifestProblem[] }> {
  const config = ws.context().config;
  const byId = new Map(ws.packages().map((p) => [p.id, p]));
  const problems: ManifestProblem[] = [];
  const listings = new Map<string, Promise<Set<string>>>();
  const list = (dir: string): Promise<Set<string>> => {
    let p = listings.get(dir);
    if (!p) {
      p = host.readDirectory(dir).then(
        (entries) => new Set(entries.filter((e) => e.kind === 'file' || e.kind === 'symlink').map((e) => e.name)),
        () => new Set<string>(),
      );
      listings.set(dir, p);
    }
    return p;
  };
  const composeCache = new Map<string, Promise<ComposeBuild[]>>();
  const composeIn = async (dir: string): Promise<ComposeBuild[]> => {
    const names = [...(await list(dir))].filter(isComposeFileName).sort();
    const out: ComposeBuild[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      let p = composeCache.get(file);
      if (!p) {
        p = readCompose(host, file, problems);
        composeCache.set(file, p);
      }
      out.push(...(await p));
    }
    return out;
  };

  const plans: BuildPlan[] = [];
  for (const { name, reason } of services) {
    const pkg = byId.get(name);
    const base = { service: name, reason: reason ?? '' };
    if (!pkg) {
      plans.push({ ...base, cwd: ws.root, origin: `no package named '${name}' in the workspace` });
      continue;
    }
    const relPath = relPosix(ws.root, pkg.root);
    const configured = config.serviceSettings[pkg.id]?.build;
    const template = configured ?? config.build;
    if (template !== undefined) {
      const command = expandPlaceholders(template, { name: pkg.id, path: relPath, root: ws.root });
      const origin = configured !== undefined ? `[tool.pymono.services.${pkg.id}] build` : '[tool.pymono] build';
      plans.push({ ...base, command, cwd: ws.root, source: 'config', origin });
      continue;
    }
    const files = await list(pkg.root);
    const makefile = MAKEFILES.find((m) => files.has(m));
    if (makefile) {
      const argv = ['make', '-C', relPath];
      plans.push({ ...base, command: formatCommand(argv), argv, cwd: ws.root, source: 'makefile', origin: `${relPosix(ws.root, path.join(pkg.root, makefile))}` });
      continue;
    }
    const composed = [...(await composeIn(ws.root)), ...(pkg.root === ws.root ? [] : await composeIn(pkg.root))];
    const ownBuilds = composed.filter((b) => ws.ownerOf(b.dockerfile)?.id === pkg.id);
    const preferred = ownBuilds.find((b) => b.dockerfile === path.join(pkg.root, 'Dockerfile')) ?? ownBuilds[0];
    if (preferred || files.has('Dockerfile')) {
      const dockerfile = preferred?.dockerfile ?? path.join(pkg.root, 'Dockerfile');
      const context = preferred?.context ?? ws.root;
      const argv = ['docker', 'build', '-f', relPosix(ws.root, dockerfile), '-t', pkg.id, relPosix(ws.root, context)];
      const origin = preferred
        ? `${relPosix(ws.root, preferred.file)} service '${preferred.service}' (context ${relPosix(ws.root, context)})`
        : `${relPosix(ws.root, dockerfile)} (context: the repository root)`;
      plans.push({ ...base, command: formatCommand(argv), argv, cwd: ws.root, source: 'dockerfile', origin });
      continue;
    }
    if (pkg.uvWorkspaceRoot !== undefined && !pkg.virtual) {
      const argv = ['uv', 'build', '--package', pkg.name];
      plans.push({ ...base, command: formatCommand(argv), argv, cwd: pkg.uvWorkspaceRoot, source: 'uv', origin: `uv workspace member of ${relPosix(ws.root, path.join(pkg.uvWorkspaceRoot, 'pyproject.toml'))}` });
      continue;
    }
    if (pkg.format === 'poetry') {
      const argv = ['poetry', 'build'];
      plans.push({ ...base, command: formatCommand(argv), argv, cwd: pkg.root, source: 'poetry', origin: `Poetry project ${relPosix(ws.root, pkg.manifest)}` });
      continue;
    }
    plans.push({
      ...base,
      cwd: pkg.root,
      origin: `no Makefile, Dockerfile, uv workspace or Poetry project in ${relPath}: set [tool.pymono.services.${pkg.id}] build = "..." or [tool.pymono] build`,
    });
  }
  return { plans, problems };
}

/**
 * Replaces `{name}`, `{path}` and `{root}` in a configured command. Values made only of `[A-Za-z0-9_@%+=:,./-]`
 * are inserted as they are, others single-quoted for POSIX shells. Other braces (`awk '{print $1}'`) stay.
 */
export function expandPlaceholders(template: string, vars: { name: string; path: string; root: string }): string {
  return template.replace(/\{(name|path|root)\}/g, (_m, key: 'name' | 'path' | 'root') => shellQuote(vars[key]));
}

/** Quotes one argument for a POSIX shell (`'...'` with `'\''` for quotes) unless it is made of safe characters only. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The display form of an argv: each argument quoted with `shellQuote`, joined by spaces. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

async function readCompose(host: Host, file: string, problems: ManifestProblem[]): Promise<ComposeBuild[]> {
  try {
    const text = new TextDecoder().decode(await host.readFile(file));
    const parsed = parseComposeBuilds(text, file);
    problems.push(...parsed.problems);
    return parsed.builds;
  } catch (err) {
    problems.push({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${path.basename(file)} could not be read: ${err instanceof Error ? err.message : String(err)}` });
    return [];
  }
}

function relPosix(root: string, abs: string): string {
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

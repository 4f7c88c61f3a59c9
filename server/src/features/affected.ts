/**
 * `pymono/affectedServices` (protocol.ts): the services a set of git changes affects, with their `via` chains,
 * reasons and build commands, per workspace folder. Thin glue over the core: `listChanges` + `loadLockDiffs`
 * (core/changes) read git outside the root's queue, then `computeChangeImpact` and `planBuilds` run on the
 * root's workspace inside it (after every edit queued before the request). Nothing is built here: the client
 * runs the builds as VS Code tasks, and only when the user asks.
 *
 * A git failure (not a repository, unknown branch, no commits) becomes a problem of that root, never an error
 * response; malformed params are answered with `InvalidParams`.
 */
import { type CancellationToken, type Connection, ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Host } from '../core/host';
import type { ManifestProblem } from '../core/model';
import type { Workspace } from '../core/workspace';
import { listChanges, type ChangeQuery, type ChangeSet } from '../core/changes/gitChanges';
import { loadLockDiffs, type LockDiff } from '../core/changes/lockDiff';
import { computeChangeImpact } from '../core/changes/affectedChanges';
import { planBuilds, type BuildPlan } from '../core/builds/buildCommands';
import { pathToUri, toLspRange, uriToPath } from '../convert';
import {
  AffectedServicesRequest,
  type AffectedMode,
  type AffectedProblem,
  type AffectedRoot,
  type AffectedServiceInfo,
  type AffectedServicesParams,
  type AffectedServicesResult,
} from '../protocol';
import { isInside, type WorkspaceState } from '../workspaceState';

/** What the handler needs from the server. */
export interface AffectedDeps {
  state: WorkspaceState;
  host: Host;
  /** Logs a handler failure (the client's output channel). */
  logError(where: string, err: unknown): void;
}

/** The reason given to every service in mode `all` (nothing changed: the user asked for the build). */
export const REQUESTED_REASON = 'rebuild requested';

/**
 * Validates raw request params. Returns the params, or a message saying what is wrong (`mode must be ...`).
 * Accepts exactly the shapes of `AffectedServicesParams`; unknown extra keys are ignored.
 */
export function parseAffectedParams(raw: unknown): { params: AffectedServicesParams } | { error: string } {
  if (typeof raw !== 'object' || raw === null) return { error: 'params must be an object { mode, rootUri?, defaultBranch?, services? }' };
  const r = raw as Record<string, unknown>;
  let mode: AffectedMode;
  if (r.mode === 'editor' || r.mode === 'uncommitted' || r.mode === 'all') mode = r.mode;
  else if (typeof r.mode === 'object' && r.mode !== null && typeof (r.mode as Record<string, unknown>).base === 'string' && (r.mode as { base: string }).base.trim() !== '') {
    mode = { base: (r.mode as { base: string }).base };
  } else return { error: `mode must be 'editor', 'uncommitted', 'all' or { base: "<git ref>" } (got ${JSON.stringify(r.mode)})` };
  const params: AffectedServicesParams = { mode };
  if (r.rootUri !== undefined) {
    if (typeof r.rootUri !== 'string' || uriToPath(r.rootUri) === undefined) return { error: `rootUri must be a file: URI (got ${JSON.stringify(r.rootUri)})` };
    params.rootUri = r.rootUri;
  }
  if (r.defaultBranch !== undefined) {
    if (typeof r.defaultBranch !== 'string') return { error: 'defaultBranch must be a string' };
    if (r.defaultBranch.trim() !== '') params.defaultBranch = r.defaultBranch.trim();
  }
  if (r.services !== undefined) {
    if (!Array.isArray(r.services) || !r.services.every((s) => typeof s === 'string')) return { error: 'services must be an array of package names' };
    params.services = r.services as string[];
  }
  return { params };
}

/**
 * Answers the request: one `AffectedRoot` per workspace folder (or the one `rootUri` names). Never rejects:
 * every failure becomes a problem of its root. `isCancelled` is polled between roots.
 */
export async function affectedServices(deps: AffectedDeps, params: AffectedServicesParams, isCancelled: () => boolean = () => false): Promise<AffectedServicesResult> {
  const loaded = await deps.state.loaded();
  let targets = loaded.map((l) => l.root);
  const roots: AffectedRoot[] = [];
  if (params.rootUri !== undefined) {
    const wanted = uriToPath(params.rootUri) as string;
    const root = targets.filter((r) => r === wanted || isInside(wanted, r)).sort((a, b) => b.length - a.length)[0];
    if (root === undefined) {
      roots.push(emptyRoot(params.rootUri, [{ message: `${wanted} is not inside a workspace folder the pymono server has indexed` }]));
      targets = [];
    } else targets = [root];
  }
  for (const root of targets) {
    if (isCancelled()) break;
    roots.push(await affectedOfRoot(deps, root, params));
  }
  return { version: deps.state.generation, roots };
}

/** Registers the request handler on `connection`. */
export function registerAffected(connection: Connection, deps: AffectedDeps): void {
  connection.onRequest(AffectedServicesRequest, async (raw: unknown, token: CancellationToken): Promise<AffectedServicesResult> => {
    const parsed = parseAffectedParams(raw);
    if ('error' in parsed) throw new ResponseError(ErrorCodes.InvalidParams, `pymono/affectedServices: ${parsed.error}`);
    try {
      return await affectedServices(deps, parsed.params, () => token.isCancellationRequested);
    } catch (err) {
      // affectedServices reports problems itself; this is a bug: log it and answer with what is known.
      deps.logError('affected services', err);
      return { version: deps.state.generation, roots: [] };
    }
  });
}

// ---------------------------------------------------------------------------------------------------------

function emptyRoot(rootUri: string, problems: AffectedProblem[], compared = ''): AffectedRoot {
  return { rootUri, compared, changedFiles: [], services: [], devAffected: [], problems };
}

function queryOf(params: AffectedServicesParams): ChangeQuery | undefined {
  if (params.mode === 'all') return undefined;
  if (params.mode === 'uncommitted') return { mode: 'uncommitted' };
  if (params.mode === 'editor') return params.defaultBranch !== undefined ? { mode: 'editor', defaultBranch: params.defaultBranch } : { mode: 'editor' };
  return { mode: 'range', base: params.mode.base };
}

async function affectedOfRoot(deps: AffectedDeps, root: string, params: AffectedServicesParams): Promise<AffectedRoot> {
  const rootUri = pathToUri(root);
  const query = queryOf(params);
  let set: ChangeSet | undefined;
  let diffs: LockDiff[] = [];
  if (query) {
    try {
      set = await listChanges(deps.host, root, query);
      diffs = await loadLockDiffs(deps.host, { repoRoot: set.repoRoot, base: set.base, head: set.head }, set.files);
    } catch (err) {
      return emptyRoot(rootUri, [{ message: `cannot list the changes of ${root}: ${err instanceof Error ? err.message : String(err)}` }]);
    }
  }
  const answer = await deps.state.run(root, async (ws) => {
    if (!set) return allServices(ws, deps.host, rootUri, params.services);
    const changes = set;
    const impact = computeChangeImpact(ws, changes.files, diffs);
    const wanted = params.services ? impact.services.filter((s) => params.services?.includes(s.name)) : impact.services;
    const { plans, problems } = await planBuilds(ws, deps.host, wanted);
    const byName = new Map(plans.map((p) => [p.service, p]));
    return {
      rootUri,
      compared: changes.description,
      changedFiles: impact.changedFiles.filter((f) => isInside(f, root)).map(pathToUri),
      services: wanted.map((s) => serviceInfo(s.name, s.via, s.reason, byName.get(s.name))),
      devAffected: impact.devAffected.map((d) => ({ id: d.id, via: [...d.via], reason: d.reason, service: d.service })),
      problems: [...impact.problems, ...problems].map(toProblem),
    } satisfies AffectedRoot;
  });
  return answer ?? emptyRoot(rootUri, [{ message: `the workspace at ${root} could not be analysed (see the pymono log)` }]);
}

/** Mode `all`: every service (or the named ones) with its build, reason `REQUESTED_REASON`. */
async function allServices(ws: Workspace, host: Host, rootUri: string, only: string[] | undefined): Promise<AffectedRoot> {
  const services = ws
    .packages()
    .filter((p) => p.kind === 'service' && (only === undefined || only.includes(p.id)))
    .map((p) => ({ name: p.id, reason: REQUESTED_REASON }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { plans, problems } = await planBuilds(ws, host, services);
  const byName = new Map(plans.map((p) => [p.service, p]));
  return {
    rootUri,
    compared: only === undefined ? 'every service (no comparison)' : `the services asked for: ${only.join(', ')}`,
    changedFiles: [],
    services: services.map((s) => serviceInfo(s.name, [s.name], s.reason, byName.get(s.name))),
    devAffected: [],
    problems: problems.map(toProblem),
  };
}

function serviceInfo(name: string, via: string[], reason: string, plan: BuildPlan | undefined): AffectedServiceInfo {
  const info: AffectedServiceInfo = { name, via: [...via], reason };
  if (plan?.command !== undefined) {
    info.build = { command: plan.command, shell: plan.argv === undefined, cwd: plan.cwd, source: plan.source ?? 'config', origin: plan.origin, reason };
    if (plan.argv) info.build.args = [...plan.argv];
  } else info.noBuild = plan?.origin ?? `no build plan for ${name}`;
  return info;
}

function toProblem(p: ManifestProblem): AffectedProblem {
  return { message: p.message, uri: pathToUri(p.file), range: toLspRange(p.range) };
}

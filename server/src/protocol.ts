/**
 * pymono's custom LSP messages, under the `pymono/*` method namespace. This is the ONE file the VS Code client
 * imports from the server: every payload is plain JSON (no class instances, no core types), and every payload
 * that describes analysis state carries the `version` it was computed at, so a receiver can drop stale data.
 *
 * Each constant says which way it flows. Use these constants with `sendRequest` / `onNotification`; never
 * a method name string.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Version of this protocol file's shapes; bump on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** The server's indexing state. */
export type ServerState = 'indexing' | 'ready' | 'error';

/**
 * Payload of `pymono/status`.
 * - `version`: the server's analysis generation (increments whenever any root's findings or graph change).
 * - `packages`: number of workspace packages over all roots.
 * - `message`: for `error`, what went wrong (also logged to the output channel); for others, optional detail.
 */
export interface StatusParams {
  version: number;
  state: ServerState;
  packages: number;
  message?: string;
}

/**
 * server -> client notification: indexing started, finished, or a handler failed. Sent once with `indexing`
 * when roots start loading, then `ready` (or `error`) and again after every change that updates the graph.
 */
export const StatusNotification = new NotificationType<StatusParams>('pymono/status');

/** One declared requirement edge between two internal packages, as plain JSON. */
export interface SnapshotEdge {
  /** Id (PEP 503 name) of the dependent package. */
  from: string;
  /** Id of the dependency. */
  to: string;
  kind: 'runtime' | 'optional' | 'dev';
  /** The group, extra or requirements file that declares it, when not the main dependencies. */
  group?: string;
  /** URI of the manifest declaring the edge and the 0-based range of the entry. */
  uri: string;
  range: SnapshotRange;
  /** The entry's text as written. */
  raw: string;
}

/** A 0-based, UTF-16 range (the LSP convention). */
export interface SnapshotRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A workspace package, as plain JSON (a subset of the core's PackageInfo with URIs instead of paths). */
export interface SnapshotPackage {
  /** PEP 503 normalized name: the id used by edges. */
  id: string;
  /** Name as written in the manifest. */
  name: string;
  version?: string;
  description?: string;
  kind: 'service' | 'library' | 'other';
  kindReason: string;
  format: 'pep621' | 'poetry' | 'requirements' | 'dockerfile';
  /** URI of the package folder. */
  rootUri: string;
  /** URI of the manifest defining the package. */
  manifestUri: string;
  /** URIs of every manifest contributing requirements. */
  manifestUris: string[];
  /** Dotted import names the package provides. */
  modules: string[];
  scripts: Record<string, string>;
  virtual: boolean;
  /** Number of declared requirements (internal and third-party). */
  requirementCount: number;
}

/** The graph of one workspace folder. */
export interface SnapshotRoot {
  /** URI of the workspace folder. */
  rootUri: string;
  /** The core workspace's own version for this root. */
  version: number;
  packages: SnapshotPackage[];
  edges: SnapshotEdge[];
}

/** Result of `pymono/graphSnapshot`. `version` is the server's analysis generation (see StatusParams). */
export interface GraphSnapshot {
  version: number;
  roots: SnapshotRoot[];
}

/**
 * client -> server request: the package graph of every workspace folder, consistent with every edit the server
 * has processed so far (it waits for pending analysis of each root before answering). Feeds the package tree.
 */
export const GraphSnapshotRequest = new RequestType0<GraphSnapshot, void>('pymono/graphSnapshot');

/**
 * Payload of `pymono/graphChanged`: `version` is the server's analysis generation (see StatusParams) after the
 * change; a `GraphSnapshotRequest` answered later carries this version or a newer one.
 */
export interface GraphChangedParams {
  version: number;
}

/**
 * server -> client notification: the package graph or the findings of some root changed (a root was added or
 * removed, a manifest or source edit was processed). Sent at most once per generation, after the change is
 * applied; the package tree answers it by requesting a fresh `GraphSnapshotRequest`.
 */
export const GraphChangedNotification = new NotificationType<GraphChangedParams>('pymono/graphChanged');

/**
 * Which changes `pymono/affectedServices` considers:
 * - `editor`: the working tree (uncommitted and untracked files included) plus the commits since the merge base
 *   with the default branch (`defaultBranch`, else `origin/HEAD`, `main`, `master`; uncommitted changes only
 *   when none exists);
 * - `uncommitted`: staged, unstaged, untracked, deleted and renamed files;
 * - `{ base }`: the files changed between the merge base of `base` and HEAD, and the working tree;
 * - `all`: no git at all: every service, each with its build (what the `pymono` task provider lists).
 */
export type AffectedMode = 'editor' | 'uncommitted' | 'all' | { base: string };

/**
 * Params of `pymono/affectedServices`. `rootUri`: one workspace folder (default: every folder). `defaultBranch`:
 * the branch `editor` compares with (empty or absent: detected). `services`: keep only these package ids (the
 * task provider resolves one task with `mode: 'all', services: [id]`).
 */
export interface AffectedServicesParams {
  rootUri?: string;
  mode: AffectedMode;
  defaultBranch?: string;
  services?: string[];
}

/**
 * How to build one service (docs/rules.md, "Building"). `command` is the text shown to the user; with `shell`
 * false, `args` is the argv to run without a shell (program first); with `shell` true, `command` runs through
 * the shell. `cwd` is an absolute path. `source` says which rule chose it (`config`, `makefile`, `dockerfile`,
 * `uv`, `poetry`) and `origin` where it comes from (`services/api/Makefile`); `reason` why it is rebuilt.
 */
export interface AffectedBuild {
  command: string;
  args?: string[];
  shell: boolean;
  cwd: string;
  source: string;
  origin: string;
  reason: string;
}

/**
 * One affected service. `via` runs from a changed package to the service (`[lib, service]`); `reason` says it in
 * words (`libs/a/x.py changed (lib) → svc`). Exactly one of `build` (how to rebuild it) and `noBuild` (what to
 * configure, as no build command applies) is set.
 */
export interface AffectedServiceInfo {
  name: string;
  via: string[];
  reason: string;
  build?: AffectedBuild;
  noBuild?: string;
}

/** A package only a development edge reaches: its tests are affected, not its image. */
export interface DevAffectedInfo {
  id: string;
  via: string[];
  reason: string;
  service: boolean;
}

/** Something that kept the answer from being complete (not a git repository, an unreadable lock file). */
export interface AffectedProblem {
  message: string;
  /** The file concerned and the 0-based range, when there is one. */
  uri?: string;
  range?: SnapshotRange;
}

/** The answer for one workspace folder. `compared` says in words what was compared; `changedFiles` are URIs. */
export interface AffectedRoot {
  rootUri: string;
  compared: string;
  changedFiles: string[];
  services: AffectedServiceInfo[];
  devAffected: DevAffectedInfo[];
  problems: AffectedProblem[];
}

/** Result of `pymono/affectedServices`. `version` is the server's analysis generation (see StatusParams). */
export interface AffectedServicesResult {
  version: number;
  roots: AffectedRoot[];
}

/**
 * client -> server request: the services affected by the changes `mode` selects, with their reasons and build
 * commands, per workspace folder. A git failure (not a repository, unknown ref) comes back as a problem of that
 * root, never as an error; malformed params are answered with an InvalidParams error. Runs nothing but git.
 */
export const AffectedServicesRequest = new RequestType<AffectedServicesParams, AffectedServicesResult, void>('pymono/affectedServices');

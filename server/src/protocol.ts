/**
 * pymono's custom LSP messages, under the `pymono/*` method namespace. This is the ONE file the VS Code client
 * imports from the server: every payload is plain JSON (no class instances, no core types), and every payload
 * that describes analysis state carries the `version` it was computed at, so a receiver can drop stale data.
 *
 * Each constant says which way it flows. Use these constants with `sendRequest` / `onNotification`; never
 * a method name string.
 */
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

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

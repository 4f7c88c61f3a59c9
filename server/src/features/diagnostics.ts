/**
 * Push-model diagnostics (`textDocument/publishDiagnostics`). Remembers what was last published for each file
 * so that after a change only the files whose findings changed are re-sent, and files that became clean get
 * an empty list. Findings are converted in convert.ts; this module only decides what to send.
 */
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { Finding } from '../core/model';
import { findingToDiagnostic, pathToUri } from '../convert';

/** The part of a core Workspace diagnostics need. */
export interface FindingSource {
  findings(): Finding[];
  findingsFor?(file: string): Finding[];
  /** The files whose findings changed in the last update, or `'all'` (see Workspace.lastChange). */
  lastChange?: { files: readonly string[] | 'all' };
}

/** How the publisher reaches the editor and learns about open documents. */
export interface PublisherDeps {
  /** Sends one `textDocument/publishDiagnostics`. */
  send(params: PublishDiagnosticsParams): void;
  /** The URI the client uses for `file` (an open document's own URI), defaulting to `file:` of the path. */
  uriFor?(file: string): string | undefined;
  /** The version of the open document for `file`, if it is open. */
  versionOf?(file: string): number | undefined;
}

/**
 * Notebooks are scanned by the core but their findings are positions in the JSON file, which no editor shows
 * as such; they are left out of the push model.
 */
function isPublishable(file: string): boolean {
  return !file.toLowerCase().endsWith('.ipynb');
}

/** Tracks the last published diagnostics per file (absolute path) and publishes differences. */
export class DiagnosticsPublisher {
  /** file -> fingerprint (JSON) of the diagnostics last sent; absent means "nothing (or []) was sent". */
  private readonly published = new Map<string, string>();
  private enabled = true;

  constructor(private readonly deps: PublisherDeps) {}

  /** Files that currently have non-empty published diagnostics. */
  publishedFiles(): string[] {
    return [...this.published.keys()];
  }

  /**
   * Turns publishing on or off. Turning it off clears every published file; turning it on publishes nothing by
   * itself (the caller re-syncs its roots).
   */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (!enabled) this.clear(() => true);
  }

  /**
   * Publishes the findings of `source` for the files `owns` accepts (the files of one root), sending only files
   * whose diagnostics differ from the last publication, `[]` for owned files that became clean, and always the
   * files in `force` (the edited document, so the client gets a result for its latest version).
   * Returns the files sent.
   */
  sync(source: FindingSource, owns: (file: string) => boolean, force: readonly string[] = []): string[] {
    if (!this.enabled) return [];
    const forced = new Set(force.filter(owns));
    const changed = source.lastChange?.files;
    if (changed !== undefined && changed !== 'all' && source.findingsFor) {
      // An edit that changed only some files (a Python document re-checked alone): look at those files only,
      // not at every finding of the root.
      return this.syncFiles(source as Required<Pick<FindingSource, 'findingsFor'>>, new Set([...changed, ...forced].filter(owns)), forced);
    }
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of source.findings()) {
      if (!owns(f.file) || !isPublishable(f.file)) continue;
      let list = byFile.get(f.file);
      if (!list) byFile.set(f.file, (list = []));
      list.push(findingToDiagnostic(f));
    }
    const sent: string[] = [];
    for (const [file, diagnostics] of byFile) {
      const fingerprint = JSON.stringify(diagnostics);
      if (this.published.get(file) === fingerprint && !forced.has(file)) continue;
      this.published.set(file, fingerprint);
      this.send(file, diagnostics);
      sent.push(file);
    }
    for (const file of [...this.published.keys()]) {
      if (byFile.has(file) || !owns(file)) continue;
      this.published.delete(file);
      this.send(file, []);
      sent.push(file);
    }
    for (const file of forced) {
      if (byFile.has(file) || sent.includes(file)) continue;
      this.send(file, []);
      sent.push(file);
    }
    return sent;
  }

  private syncFiles(source: Required<Pick<FindingSource, 'findingsFor'>>, files: Set<string>, forced: Set<string>): string[] {
    const sent: string[] = [];
    for (const file of files) {
      if (!isPublishable(file)) continue;
      const diagnostics = source.findingsFor(file).map(findingToDiagnostic);
      const fingerprint = diagnostics.length > 0 ? JSON.stringify(diagnostics) : undefined;
      if (this.published.get(file) === fingerprint && !forced.has(file)) continue;
      if (fingerprint === undefined) this.published.delete(file);
      else this.published.set(file, fingerprint);
      this.send(file, diagnostics);
      sent.push(file);
    }
    return sent;
  }

  /** Publishes `[]` for every published file `owns` accepts (a removed root, or publishing turned off). */
  clear(owns: (file: string) => boolean): void {
    for (const file of [...this.published.keys()]) {
      if (!owns(file)) continue;
      this.published.delete(file);
      this.send(file, []);
    }
  }

  private send(file: string, diagnostics: Diagnostic[]): void {
    const uri = this.deps.uriFor?.(file) ?? pathToUri(file);
    const params: PublishDiagnosticsParams = { uri, diagnostics };
    const version = this.deps.versionOf?.(file);
    if (version !== undefined) params.version = version;
    this.deps.send(params);
  }
}

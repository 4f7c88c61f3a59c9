/**
 * What the client knows about its language server, as one observable value: starting, indexing, ready (with the
 * package count) or failed. Fed by `pymono/status` notifications and by the language client's own state
 * (a server that stopped or never started). The status item and the package tree both read it.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

/** The server as the UI shows it. */
export type ServerPhase = 'starting' | 'indexing' | 'ready' | 'error';

/** A snapshot of the server's state. */
export interface ServerStatusView {
  phase: ServerPhase;
  /** Workspace packages over all roots, as last reported (0 before the first report). */
  packages: number;
  /** For `error`: what went wrong. */
  message?: string;
}

/** Holds the latest ServerStatusView and fires on every change. Owned by the extension context. */
export class ServerStatus implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ServerStatusView>();
  /** Fires with the new view after every change. */
  readonly onDidChange = this.emitter.event;
  private view: ServerStatusView = { phase: 'starting', packages: 0 };

  /** The current view. */
  get current(): ServerStatusView {
    return this.view;
  }

  /** Applies a `pymono/status` notification. */
  fromServer(status: StatusParams): void {
    this.set({ phase: status.state, packages: status.packages, ...(status.state === 'error' && status.message ? { message: status.message } : {}) });
  }

  /** The server is (re)starting. */
  starting(): void {
    this.set({ phase: 'starting', packages: this.view.packages });
  }

  /** The server failed to start or stopped unexpectedly. */
  failed(message: string): void {
    this.set({ phase: 'error', packages: this.view.packages, message });
  }

  private set(view: ServerStatusView): void {
    this.view = view;
    this.emitter.fire(view);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

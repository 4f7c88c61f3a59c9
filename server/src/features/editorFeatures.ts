/**
 * Wires the editor features on a connection: hover, Go to Definition, document links and code actions. Every
 * handler failure is logged and answered with `null`, never taking the server down.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { FeatureDeps } from './featureContext';
import { provideHover } from './hover';
import { provideDefinition } from './definition';
import { provideDocumentLinks } from './documentLinks';
import { provideCodeActions } from './codeActions';

/** Registers the four handlers on `connection`; the capabilities are declared by the server's `initialize`. */
export function registerEditorFeatures(connection: Connection, deps: FeatureDeps): void {
  const guard =
    <P, R>(where: string, fn: (p: P) => Promise<R | undefined>) =>
    async (p: P, token: CancellationToken): Promise<R | null> => {
      try {
        const result = token.isCancellationRequested ? undefined : await fn(p);
        // The answer of a cancelled request is dropped by the client anyway: say so cheaply.
        return token.isCancellationRequested ? null : (result ?? null);
      } catch (err) {
        deps.logError(where, err);
        return null;
      }
    };
  connection.onHover(guard('hover', (p) => provideHover(deps, p.textDocument.uri, p.position)));
  connection.onDefinition(guard('definition', (p) => provideDefinition(deps, p.textDocument.uri, p.position)));
  connection.onDocumentLinks(guard('document links', (p) => provideDocumentLinks(deps, p.textDocument.uri)));
  connection.onCodeAction(guard('code actions', (p) => provideCodeActions(deps, p)));
}

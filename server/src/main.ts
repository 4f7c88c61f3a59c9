/**
 * Entry point of the language server (bundled to dist/server.js). The transport comes from argv:
 * `--node-ipc` when VS Code's client starts it, `--stdio` for other editors, `--socket=<port>` / `--pipe=<name>`
 * as vscode-languageserver supports them. Nothing here (or anywhere in the server) writes to stdout: with
 * `--stdio` it is the protocol channel, so logs go to the connection's console (the client's output channel).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createNodeHost } from './host/nodeHost';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const host = createNodeHost({ log: (message) => connection.console.log(message) });

// A bug must not end the session: log it; the handler that failed has already reported status `error`.
process.on('uncaughtException', (err) => connection.console.error(`pymono: uncaught exception: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  connection.console.error(`pymono: unhandled rejection: ${text}`);
});

startServer(connection, host);

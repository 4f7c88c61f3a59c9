/**
 * The `file:` URL of the rules documentation shipped with pymono: `docs/rules.md` beside the `dist/` folder that
 * holds this bundle (in the repository and in the installed extension alike).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `file:///…/docs/rules.md` for the running bundle (`dist/server.js` or `dist/cli.js`). */
export function shippedRulesDoc(): string {
  return pathToFileURL(path.join(__dirname, '..', 'docs', 'rules.md')).href;
}

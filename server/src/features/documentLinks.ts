/**
 * `textDocument/documentLink` in manifests: every entry that names a workspace package (a dependency entry, a
 * `[tool.uv.sources]` key, a Poetry `path = "..."` value, a requirements `-e ../x` line) links to that
 * package's pyproject.toml (or requirements.txt for a requirements-only app). Core: entryAt.ts `manifestLinks`.
 */
import type { DocumentLink } from 'vscode-languageserver/node';
import { manifestLinks } from '../core/entryAt';
import { toLspRange } from '../convert';
import { type FeatureDeps, isManifestDocument, readText, uriOf, withWorkspace } from './featureContext';

/** The links of the manifest `uri`; `undefined` for other documents. */
export async function provideDocumentLinks(deps: FeatureDeps, uri: string): Promise<DocumentLink[] | undefined> {
  return withWorkspace(deps, uri, async (ws, file): Promise<DocumentLink[] | undefined> => {
    if (!isManifestDocument(ws, file)) return undefined;
    const text = await readText(deps, file);
    if (text === undefined) return undefined;
    return manifestLinks(file, text, ws.packages()).map((l) => ({
      range: toLspRange(l.range),
      target: uriOf(deps, l.target),
      tooltip: `Open ${l.target.split(/[\\/]/).slice(-2).join('/')}`,
    }));
  });
}

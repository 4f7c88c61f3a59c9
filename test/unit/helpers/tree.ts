/**
 * Test helpers: real folders on disk built from a { relative path: content } map, and a Workspace loaded over
 * them with the real Node host (scanning in-thread so tests do not depend on the worker bundle).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeHost, type NodeHost } from '../../../server/src/host/nodeHost';
import { Workspace } from '../../../server/src/core/workspace';
import type { Finding } from '../../../server/src/core/model';

/** Writes `files` under a new temp folder and returns its real absolute path. */
export function writeTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-test-')));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

/** Copies a folder (fixture or example) into a temp folder and returns the copy's real path. */
export function copyTree(src: string): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-copy-')));
  fs.cpSync(src, root, { recursive: true });
  return root;
}

/** A Node host that scans in the current thread; logs are collected in `logs`. */
export function testHost(): NodeHost & { logs: string[] } {
  const logs: string[] = [];
  const host = createNodeHost({ workers: 0, log: (m) => logs.push(m) });
  return Object.assign(host, { logs });
}

/** Loads a Workspace over `root` with a fresh test host. */
export async function load(root: string): Promise<{ ws: Workspace; host: NodeHost & { logs: string[] } }> {
  const host = testHost();
  const ws = await Workspace.load(root, host);
  return { ws, host };
}

/** Compact, comparable form of findings: `CODE rel/path:line(1-based) detail`. */
export function brief(root: string, findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} ${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1} ${f.module ?? f.distribution ?? ''}`.trim());
}

/** Project root of the repository (for examples/ and test/fixtures/). */
export const REPO = path.resolve(__dirname, '..', '..', '..');

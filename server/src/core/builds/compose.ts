/**
 * docker-compose files, read only for what building needs: which compose service builds which Dockerfile with
 * which build context (Compose specification, "Build support": `build` is either the context path or a table with
 * `context` — default `.` — and `dockerfile`, relative to the context, default `Dockerfile`; relative contexts
 * resolve against the compose file's folder). Remote contexts (git URLs) and `dockerfile_inline` are skipped.
 */
import * as path from 'node:path';
import { isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import type { ManifestProblem } from '../model';
import { FILE_START, lineRange } from '../model';
import { lineOf as lineAt, lineStarts } from '../manifests/textLines';

/** A compose service that builds an image from a local Dockerfile. Paths absolute; `line` 0-based (the service key). */
export interface ComposeBuild {
  service: string;
  file: string;
  line: number;
  context: string;
  dockerfile: string;
}

/**
 * Parses one compose file's text. Never throws: YAML errors and malformed `build` entries become problems
 * located in `file`; what could be read is returned.
 */
export function parseComposeBuilds(text: string, file: string): { builds: ComposeBuild[]; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const builds: ComposeBuild[] = [];
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => lineAt(starts, offset);
  const doc = parseDocument(text, { uniqueKeys: false });
  for (const err of doc.errors) {
    const line = err.linePos?.[0]?.line ?? 1;
    problems.push({ file, range: lineRange(line - 1, 0, 0), message: `${path.basename(file)}: ${err.message.split('\n')[0]}` });
  }
  const services = isMap(doc.contents) ? doc.contents.get('services', true) : undefined;
  if (services === undefined || services === null) return { builds, problems };
  if (!isMap(services)) {
    problems.push({ file, range: rangeOf(services as YamlNode, lineOf), message: `${path.basename(file)}: 'services' should be a mapping of service name to definition` });
    return { builds, problems };
  }
  const dir = path.dirname(file);
  for (const pair of services.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined || !isMap(pair.value)) continue;
    const line = rangeOf(pair.key as YamlNode, lineOf).start.line;
    const build: unknown = pair.value.get('build', true);
    if (build === undefined || build === null) continue;
    let context: unknown = '.';
    let dockerfile: unknown = 'Dockerfile';
    if (isScalar(build)) context = build.value;
    else if (isMap(build)) {
      if (build.has('dockerfile_inline')) continue;
      context = build.get('context') ?? '.';
      dockerfile = build.get('dockerfile') ?? 'Dockerfile';
    } else {
      problems.push({ file, range: rangeOf(build as YamlNode, lineOf), message: `${path.basename(file)}: services.${name}.build should be a path or a mapping with context/dockerfile` });
      continue;
    }
    if (typeof context !== 'string' || typeof dockerfile !== 'string') {
      problems.push({ file, range: rangeOf(build as YamlNode, lineOf), message: `${path.basename(file)}: services.${name}.build context and dockerfile should be strings` });
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) continue;
    const ctx = path.resolve(dir, context);
    builds.push({ service: name, file, line, context: ctx, dockerfile: path.resolve(ctx, dockerfile) });
  }
  return { builds, problems };
}

/** docker-compose file names (Compose specification: `compose.yaml`, `docker-compose.yml`, `compose.override.yml`, ...). */
export function isComposeFileName(name: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(name);
}


function rangeOf(node: YamlNode | undefined, lineOf: (offset: number) => number): ReturnType<typeof lineRange> {
  const start = node?.range?.[0];
  return start === undefined ? FILE_START : lineRange(lineOf(start), 0, 0);
}

/**
 * `pymono graph` default output: the packages in sections `Services`, `Libraries` and (when any) `Other`, each as
 * `name version (path)` followed by `-> dependencies` and `<- dependents` lines (omitted when empty); dev-only
 * edges carry ` (dev)`, optional ones ` (optional)`. Ends with a summary line.
 *
 * ```
 * Services (1)
 *   api 1.0.0 (services/api)
 *     -> acme-models, pytest-kit (dev)
 *
 * Libraries (1)
 *   acme-models 0.1.0 (libs/models)
 *     <- api
 *
 * 2 packages (1 service, 1 library), 2 internal edges
 * ```
 */
import type { GraphEdge, PackageInfo, PackageKind } from '../model';
import { neighbours, sortedPackages, type Neighbour } from './graphJson';
import { plural, relativePosix } from './paths';

const SECTIONS: { kind: PackageKind; title: string }[] = [
  { kind: 'service', title: 'Services' },
  { kind: 'library', title: 'Libraries' },
  { kind: 'other', title: 'Other' },
];

/** Renders the graph as text (see the module comment). `root` makes package paths relative. */
export function formatGraphText(packages: readonly PackageInfo[], edges: readonly GraphEdge[], root: string): string {
  const sorted = sortedPackages(packages);
  const blocks: string[] = [];
  for (const { kind, title } of SECTIONS) {
    const members = sorted.filter((p) => p.kind === kind);
    if (kind === 'other' && members.length === 0) continue;
    const lines = [`${title} (${members.length})`];
    if (members.length === 0) lines.push('  (none)');
    for (const p of members) {
      const version = p.version ? ` ${p.version}` : '';
      const virtual = p.virtual ? ' [virtual]' : '';
      lines.push(`  ${p.name}${version} (${relativePosix(root, p.root)})${virtual}`);
      const deps = neighbours(edges, p.id, 'out');
      const dependents = neighbours(edges, p.id, 'in');
      if (deps.length > 0) lines.push(`    -> ${list(deps)}`);
      if (dependents.length > 0) lines.push(`    <- ${list(dependents)}`);
    }
    blocks.push(lines.join('\n'));
  }
  const count = (k: PackageKind): number => sorted.filter((p) => p.kind === k).length;
  const kinds = [plural(count('service'), 'service'), `${count('library')} ${count('library') === 1 ? 'library' : 'libraries'}`];
  if (count('other') > 0) kinds.push(`${count('other')} other`);
  const edgeCount = sorted.reduce((n, p) => n + neighbours(edges, p.id, 'out').length, 0);
  blocks.push(`${plural(sorted.length, 'package')} (${kinds.join(', ')}), ${plural(edgeCount, 'internal edge')}`);
  return blocks.join('\n\n') + '\n';
}

function list(items: Neighbour[]): string {
  return items.map((n) => (n.kind === 'runtime' ? n.id : `${n.id} (${n.kind})`)).join(', ');
}

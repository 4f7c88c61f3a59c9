/**
 * `pymono graph --format dot`: the graph in Graphviz DOT (https://graphviz.org/doc/info/lang.html). Nodes are
 * package ids labelled `name\nversion`; services are boxes, libraries ellipses, others notes; edges point from the
 * dependent to the dependency, dev-only edges dashed, optional ones dotted. Render with `dot -Tsvg`.
 */
import type { GraphEdge, PackageInfo, PackageKind } from '../model';
import { neighbours, sortedPackages } from './graphJson';

const SHAPES: Record<PackageKind, string> = { service: 'box', library: 'ellipse', other: 'note' };

/** Renders the graph as a DOT digraph named `pymono` (trailing newline). `root` is unused: DOT shows no paths. */
export function formatGraphDot(packages: readonly PackageInfo[], edges: readonly GraphEdge[]): string {
  const sorted = sortedPackages(packages);
  const lines = ['digraph pymono {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const p of sorted) {
    const label = p.version ? `${p.name}\\n${escapeDot(p.version)}` : p.name;
    lines.push(`  ${quote(p.id)} [label="${escapeDot(label)}", shape=${SHAPES[p.kind]}];`);
  }
  for (const p of sorted) {
    for (const n of neighbours(edges, p.id, 'out')) {
      const style = n.kind === 'dev' ? ' [style=dashed, label="dev"]' : n.kind === 'optional' ? ' [style=dotted, label="optional"]' : '';
      lines.push(`  ${quote(p.id)} -> ${quote(n.id)}${style};`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A DOT double-quoted ID. */
function quote(id: string): string {
  return `"${escapeDot(id)}"`;
}

/** Escapes `"` for a DOT quoted string (backslash sequences like `\n` in labels are kept on purpose). */
function escapeDot(text: string): string {
  return text.replace(/"/g, '\\"');
}

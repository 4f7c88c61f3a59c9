/**
 * `pymono graph --format mermaid`: a Mermaid flowchart (https://mermaid.js.org/syntax/flowchart.html) that renders
 * in GitHub Markdown. Nodes get safe ids `p0`, `p1`, ... (in package id order) with the package name as label;
 * services are stadium-shaped, libraries rectangles, others hexagons; dev-only edges dotted with a `dev` label,
 * optional ones dotted with `optional`.
 */
import type { GraphEdge, PackageInfo, PackageKind } from '../model';
import { neighbours, sortedPackages } from './graphJson';

const SHAPES: Record<PackageKind, [string, string]> = { service: ['([', '])'], library: ['[', ']'], other: ['{{', '}}'] };

/** Renders the graph as a `flowchart LR` block (no Markdown fence; trailing newline). */
export function formatGraphMermaid(packages: readonly PackageInfo[], edges: readonly GraphEdge[]): string {
  const sorted = sortedPackages(packages);
  const ids = new Map(sorted.map((p, i) => [p.id, `p${i}`]));
  const lines = ['flowchart LR'];
  for (const p of sorted) {
    const [open, close] = SHAPES[p.kind];
    lines.push(`  ${ids.get(p.id)}${open}"${escapeLabel(p.name)}"${close}`);
  }
  for (const p of sorted) {
    for (const n of neighbours(edges, p.id, 'out')) {
      const to = ids.get(n.id);
      if (to === undefined) continue; // an edge to a package outside the list has no node to point at
      const arrow = n.kind === 'runtime' ? '-->' : `-.->|${n.kind}|`;
      lines.push(`  ${ids.get(p.id)} ${arrow} ${to}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Mermaid labels in double quotes cannot hold `"`; use the HTML entity Mermaid understands. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/**
 * `pymono affected` default output:
 *
 * ```
 * Changed files (1)
 *   libs/telemetry/src/acme/telemetry/logging.py
 * Changed packages: acme-telemetry
 * Affected packages (3): acme-models, acme-telemetry, api
 * Services to rebuild (1)
 *   api  via acme-telemetry -> acme-models -> api
 * ```
 * A changed file that no package owns still shows under "Changed files"; `(none)` marks empty lists.
 */
import { toAffectedRecord, type AffectedData } from './affectedJson';

/** Renders the affected result as text (see the module comment); ends with a newline. */
export function formatAffectedText(data: AffectedData, root: string): string {
  const r = toAffectedRecord(data, root);
  const lines = [`Changed files (${r.changedFiles.length})`];
  if (r.changedFiles.length === 0) lines.push('  (none)');
  for (const f of r.changedFiles) lines.push(`  ${f}`);
  lines.push(`Changed packages: ${r.changedPackages.length > 0 ? r.changedPackages.join(', ') : '(none)'}`);
  lines.push(`Affected packages (${r.affectedPackages.length}): ${r.affectedPackages.length > 0 ? r.affectedPackages.join(', ') : '(none)'}`);
  lines.push(`Services to rebuild (${r.services.length})`);
  if (r.services.length === 0) lines.push('  (none)');
  const width = Math.max(0, ...r.services.map((s) => s.name.length));
  for (const s of r.services) lines.push(`  ${s.name.padEnd(width)}  via ${s.via.join(' -> ')}`);
  return lines.join('\n') + '\n';
}

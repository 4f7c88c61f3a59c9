/**
 * Development dependency groups: PEP 735 `[dependency-groups]` (with `{ include-group = "name" }` expanded)
 * and PDM's `[tool.pdm.dev-dependencies]` (PDM docs, "Manage dependencies > Add development only dependencies").
 */
import type { DeclaredRequirement } from '../model';
import { normalizeName } from './pep508';
import type { ReadContext, TomlTable } from './pyprojectContext';
import { describe, displayPath, isTable, pep508List, pep508Requirement, report } from './pyprojectContext';
import type { TomlPath } from './tomlPositions';

interface Group {
  name: string;
  value: unknown;
  path: TomlPath;
}

/**
 * PEP 735 groups: every requirement gets kind `dev` and its group's name as written. An `include-group` entry
 * adds the included group's requirements (recursively, keeping their own ranges) to the including group too.
 * Group names are compared PEP 503-normalized, as PEP 735 requires. Problems: a group that is not an array, an
 * element that is neither a PEP 508 string nor `{ include-group = "name" }`, an include of a missing group, an
 * include cycle, two names that normalize alike.
 */
export function readDependencyGroups(ctx: ReadContext, groups: TomlTable | undefined): DeclaredRequirement[] {
  const byName = new Map<string, Group>();
  for (const [name, value] of Object.entries(groups ?? {})) {
    const norm = normalizeName(name);
    const path = ['dependency-groups', name];
    const clash = byName.get(norm);
    if (clash) report(ctx, path, `dependency group '${name}' has the same normalized name as '${clash.name}' (PEP 735)`, 'key');
    else byName.set(norm, { name, value, path });
  }

  const resolved = new Map<string, DeclaredRequirement[]>();
  const visiting: string[] = [];
  const resolve = (norm: string): DeclaredRequirement[] => {
    const done = resolved.get(norm);
    if (done) return done;
    const g = byName.get(norm);
    if (!g) return [];
    visiting.push(norm);
    const out: DeclaredRequirement[] = [];
    if (!Array.isArray(g.value)) {
      report(ctx, g.path, `dependency group '${g.name}' must be an array of PEP 508 strings and { include-group = "..." } tables, found ${describe(g.value)}`);
    } else {
      g.value.forEach((el: unknown, i) => {
        const p = [...g.path, i];
        if (typeof el === 'string') {
          const req = pep508Requirement(ctx, el, p, 'dev', g.name);
          if (req) out.push(req);
          return;
        }
        const target = includeTarget(ctx, el, p, g.name);
        if (target === undefined) return;
        const incPath = [...p, 'include-group'];
        const targetNorm = normalizeName(target);
        if (!byName.has(targetNorm)) {
          report(ctx, incPath, `dependency group '${g.name}' includes '${target}', which is not a group in [dependency-groups]`);
        } else if (visiting.includes(targetNorm)) {
          const cycle = [...visiting.slice(visiting.indexOf(targetNorm)), targetNorm].map((n) => byName.get(n)?.name ?? n);
          report(ctx, incPath, `dependency group include cycle: ${cycle.join(' -> ')}`);
        } else {
          for (const r of resolve(targetNorm)) out.push({ ...r, group: g.name });
        }
      });
    }
    visiting.pop();
    resolved.set(norm, out);
    return out;
  };

  const all: DeclaredRequirement[] = [];
  for (const norm of byName.keys()) all.push(...resolve(norm));
  return all;
}

/** The group named by `{ include-group = "name" }`, or a located problem for any other non-string element. */
function includeTarget(ctx: ReadContext, el: unknown, path: TomlPath, group: string): string | undefined {
  if (isTable(el)) {
    const keys = Object.keys(el);
    const target = el['include-group'];
    if (keys.length === 1 && typeof target === 'string') return target;
    if (keys.length === 1 && target !== undefined) {
      report(ctx, [...path, 'include-group'], `\`include-group\` must be a group name string, found ${describe(target)}`);
      return undefined;
    }
    report(ctx, path, `dependency group '${group}': a table entry must be exactly { include-group = "name" }, found keys ${keys.join(', ') || '(none)'}`);
    return undefined;
  }
  report(ctx, path, `\`${displayPath(path)}\` must be a PEP 508 string or { include-group = "name" }, found ${describe(el)}`);
  return undefined;
}

/** PDM `[tool.pdm.dev-dependencies]`: each group is an array of PEP 508 strings (kind `dev`, group name). */
export function readPdmDevDependencies(ctx: ReadContext, dev: TomlTable | undefined): DeclaredRequirement[] {
  const out: DeclaredRequirement[] = [];
  for (const [group, value] of Object.entries(dev ?? {})) {
    out.push(...pep508List(ctx, value, ['tool', 'pdm', 'dev-dependencies', group], 'dev', group));
  }
  return out;
}

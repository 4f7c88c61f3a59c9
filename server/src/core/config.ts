/**
 * `[tool.pymono]` in the workspace root pyproject.toml: kind globs, excludes, module mapping, severities and
 * per-package ignores (docs/rules.md, "Configuration"). Validation is lenient: a bad entry becomes a located
 * problem (reported as PM008) and the rest of the table still applies.
 */
import type { ManifestProblem, Range, RuleCode, Severity } from './model';
import { FILE_START } from './model';
import { isRuleCode, RULES } from './rules/registry';
import type { TomlPath, TomlPositions } from './manifests/tomlPositions';

/** The effective configuration. Globs are picomatch patterns relative to the root, POSIX separators. */
export interface PymonoConfig {
  services: string[];
  libraries: string[];
  exclude: string[];
  /** Distributions never reported as unused, on top of the built-in list. */
  noImport: string[];
  reportOptionalImports: boolean;
  /** Import name (dotted) -> distribution names. */
  mapping: Record<string, string[]>;
  /** Severity per rule; `off` disables it. */
  severity: Record<RuleCode, Severity | 'off'>;
  /** Package id (normalized) -> codes not reported for it. */
  perPackageIgnores: Record<string, RuleCode[]>;
}

/** The configuration with nothing set. */
export function defaultConfig(): PymonoConfig {
  const severity = {} as Record<RuleCode, Severity | 'off'>;
  for (const [code, info] of Object.entries(RULES)) severity[code as RuleCode] = info.severity;
  return { services: [], libraries: [], exclude: [], noImport: [], reportOptionalImports: false, mapping: {}, severity, perPackageIgnores: {} };
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Reads a raw `[tool.pymono]` table. `positions` locates problems in `file`; keys are validated, unknown keys
 * and wrong types are reported, never thrown.
 */
export function readConfig(
  table: Record<string, unknown> | undefined,
  file: string,
  positions: TomlPositions | undefined,
  normalize: (name: string) => string,
): { config: PymonoConfig; problems: ManifestProblem[] } {
  const config = defaultConfig();
  const problems: ManifestProblem[] = [];
  if (!table) return { config, problems };
  const where = (path: TomlPath): Range =>
    positions?.valueRange(['tool', 'pymono', ...path]) ?? positions?.keyRange(['tool', 'pymono', ...path]) ?? FILE_START;
  const problem = (path: TomlPath, message: string): void => {
    problems.push({ file, range: where(path), message: `[tool.pymono] ${path.join('.')}: ${message}` });
  };
  const strings = (key: string): string[] => {
    const v = table[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problem([key], 'expected an array of strings');
    return [];
  };

  for (const key of Object.keys(table)) {
    if (!['services', 'libraries', 'exclude', 'no-import', 'report-optional-imports', 'mapping', 'severity', 'per-package-ignores'].includes(key)) {
      problem([key], 'unknown setting');
    }
  }
  config.services = strings('services');
  config.libraries = strings('libraries');
  config.exclude = strings('exclude');
  config.noImport = strings('no-import').map(normalize);
  const roi = table['report-optional-imports'];
  if (roi !== undefined) {
    if (typeof roi === 'boolean') config.reportOptionalImports = roi;
    else problem(['report-optional-imports'], 'expected true or false');
  }

  const mapping = table['mapping'];
  if (mapping !== undefined) {
    if (isTable(mapping)) {
      for (const [mod, dist] of Object.entries(mapping)) {
        if (typeof dist === 'string') config.mapping[mod] = [normalize(dist)];
        else if (Array.isArray(dist) && dist.length > 0 && dist.every((d) => typeof d === 'string')) config.mapping[mod] = (dist as string[]).map(normalize);
        else problem(['mapping', mod], 'expected a distribution name or an array of names');
      }
    } else problem(['mapping'], 'expected a table of import name = distribution');
  }

  const severity = table['severity'];
  if (severity !== undefined) {
    if (isTable(severity)) {
      for (const [code, value] of Object.entries(severity)) {
        if (!isRuleCode(code)) problem(['severity', code], `unknown rule code '${code}'`);
        else if (typeof value !== 'string' || !SEVERITIES.has(value)) problem(['severity', code], 'expected one of error, warning, information, hint, off');
        else config.severity[code] = value as Severity | 'off';
      }
    } else problem(['severity'], 'expected a table of CODE = severity');
  }

  const ignores = table['per-package-ignores'];
  if (ignores !== undefined) {
    if (isTable(ignores)) {
      for (const [pkg, codes] of Object.entries(ignores)) {
        if (Array.isArray(codes) && codes.every((c) => typeof c === 'string' && isRuleCode(c))) {
          config.perPackageIgnores[normalize(pkg)] = codes as RuleCode[];
        } else problem(['per-package-ignores', pkg], 'expected an array of rule codes such as ["PM005"]');
      }
    } else problem(['per-package-ignores'], 'expected a table of package = [codes]');
  }
  return { config, problems };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

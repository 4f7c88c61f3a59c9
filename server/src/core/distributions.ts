/**
 * Import name ↔ distribution mapping. Given a dotted module as imported, says which PyPI distribution(s)
 * provide it, consulting in order: the user's `mapping` config, installed venv metadata (`venvMetadata.ts`),
 * the curated table (`curatedModules.ts`), the PEP 420 namespace rule (`google.cloud.bigquery` →
 * `google-cloud-bigquery`), and finally the PEP 503 normalized top-level name. Within each source the
 * longest dotted prefix of the module wins (`google.cloud.storage.blob` tries `google.cloud.storage.blob`,
 * `google.cloud.storage`, `google.cloud`, `google`).
 *
 * Namespace guard: below a namespace root, a key at or above the root matches only the module itself, so the
 * `google.cloud` files of google-cloud-core or the `opentelemetry` key of opentelemetry-api never swallow
 * `google.cloud.bigquery` or `opentelemetry.sdk`. Config keys are exempt: the user said so.
 */
import { normalizeName } from './manifests/pep508';
import {
  CURATED_MODULES,
  NAMESPACE_ROOTS,
  enclosingNamespaceRoot,
  namespacePrefix,
  type NamespaceRoot,
} from './curatedModules';
import type { VenvDistribution } from './venvMetadata';

/** Which source answered: user config, an installed venv, the curated table, the namespace rule, or the bare name. */
export type MappingReason = 'config' | 'venv' | 'table' | 'namespace' | 'name';

/** The answer of `DistributionIndex.resolve`. */
export interface DistributionMatch {
  /** Normalized distribution names, preferred first; empty only for the module `''`. */
  distributions: string[];
  reason: MappingReason;
  /** The dotted key that matched (a prefix of the module, or the module itself). */
  matchedModule: string;
  /** Human-readable origin: the site-packages path, `curated table`, `pymono.mapping`, the namespace root. */
  detail?: string;
  /** Installed version of the preferred distribution when a venv has it. */
  version?: string;
}

/** A candidate from one source: the distributions and where they came from. */
interface Entry {
  distributions: string[];
  detail: string;
}

/**
 * Distributions with no importable module of their own, or used only as CLI tools / plugins, so that the
 * unused-dependency rule does not flag them. Each group is here because code never (or almost never) imports it:
 * - servers run from the command line: gunicorn, uvicorn (importable, but deployments run it as a CLI),
 *   hypercorn, daphne, uvicorn-worker (named as a string in gunicorn's `-k`), supervisor, honcho;
 *   waitress is left out: apps call `waitress.serve()`;
 * - linters, formatters, type checkers: mypy, ruff, black, flake8, isort, pylint, pyright, autopep8, yapf,
 *   bandit, vulture, pyupgrade, autoflake, pydocstyle, codespell, pre-commit, interrogate, docformatter;
 *   plus the `flake8-*` plugin pattern;
 * - test runners and their plugins: tox, nox, coverage, and the `pytest-*` plugin pattern (pytest-cov,
 *   pytest-xdist, pytest-asyncio, pytest-mock ... load through entry points; pytest itself is imported);
 * - packaging and build backends: setuptools, wheel, pip, build, twine, hatch, hatchling, poetry-core,
 *   flit-core, pdm-backend, setuptools-scm, maturin, scikit-build-core, pip-tools, uv, poetry, pdm,
 *   virtualenv, pipenv, pyinstaller;
 * - release and docs tooling: bump2version, bumpversion, commitizen, towncrier, mkdocs, mkdocs-material,
 *   mkdocstrings, sphinx; notebooks: jupyter, jupyterlab, notebook, ipykernel; audits: safety, pip-audit;
 * - typing stubs: the `types-*` and `*-stubs` patterns (checked by `isNoImportDistribution`).
 * Left out on purpose: psycopg2-binary (provides `psycopg2`), database drivers loaded through SQLAlchemy URLs
 * (asyncpg, pymysql: add them with the `extra` list when a project only names them in a URL), alembic, celery.
 */
export const NO_IMPORT_DISTRIBUTIONS: readonly string[] = [
  'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'uvicorn-worker', 'supervisor', 'honcho',
  'mypy', 'ruff', 'black', 'flake8', 'isort', 'pylint', 'pyright', 'autopep8', 'yapf', 'bandit', 'vulture',
  'pyupgrade', 'autoflake', 'pydocstyle', 'codespell', 'pre-commit', 'interrogate', 'docformatter',
  'tox', 'nox', 'coverage',
  'setuptools', 'wheel', 'pip', 'build', 'twine', 'hatch', 'hatchling', 'poetry-core', 'flit-core', 'pdm-backend',
  'setuptools-scm', 'maturin', 'scikit-build-core', 'pip-tools', 'uv', 'poetry', 'pdm', 'virtualenv', 'pipenv',
  'pyinstaller',
  'bump2version', 'bumpversion', 'commitizen', 'towncrier', 'mkdocs', 'mkdocs-material', 'mkdocstrings', 'sphinx',
  'jupyter', 'jupyterlab', 'notebook', 'ipykernel', 'safety', 'pip-audit',
];

/** Name patterns (`*` = any run of characters) that are no-import distributions too. */
const NO_IMPORT_PATTERNS: readonly string[] = ['types-*', '*-stubs', 'pytest-*', 'flake8-*'];

const noImportSet = new Set(NO_IMPORT_DISTRIBUTIONS);

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/**
 * True when the normalized distribution is a no-import one: in `NO_IMPORT_DISTRIBUTIONS`, matching `types-*`,
 * `*-stubs`, `pytest-*` or `flake8-*`, or in `extra` (user config; names are normalized, `*` globs allowed).
 */
export function isNoImportDistribution(normalized: string, extra: string[] = []): boolean {
  const name = normalizeName(normalized);
  if (noImportSet.has(name)) return true;
  if (NO_IMPORT_PATTERNS.some((p) => globMatch(p, name))) return true;
  return extra.some((e) => globMatch(normalizeName(e.trim()), name));
}

/** The dotted prefixes of `module`, longest first. */
function prefixes(module: string): string[] {
  const parts = module.split('.');
  const out: string[] = [];
  for (let n = parts.length; n >= 1; n--) out.push(parts.slice(0, n).join('.'));
  return out;
}

/** Under namespace root `root`, may `key` (a prefix of `module`) answer for `module`? */
function keyAllowed(key: string, module: string, root: NamespaceRoot | undefined): boolean {
  return key === module || root === undefined || key.length > root.module.length;
}

/** The distribution the namespace rule names for `module` under `root` (`pubsub_v1` → `google-cloud-pubsub`). */
function namespaceDistribution(module: string, root: NamespaceRoot): { key: string; distribution: string } {
  const segment = module.slice(root.module.length + 1).split('.')[0] ?? '';
  const name = root.stripVersion ? segment.replace(/_v\d+(?:p\d+)?(?:(?:alpha|beta)\d*)?$/, '') : segment;
  return {
    key: `${root.module}.${segment}`,
    distribution: normalizeName(`${namespacePrefix(root)}-${name === '' ? segment : name}`),
  };
}

function pushUnique(target: string[], values: Iterable<string>): void {
  for (const v of values) if (!target.includes(v)) target.push(v);
}

/**
 * Maps import names to distributions for one workspace. Build it once per analysis with the user's
 * `mapping` (dotted module → distribution name(s), as written in config) and the distributions read from the
 * workspace's venvs; lookups are then in-memory and cheap (one map probe per dotted prefix per source).
 */
export class DistributionIndex {
  private readonly config = new Map<string, Entry>();
  private readonly venv = new Map<string, Entry>();
  private readonly table = new Map<string, Entry>();
  private readonly versions = new Map<string, string>();
  private readonly modulesByDist = new Map<string, string[]>();

  constructor(opts: { mapping?: Record<string, string | string[]>; venv?: VenvDistribution[] } = {}) {
    for (const [module, value] of Object.entries(opts.mapping ?? {})) {
      const names = (Array.isArray(value) ? value : [value]).map(normalizeName).filter((n) => n !== '');
      if (module.trim() === '' || names.length === 0) continue;
      this.config.set(module.trim(), { distributions: names, detail: 'pymono.mapping' });
      names.forEach((n) => this.addModule(n, module.trim()));
    }
    for (const dist of opts.venv ?? []) {
      if (!this.versions.has(dist.normalized)) this.versions.set(dist.normalized, dist.version);
      for (const module of dist.modules) {
        const entry = this.venv.get(module);
        if (entry) pushUnique(entry.distributions, [dist.normalized]);
        else this.venv.set(module, { distributions: [dist.normalized], detail: dist.sitePackages });
        this.addModule(dist.normalized, module);
      }
    }
    for (const row of CURATED_MODULES) {
      this.table.set(row.module, { distributions: row.distributions.map(normalizeName), detail: 'curated table' });
      row.distributions.forEach((d) => this.addModule(normalizeName(d), row.module));
    }
  }

  private addModule(distribution: string, module: string): void {
    const list = this.modulesByDist.get(distribution) ?? [];
    pushUnique(list, [module]);
    this.modulesByDist.set(distribution, list);
  }

  /** The keys of `source` that prefix `module` and may answer for it (namespace guard when `guard`), longest first. */
  private lookup(source: Map<string, Entry>, module: string, guard: boolean): { key: string; entry: Entry }[] {
    const root = guard ? enclosingNamespaceRoot(module) : undefined;
    const hits: { key: string; entry: Entry }[] = [];
    for (const key of prefixes(module)) {
      const entry = source.get(key);
      if (entry && keyAllowed(key, module, root)) hits.push({ key, entry });
    }
    return hits;
  }

  /** Every source's answer for `module`, in resolution order, each with its longest key first. */
  private candidates(module: string): DistributionMatch[] {
    const out: DistributionMatch[] = [];
    const add = (reason: MappingReason, hits: { key: string; entry: Entry }[]): void => {
      for (const { key, entry } of hits) {
        out.push({ distributions: [...entry.distributions], reason, matchedModule: key, detail: entry.detail });
      }
    };
    add('config', this.lookup(this.config, module, false));
    add('venv', this.lookup(this.venv, module, true));
    add('table', this.lookup(this.table, module, true));
    const root = enclosingNamespaceRoot(module);
    if (root) {
      const { key, distribution } = namespaceDistribution(module, root);
      out.push({ distributions: [distribution], reason: 'namespace', matchedModule: key, detail: `namespace ${root.module}` });
    } else {
      const top = module.split('.')[0] ?? module;
      out.push({ distributions: [normalizeName(top)], reason: 'name', matchedModule: top, detail: 'PEP 503 name' });
    }
    return out;
  }

  /**
   * The distribution(s) that provide the dotted `module` (absolute import, no leading dots), from the first
   * source that knows it: config mapping, venv metadata, curated table, namespace rule, PEP 503 top-level name.
   * `version` is set when a venv has the preferred distribution installed. `''` (a bare relative import) maps
   * to no distribution.
   */
  resolve(module: string): DistributionMatch {
    if (module === '') return { distributions: [], reason: 'name', matchedModule: '' };
    const first = this.candidates(module)[0];
    // candidates() always ends with a namespace or name answer, so `first` exists.
    const match = first ?? { distributions: [normalizeName(module)], reason: 'name' as const, matchedModule: module };
    const version = this.versions.get(match.distributions[0] ?? '');
    return version === undefined ? match : { ...match, version };
  }

  /**
   * Every normalized distribution that could provide `module`, preferred first: all hits of all sources, plus
   * the PEP 503 top-level name when the module is under no namespace root (declaring `jwt` satisfies
   * `import jwt` even though the table prefers `pyjwt`). Used to decide whether an import is declared.
   */
  providers(module: string): string[] {
    if (module === '') return [];
    const result: string[] = [];
    for (const c of this.candidates(module)) pushUnique(result, c.distributions);
    return result;
  }

  /**
   * The dotted modules a normalized distribution provides, for the unused-dependency rule: its venv modules,
   * config and table keys naming it, its own name with `-` → `_`, and for namespace-style names the dotted
   * form (`google-cloud-storage` → `google.cloud.storage`, `azure-mgmt-compute` → `azure.mgmt.compute`).
   */
  importNamesOf(distribution: string): string[] {
    const name = normalizeName(distribution);
    const result = [...(this.modulesByDist.get(name) ?? [])];
    pushUnique(result, [name.replace(/-/g, '_')]);
    let best: NamespaceRoot | undefined;
    for (const root of NAMESPACE_ROOTS) {
      const prefix = `${namespacePrefix(root)}-`;
      if (name.startsWith(prefix) && name.length > prefix.length) {
        if (best === undefined || namespacePrefix(root).length > namespacePrefix(best).length) best = root;
      }
    }
    if (best) pushUnique(result, [`${best.module}.${name.slice(namespacePrefix(best).length + 1).replace(/-/g, '_')}`]);
    return result;
  }

  /** The version installed in a scanned venv (first venv wins), or `undefined`. */
  installedVersion(distribution: string): string | undefined {
    return this.versions.get(normalizeName(distribution));
  }
}

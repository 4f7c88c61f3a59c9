import { strict as assert } from 'node:assert';
import {
  DistributionIndex,
  NO_IMPORT_DISTRIBUTIONS,
  isNoImportDistribution,
} from '../../server/src/core/distributions';
import { CURATED_MODULES } from '../../server/src/core/curatedModules';
import type { VenvDistribution } from '../../server/src/core/venvMetadata';

const SITE = '/repo/.venv/lib/python3.12/site-packages';
const venvDist = (name: string, version: string, modules: string[]): VenvDistribution => ({
  name, normalized: name.toLowerCase().replace(/[-_.]+/g, '-'), version, modules, sitePackages: SITE,
});

describe('curated module table', () => {
  it('has at least 150 entries with unique modules and normalized names', () => {
    assert.ok(CURATED_MODULES.length >= 150, `${CURATED_MODULES.length} entries`);
    assert.equal(new Set(CURATED_MODULES.map((c) => c.module)).size, CURATED_MODULES.length);
    for (const row of CURATED_MODULES) {
      assert.ok(row.distributions.length > 0, row.module);
      for (const d of row.distributions) assert.equal(d, d.toLowerCase().replace(/[-_.]+/g, '-'), `${row.module}: ${d}`);
    }
  });
});

describe('DistributionIndex.resolve', () => {
  const index = new DistributionIndex();

  it('maps well-known import-name mismatches from the curated table', () => {
    const cases: [string, string][] = [
      ['PIL.Image', 'pillow'], ['yaml', 'pyyaml'], ['sklearn.linear_model', 'scikit-learn'],
      ['cv2', 'opencv-python'], ['bs4', 'beautifulsoup4'], ['google.protobuf.json_format', 'protobuf'],
      ['jwt', 'pyjwt'], ['dateutil.parser', 'python-dateutil'], ['dotenv', 'python-dotenv'],
      ['Crypto.Cipher.AES', 'pycryptodome'], ['OpenSSL.crypto', 'pyopenssl'], ['serial', 'pyserial'],
      ['zmq.asyncio', 'pyzmq'], ['attr', 'attrs'], ['pkg_resources', 'setuptools'], ['win32api', 'pywin32'],
      ['MySQLdb', 'mysqlclient'], ['git', 'gitpython'], ['skimage.io', 'scikit-image'],
      ['kafka', 'kafka-python'], ['grpc', 'grpcio'], ['google.cloud.storage.blob', 'google-cloud-storage'],
      ['google.cloud.pubsub_v1', 'google-cloud-pubsub'], ['azure.storage.blob.aio', 'azure-storage-blob'],
      ['azure.identity', 'azure-identity'], ['opentelemetry.trace', 'opentelemetry-api'],
      ['opentelemetry.sdk.trace.export', 'opentelemetry-sdk'], ['opentelemetry', 'opentelemetry-api'],
      ['opentelemetry.exporter.otlp.proto.grpc.trace_exporter', 'opentelemetry-exporter-otlp-proto-grpc'],
    ];
    for (const [module, dist] of cases) {
      const m = index.resolve(module);
      assert.equal(m.reason, 'table', module);
      assert.equal(m.distributions[0], dist, module);
      assert.equal(m.detail, 'curated table');
    }
  });

  it('lists every distribution that provides a module, preferred first', () => {
    assert.deepEqual(index.resolve('psycopg2.extras').distributions, ['psycopg2', 'psycopg2-binary']);
    assert.equal(index.resolve('psycopg2.extras').matchedModule, 'psycopg2');
  });

  it('names namespace portions after their dotted path, longest namespace root first', () => {
    const cases: [string, string, string][] = [
      ['google.cloud.bigquery.client', 'google-cloud-bigquery', 'google.cloud.bigquery'],
      ['google.cloud.bigquery_storage_v1', 'google-cloud-bigquery-storage', 'google.cloud.bigquery_storage_v1'],
      ['azure.mgmt.compute.models', 'azure-mgmt-compute', 'azure.mgmt.compute'],
      ['azure.keyvault.secrets', 'azure-keyvault-secrets', 'azure.keyvault.secrets'],
      ['azure.servicebus', 'azure-servicebus', 'azure.servicebus'],
      ['opentelemetry.instrumentation.flask', 'opentelemetry-instrumentation-flask', 'opentelemetry.instrumentation.flask'],
      ['opentelemetry.propagators.b3', 'opentelemetry-propagator-b3', 'opentelemetry.propagators.b3'],
      ['backports.zoneinfo', 'backports-zoneinfo', 'backports.zoneinfo'],
      ['jaraco.functools', 'jaraco-functools', 'jaraco.functools'],
      ['zope.interface.declarations', 'zope-interface', 'zope.interface'],
      ['sphinxcontrib.napoleon', 'sphinxcontrib-napoleon', 'sphinxcontrib.napoleon'],
      ['airflow.providers.amazon.aws.hooks.s3', 'apache-airflow-providers-amazon', 'airflow.providers.amazon'],
    ];
    for (const [module, dist, key] of cases) {
      const m = index.resolve(module);
      assert.deepEqual([m.reason, m.distributions, m.matchedModule], ['namespace', [dist], key], module);
    }
  });

  it('keeps a table key above a namespace root from swallowing other portions', () => {
    assert.equal(index.resolve('airflow.models').distributions[0], 'apache-airflow');
    assert.equal(index.resolve('opentelemetry.distro').distributions[0], 'opentelemetry-distro');
    assert.equal(index.resolve('opentelemetry.propagators.textmap').distributions[0], 'opentelemetry-api');
  });

  it('falls back to the PEP 503 normalized top-level name', () => {
    const m = index.resolve('Flask_Cors.extension');
    assert.deepEqual([m.reason, m.distributions, m.matchedModule], ['name', ['flask-cors'], 'Flask_Cors']);
  });

  it('prefers config over venv, venv over the table, and honours dotted config keys', () => {
    const idx = new DistributionIndex({
      mapping: { yaml: 'ruamel_yaml_compat', 'acme.billing': ['Acme-Billing-SDK', 'acme-billing'] },
      venv: [venvDist('PyYAML', '6.0.1', ['yaml', '_yaml']), venvDist('pillow-simd', '9.0.0', ['PIL'])],
    });
    assert.deepEqual(idx.resolve('yaml.loader'), {
      distributions: ['ruamel-yaml-compat'], reason: 'config', matchedModule: 'yaml', detail: 'pymono.mapping',
    });
    const pil = idx.resolve('PIL.Image');
    assert.deepEqual([pil.reason, pil.distributions, pil.detail, pil.version], ['venv', ['pillow-simd'], SITE, '9.0.0']);
    assert.deepEqual(idx.resolve('acme.billing.api').distributions, ['acme-billing-sdk', 'acme-billing']);
    assert.equal(idx.resolve('acme.other').reason, 'name');
  });

  it('maps a bare relative import (empty module) to no distribution', () => {
    assert.deepEqual(index.resolve('').distributions, []);
    assert.deepEqual(index.providers(''), []);
  });

  it('reports the installed version when the preferred distribution is in a venv', () => {
    const idx = new DistributionIndex({ venv: [venvDist('beautifulsoup4', '4.12.3', [])] });
    assert.equal(idx.resolve('bs4').version, '4.12.3');
    assert.equal(idx.installedVersion('BeautifulSoup4'), '4.12.3');
    assert.equal(idx.installedVersion('requests'), undefined);
  });

  it('lets the venv claim a namespace root only for the root itself', () => {
    const idx = new DistributionIndex({ venv: [venvDist('google-cloud-core', '2.4.1', ['google.cloud'])] });
    assert.equal(idx.resolve('google.cloud').reason, 'venv');
    assert.deepEqual(idx.resolve('google.cloud.tasks_v2').distributions, ['google-cloud-tasks']);
  });
});

describe('DistributionIndex.providers', () => {
  it('collects every source, the bare name included', () => {
    const idx = new DistributionIndex({ venv: [venvDist('PyJWT', '2.8.0', ['jwt'])] });
    assert.deepEqual(idx.providers('jwt.algorithms'), ['pyjwt', 'jwt']);
    assert.deepEqual(idx.providers('psycopg2'), ['psycopg2', 'psycopg2-binary']);
  });

  it('offers the otlp meta-package for a proto-specific exporter module', () => {
    assert.deepEqual(new DistributionIndex().providers('opentelemetry.exporter.otlp.proto.http.trace_exporter'), [
      'opentelemetry-exporter-otlp-proto-http', 'opentelemetry-exporter-otlp', 'opentelemetry-exporter-otlp-proto-grpc',
      'opentelemetry-exporter-otlp-proto-common',
    ]);
  });

  it('does not offer the namespace top level as a provider', () => {
    assert.deepEqual(new DistributionIndex().providers('google.cloud.bigquery'), ['google-cloud-bigquery']);
  });
});

describe('DistributionIndex.importNamesOf', () => {
  it('combines venv modules, table keys, config keys and the underscored name', () => {
    const idx = new DistributionIndex({
      mapping: { legacy_yaml: 'pyyaml' },
      venv: [venvDist('PyYAML', '6.0.1', ['yaml', '_yaml'])],
    });
    assert.deepEqual(idx.importNamesOf('PyYAML').sort(), ['_yaml', 'legacy_yaml', 'pyyaml', 'yaml']);
  });

  it('gives the dotted form of namespace-style distribution names', () => {
    const idx = new DistributionIndex();
    assert.ok(idx.importNamesOf('google-cloud-bigquery').includes('google.cloud.bigquery'));
    assert.ok(idx.importNamesOf('azure-mgmt-compute').includes('azure.mgmt.compute'));
    assert.ok(idx.importNamesOf('opentelemetry-instrumentation-flask').includes('opentelemetry.instrumentation.flask'));
    assert.ok(idx.importNamesOf('opentelemetry-propagator-b3').includes('opentelemetry.propagators.b3'));
    assert.ok(idx.importNamesOf('google-cloud-pubsub').includes('google.cloud.pubsub_v1'));
    assert.deepEqual(idx.importNamesOf('requests'), ['requests']);
  });
});

describe('no-import distributions', () => {
  it('lists CLI servers and dev tools but not importable libraries', () => {
    for (const d of ['gunicorn', 'uvicorn', 'mypy', 'ruff', 'black', 'pre-commit', 'setuptools', 'wheel', 'coverage']) {
      assert.ok(NO_IMPORT_DISTRIBUTIONS.includes(d), d);
    }
    for (const d of ['waitress', 'psycopg2-binary', 'alembic', 'celery', 'pytest']) assert.ok(!isNoImportDistribution(d), d);
  });

  it('matches stub and plugin patterns', () => {
    assert.ok(isNoImportDistribution('types-requests'));
    assert.ok(isNoImportDistribution('pandas-stubs'));
    assert.ok(isNoImportDistribution('pytest-cov'));
    assert.ok(isNoImportDistribution('flake8-bugbear'));
    assert.ok(!isNoImportDistribution('typesense'));
  });

  it('accepts extra names and globs from config, normalized', () => {
    assert.ok(isNoImportDistribution('asyncpg', ['AsyncPG']));
    assert.ok(isNoImportDistribution('sphinx-rtd-theme', ['sphinx_*']));
    assert.ok(!isNoImportDistribution('asyncpg', ['pymysql']));
  });
});

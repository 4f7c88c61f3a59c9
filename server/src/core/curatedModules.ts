/**
 * The curated import-name ↔ distribution table: modules whose import name is not their distribution's PEP 503
 * normalized name (`import yaml` comes from `pyyaml`), modules several distributions provide (`psycopg2`,
 * `cv2`), and the PEP 420 namespace roots (`google.cloud`, `azure`, `opentelemetry`, ...) under which the
 * distribution is named after the dotted path. Names that already match (`requests`, `flask_cors` →
 * `flask-cors`) are left out: the PEP 503 name rule finds them.
 *
 * Keys are dotted modules at the granularity that identifies the distribution; the longest key that prefixes an
 * import wins. Distribution names are PEP 503 normalized; the first one is the preferred one to add.
 */

/** One table row: `module` (dotted) is provided by any of `distributions` (normalized, preferred first). */
export interface CuratedModule {
  module: string;
  distributions: string[];
}

/**
 * A PEP 420 namespace root: `module` holds portions from many distributions, named `prefix-<next segment>`.
 * `prefix` defaults to the module with `.` → `-`; `stripVersion` drops a trailing API version from the segment
 * (`pubsub_v1` → `pubsub`), as the google-cloud-* libraries name their versioned modules.
 */
export interface NamespaceRoot {
  module: string;
  prefix?: string;
  stripVersion?: boolean;
}

/** Namespace roots, any order (lookups pick the longest match). Sub-namespaces are listed in full. */
export const NAMESPACE_ROOTS: readonly NamespaceRoot[] = [
  { module: 'google' },
  { module: 'google.cloud', stripVersion: true },
  { module: 'opentelemetry' },
  { module: 'opentelemetry.instrumentation' },
  { module: 'opentelemetry.exporter' },
  { module: 'opentelemetry.propagators', prefix: 'opentelemetry-propagator' },
  { module: 'opentelemetry.resource.detector', prefix: 'opentelemetry-resource-detector' },
  { module: 'opentelemetry.sdk.extension', prefix: 'opentelemetry-sdk-extension' },
  { module: 'azure' },
  ...[
    'ai', 'ai.language', 'cli', 'cognitiveservices', 'cognitiveservices.language', 'cognitiveservices.vision',
    'communication', 'data', 'developer', 'digitaltwins', 'iot', 'keyvault', 'kusto', 'messaging', 'mgmt',
    'mixedreality', 'monitor', 'search', 'security', 'storage', 'synapse',
  ].map((sub) => ({ module: `azure.${sub}` })),
  { module: 'airflow.providers', prefix: 'apache-airflow-providers' },
  { module: 'backports' },
  { module: 'jaraco' },
  { module: 'zope' },
  { module: 'zc' },
  { module: 'sphinxcontrib' },
  { module: 'flufl' },
  { module: 'ruamel' },
  { module: 'snowflake' },
  { module: 'databricks' },
];

/**
 * `module dist [alt ...]` rows, parsed into `CURATED_MODULES`. Grouped by domain; a comment says why when
 * the mapping is not obvious.
 */
const ROWS: readonly string[] = [
  // Imaging, science, machine learning
  'PIL pillow',
  'cv2 opencv-python opencv-python-headless opencv-contrib-python opencv-contrib-python-headless',
  'skimage scikit-image',
  'sklearn scikit-learn',
  'skopt scikit-optimize',
  'imblearn imbalanced-learn',
  'umap umap-learn',
  'mpl_toolkits matplotlib',
  'osgeo gdal',
  'Bio biopython',
  'igraph igraph python-igraph',
  'community python-louvain',
  'faiss faiss-cpu faiss-gpu',
  'llama_cpp llama-cpp-python',
  'whisper openai-whisper',
  'tensorflow tensorflow tensorflow-cpu tensorflow-gpu tensorflow-macos tf-nightly',
  'onnxruntime onnxruntime onnxruntime-gpu',
  'cupy cupy cupy-cuda12x cupy-cuda11x',
  'mmcv mmcv mmcv-full',
  'rdkit rdkit rdkit-pypi',
  'Box2D box2d-py box2d',
  'talib ta-lib',
  'delta delta-spark',
  'speech_recognition speechrecognition',
  'enchant pyenchant',
  'fitz pymupdf',
  'pdfminer pdfminer-six',
  'odf odfpy',
  'docx python-docx',
  'pptx python-pptx',
  'barcode python-barcode',
  'magic python-magic python-magic-bin',
  'ffmpeg ffmpeg-python',
  'vlc python-vlc',
  'mpv mpv python-mpv',
  'OpenGL pyopengl',
  'cairo pycairo',
  'gi pygobject',
  'wx wxpython',
  'Xlib python-xlib',
  'IPython ipython',
  'pyximport cython',
  '_cffi_backend cffi',
  // Serialization, parsing, text
  'yaml pyyaml',
  '_yaml pyyaml',
  'ruamel.yaml ruamel-yaml',
  '_ruamel_yaml ruamel-yaml-clib',
  'bs4 beautifulsoup4',
  'markdown_it markdown-it-py',
  'frontmatter python-frontmatter',
  'slugify python-slugify',
  'Levenshtein levenshtein python-levenshtein',
  'lark lark lark-parser',
  'antlr4 antlr4-python3-runtime',
  'readability readability-lxml',
  'newspaper newspaper3k',
  'mailparser mail-parser',
  'snappy python-snappy',
  'patoolib patool',
  'hcl pyhcl',
  'hcl2 python-hcl2',
  'box python-box',
  'pythonjsonlogger python-json-logger',
  'editor python-editor',
  'dateutil python-dateutil',
  'crontab python-crontab crontab',
  'ulid python-ulid ulid-py',
  'avro avro avro-python3',
  'bson pymongo bson',
  'gridfs pymongo',
  // Configuration, environment
  'dotenv python-dotenv',
  'decouple python-decouple',
  'environ django-environ environ-config',
  'hydra hydra-core',
  'attr attrs',
  'typing_extensions typing-extensions',
  'pkg_resources setuptools',
  '_distutils_hack setuptools',
  'future future',
  'past future',
  'libfuturize future',
  'libpasteurize future',
  'daemon python-daemon',
  'dbus dbus-python',
  'systemd systemd-python',
  'jnius pyjnius',
  'webview pywebview',
  // Security, crypto, auth
  'Crypto pycryptodome pycrypto',
  'Cryptodome pycryptodomex',
  'OpenSSL pyopenssl',
  'nacl pynacl',
  'jwt pyjwt',
  'jose python-jose',
  'jks pyjks',
  'pkcs11 python-pkcs11',
  'smartcard pyscard',
  'argon2 argon2-cffi',
  'saml2 pysaml2',
  'onelogin python3-saml',
  'kerberos pykerberos kerberos',
  'ldap python-ldap',
  // Networking, protocols, messaging
  'serial pyserial',
  'usb pyusb',
  'hid hidapi hid',
  'bluetooth pybluez',
  'can python-can',
  'RPi rpi-gpio',
  'zmq pyzmq',
  'socks pysocks',
  'sockshandler pysocks',
  'dns dnspython',
  'nmap python-nmap',
  'websocket websocket-client',
  'engineio python-engineio',
  'socketio python-socketio',
  'multipart python-multipart multipart',
  'python_multipart python-multipart',
  'kafka kafka-python kafka-python-ng',
  'confluent_kafka confluent-kafka',
  'nats nats-py',
  'paho paho-mqtt',
  'paho.mqtt paho-mqtt',
  'stomp stomp-py',
  'suds suds-community suds-py3 suds-jurko',
  'grpc grpcio',
  'grpc_tools grpcio-tools',
  'grpc_status grpcio-status',
  'grpc_health grpcio-health-checking',
  'grpc_reflection grpcio-reflection',
  'memcache python-memcached',
  'rediscluster redis-py-cluster',
  'consul python-consul',
  'libvirt libvirt-python',
  'ovirtsdk4 ovirt-engine-sdk-python',
  // Databases and data platforms
  'MySQLdb mysqlclient',
  'psycopg2 psycopg2 psycopg2-binary',
  'psycopg psycopg',
  'psycopg_binary psycopg-binary',
  'cassandra cassandra-driver',
  'opensearchpy opensearch-py',
  'impala impyla',
  'presto presto-python-client',
  'tortoise tortoise-orm',
  'snowflake.connector snowflake-connector-python',
  'snowflake.sqlalchemy snowflake-sqlalchemy',
  'snowflake.snowpark snowflake-snowpark-python',
  'databricks.sql databricks-sql-connector',
  'databricks.sdk databricks-sdk',
  'databricks.connect databricks-connect',
  'dbt dbt-core',
  'dogpile.cache dogpile-cache',
  'airflow apache-airflow',
  // Web frameworks and their plugins
  'rest_framework djangorestframework',
  'rest_framework_simplejwt djangorestframework-simplejwt',
  'rest_framework_nested drf-nested-routers',
  'corsheaders django-cors-headers',
  'django_filters django-filter',
  'debug_toolbar django-debug-toolbar',
  'crispy_forms django-crispy-forms',
  'storages django-storages',
  'allauth django-allauth',
  'phonenumber_field django-phonenumber-field',
  'taggit django-taggit',
  'mptt django-mptt',
  'polymorphic django-polymorphic',
  'guardian django-guardian',
  'import_export django-import-export',
  'oauth2_provider django-oauth-toolkit',
  'factory factory-boy',
  'vcr vcrpy',
  '_pytest pytest',
  'elasticapm elastic-apm',
  // SaaS clients
  'git gitpython',
  'github pygithub',
  'gitlab python-gitlab',
  'jenkins python-jenkins',
  'atlassian atlassian-python-api',
  'slack slackclient',
  'telegram python-telegram-bot',
  'discord discord-py',
  'facebook facebook-sdk',
  'msgraph msgraph-sdk',
  'hubspot hubspot-api-client',
  'shopify shopifyapi',
  'plaid plaid-python',
  'keystoneclient python-keystoneclient',
  'novaclient python-novaclient',
  'swiftclient python-swiftclient',
  'ansible ansible-core ansible',
  'aws_cdk aws-cdk-lib',
  // Windows / macOS bindings: pywin32 ships dozens of top-level modules
  ...[
    'win32api', 'win32con', 'win32com', 'win32gui', 'win32file', 'win32process', 'win32event', 'win32service',
    'win32serviceutil', 'win32clipboard', 'win32pipe', 'win32print', 'win32security', 'win32timezone',
    'win32pdh', 'win32net', 'win32crypt', 'win32ui', 'pythoncom', 'pywintypes', 'winerror', 'servicemanager',
  ].map((m) => `${m} pywin32`),
  'objc pyobjc-core pyobjc',
  'AppKit pyobjc-framework-cocoa pyobjc',
  'Foundation pyobjc-framework-cocoa pyobjc',
  'Quartz pyobjc-framework-quartz pyobjc',
  // Google (namespace `google`, `google.cloud`)
  'google.protobuf protobuf',
  'google._upb protobuf',
  'google.auth google-auth',
  'google.oauth2 google-auth',
  'google_auth_oauthlib google-auth-oauthlib',
  'google_auth_httplib2 google-auth-httplib2',
  'googleapiclient google-api-python-client',
  'apiclient google-api-python-client',
  'google.api_core google-api-core',
  'google.api googleapis-common-protos',
  'google.rpc googleapis-common-protos',
  'google.type googleapis-common-protos',
  'google.longrunning googleapis-common-protos',
  'google.logging.type googleapis-common-protos',
  'google.iam.v1 grpc-google-iam-v1',
  'google.resumable_media google-resumable-media',
  'google_crc32c google-crc32c',
  'vertexai google-cloud-aiplatform',
  'google.cloud.storage google-cloud-storage',
  'google.cloud.pubsub google-cloud-pubsub',
  'google.cloud.pubsub_v1 google-cloud-pubsub',
  'google.cloud.secretmanager google-cloud-secret-manager',
  'google.cloud.secretmanager_v1 google-cloud-secret-manager',
  'google.cloud.resourcemanager google-cloud-resource-manager',
  'google.cloud.resourcemanager_v3 google-cloud-resource-manager',
  'google.cloud.iam_credentials_v1 google-cloud-iam',
  'google.cloud.iam_admin_v1 google-cloud-iam',
  'google.cloud.firestore_admin_v1 google-cloud-firestore',
  'google.cloud.spanner_dbapi google-cloud-spanner',
  'google.cloud.sql.connector cloud-sql-python-connector',
  'google.cloud.alloydb.connector google-cloud-alloydb-connector',
  'google.cloud.devtools.cloudbuild google-cloud-build',
  'google.cloud.devtools.cloudbuild_v1 google-cloud-build',
  'google.cloud.metastore google-cloud-dataproc-metastore',
  'google.cloud.exceptions google-cloud-core',
  'google.cloud.client google-cloud-core',
  'google.cloud._helpers google-cloud-core',
  'google.cloud.environment_vars google-cloud-core',
  'firebase_admin firebase-admin',
  // Azure (namespace `azure` and its sub-namespaces)
  'azure.storage.blob azure-storage-blob',
  'azure.storage.filedatalake azure-storage-file-datalake',
  'azure.storage.fileshare azure-storage-file-share',
  'azure.identity azure-identity',
  'azure.core azure-core',
  'azure.durable_functions azure-functions-durable',
  'azure.eventhub.extensions.checkpointstoreblob azure-eventhub-checkpointstoreblob',
  'azure.eventhub.extensions.checkpointstoreblobaio azure-eventhub-checkpointstoreblob-aio',
  'azure.monitor.opentelemetry.exporter azure-monitor-opentelemetry-exporter',
  // OpenTelemetry: the API lives directly under `opentelemetry`; everything else is a namespace portion
  'opentelemetry opentelemetry-api',
  ...[
    'trace', 'context', 'metrics', 'propagate', 'propagators', 'baggage', 'util', 'environment_variables',
    '_logs', 'attributes', 'version', '_events',
  ].map((m) => `opentelemetry.${m} opentelemetry-api`),
  'opentelemetry.sdk opentelemetry-sdk',
  'opentelemetry.semconv opentelemetry-semantic-conventions',
  'opentelemetry.proto opentelemetry-proto',
  'opentelemetry.exporter.otlp opentelemetry-exporter-otlp opentelemetry-exporter-otlp-proto-grpc ' +
    'opentelemetry-exporter-otlp-proto-http opentelemetry-exporter-otlp-proto-common',
  'opentelemetry.exporter.otlp.proto.grpc opentelemetry-exporter-otlp-proto-grpc opentelemetry-exporter-otlp',
  'opentelemetry.exporter.otlp.proto.http opentelemetry-exporter-otlp-proto-http opentelemetry-exporter-otlp',
  'opentelemetry.exporter.otlp.proto.common opentelemetry-exporter-otlp-proto-common',
  'opentelemetry.exporter.cloud_trace opentelemetry-exporter-gcp-trace',
  'opentelemetry.exporter.cloud_monitoring opentelemetry-exporter-gcp-monitoring',
  'opentelemetry.propagators.textmap opentelemetry-api',
  'opentelemetry.propagators.composite opentelemetry-api',
  'opentelemetry.propagators.aws opentelemetry-propagator-aws-xray',
  'opentelemetry.propagators.cloud_trace_propagator opentelemetry-propagator-gcp',
  ...[
    'instrumentor', 'utils', 'dependencies', 'version', 'distro', 'bootstrap', 'bootstrap_gen',
    'auto_instrumentation', 'environment_variables', 'propagators', 'sqlcommenter_utils', '_semconv',
  ].map((m) => `opentelemetry.instrumentation.${m} opentelemetry-instrumentation`),
];

/** The curated table, parsed from `ROWS`; at least 150 entries. */
export const CURATED_MODULES: readonly CuratedModule[] = ROWS.map((row) => {
  const [module, ...distributions] = row.split(/\s+/).filter((t) => t !== '');
  return { module: module ?? '', distributions };
});

const rootsByModule = new Map(NAMESPACE_ROOTS.map((r) => [r.module, r]));

/** The namespace root entry whose module is exactly `module`, if any. */
export function namespaceRoot(module: string): NamespaceRoot | undefined {
  return rootsByModule.get(module);
}

/**
 * The longest namespace root strictly above `module` (`azure.mgmt` for `azure.mgmt.compute.models`),
 * or `undefined` when `module` is under none.
 */
export function enclosingNamespaceRoot(module: string): NamespaceRoot | undefined {
  const parts = module.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const root = rootsByModule.get(parts.slice(0, n).join('.'));
    if (root) return root;
  }
  return undefined;
}

/** The distribution-name prefix of a namespace root (`google.cloud` → `google-cloud`). */
export function namespacePrefix(root: NamespaceRoot): string {
  return root.prefix ?? root.module.replace(/[._]+/g, '-').toLowerCase();
}

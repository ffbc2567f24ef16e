/**
 * Environment overrides. Each variable sets one config path; env beats the file, and both beat
 * the schema's defaults. Unrecognised LAKERUNNER_* variables are reported, because a typo that
 * silently does nothing is worse than a warning.
 */
export interface EnvBinding {
  env: string;
  path: readonly string[];
  parse: (raw: string) => unknown;
  /** For paths inside an adapter's free-form options, which the schema does not describe. */
  description?: string;
}

const text = (raw: string) => raw;
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const integer = (raw: string) => (/^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw);
const boolean = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return raw;
};

export const ENV_BINDINGS: readonly EnvBinding[] = [
  { env: 'LAKERUNNER_KAFKA_BROKERS', path: ['kafka', 'brokers'], parse: list },
  { env: 'LAKERUNNER_KAFKA_CLIENT_ID', path: ['kafka', 'clientId'], parse: text },
  { env: 'LAKERUNNER_KAFKA_SASL_MECHANISM', path: ['kafka', 'sasl', 'mechanism'], parse: text },
  { env: 'LAKERUNNER_KAFKA_SASL_USERNAME', path: ['kafka', 'sasl', 'username'], parse: text },
  { env: 'LAKERUNNER_KAFKA_SASL_PASSWORD', path: ['kafka', 'sasl', 'password'], parse: text },
  { env: 'LAKERUNNER_KAFKA_TLS', path: ['kafka', 'tls'], parse: boolean },
  {
    env: 'LAKERUNNER_KAFKA_CONNECTION_TIMEOUT_MS',
    path: ['kafka', 'connectionTimeoutMs'],
    parse: integer,
  },
  { env: 'LAKERUNNER_KAFKA_REQUEST_TIMEOUT_MS', path: ['kafka', 'requestTimeoutMs'], parse: integer },
  { env: 'LAKERUNNER_KAFKA_TOPIC_PREFIX', path: ['kafkaTopics', 'topicPrefix'], parse: text },
  { env: 'LAKERUNNER_KAFKA_TOPICS_FILE', path: ['kafkaTopics', 'overridesFile'], parse: text },
  { env: 'LAKERUNNER_PLUGINS', path: ['plugins'], parse: list },
  {
    env: 'LAKERUNNER_STORAGE_ROOT',
    path: ['storage', 'options', 'root'],
    parse: text,
    description: 'Bucket directory of the local-directory store.',
  },
  {
    env: 'LAKERUNNER_CATALOG_URL',
    path: ['catalog', 'options', 'connectionString'],
    parse: text,
    description: 'PostgreSQL connection string; the catalog uses PostgreSQL when set.',
  },
  {
    env: 'LAKERUNNER_CATALOG_DATA_DIR',
    path: ['catalog', 'options', 'dataDir'],
    parse: text,
    description: 'PGlite data directory (used when no connection string is set).',
  },
  { env: 'LAKERUNNER_LAKE_PREFIX', path: ['lakePrefix'], parse: text },
  { env: 'LAKERUNNER_PUBSUB_WEBHOOK_PORT', path: ['pubsub', 'webhook', 'port'], parse: integer },
  { env: 'LAKERUNNER_PUBSUB_WEBHOOK_SECRET', path: ['pubsub', 'webhook', 'secret'], parse: text },
  { env: 'LAKERUNNER_HEALTH_PORT', path: ['runtime', 'healthPort'], parse: integer },
  { env: 'LAKERUNNER_HEALTH_HOST', path: ['runtime', 'healthHost'], parse: text },
  { env: 'LAKERUNNER_STOP_TIMEOUT_MS', path: ['runtime', 'stopTimeoutMs'], parse: integer },
  { env: 'LAKERUNNER_STARTUP_TIMEOUT_MS', path: ['runtime', 'startupTimeoutMs'], parse: integer },
  { env: 'LAKERUNNER_KAFKA_FETCH_MAX_WAIT_MS', path: ['kafka', 'fetchMaxWaitMs'], parse: integer },
  { env: 'LAKERUNNER_WORKER_CONCURRENCY', path: ['runtime', 'workerConcurrency'], parse: integer },
  { env: 'LAKERUNNER_THREADS', path: ['runtime', 'threads'], parse: integer },
];

/** Variables that belong to the CLI or the repo's development scripts, not to config paths. */
const NON_CONFIG_VARIABLES = new Set(['LAKERUNNER_CONFIG']);
const NON_CONFIG_PREFIXES = ['LAKERUNNER_DEV_'];

export interface EnvOverrides {
  values: Record<string, unknown>;
  /** dotted config path → the variable that set it */
  origins: Map<string, string>;
  unknown: string[];
}

export function readEnvOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const bound = new Set(ENV_BINDINGS.map((b) => b.env));
  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.env];
    if (raw === undefined) continue;
    setPath(values, binding.path, binding.parse(raw));
    origins.set(binding.path.join('.'), `env ${binding.env}`);
  }
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith('LAKERUNNER_'))
    .filter((name) => !bound.has(name) && !NON_CONFIG_VARIABLES.has(name))
    .filter((name) => !NON_CONFIG_PREFIXES.some((p) => name.startsWith(p)))
    .sort();
  return { values, origins, unknown };
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

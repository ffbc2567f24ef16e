/**
 * Every error lakerunner raises on purpose carries a stable code and says whether retrying can
 * help: the runtime retries retriable errors with backoff and dead-letters the others.
 * docs/errors.md documents each code; a test keeps the two in step.
 */
export const ERROR_CODES = {
  LR_CONFIG_PARSE: 'A configuration file could not be read or is not valid YAML.',
  LR_CONFIG_EXISTS: '`lakerunner init` would overwrite an existing config file (pass --force).',
  LR_CONFIG_INVALID: 'A configuration value (file, environment or default) failed validation.',
  LR_PLUGIN_NOT_FOUND: 'A configured plugin module could not be imported.',
  LR_PLUGIN_INVALID: 'A plugin module does not export a valid plugin declaration.',
  LR_PLUGIN_INCOMPATIBLE_CORE: "A plugin's declared core range does not include this core version.",
  LR_PLUGIN_DUPLICATE_SIGNAL: 'Two plugins declare the same signal.',
  LR_PLUGIN_MISSING_STAGE: 'A signal plugin lacks one of the required stages (ingest, compact).',
  LR_PLUGIN_UNKNOWN_STAGE: 'A stage feeds a stage its plugin does not declare.',
  LR_TOPIC_OVERRIDES_INVALID: 'A topic overrides file is unreadable or names an unknown service.',
  LR_TOPIC_SETTINGS_INVALID: 'Desired topic settings cannot be applied to this cluster.',
  LR_KAFKA_UNAVAILABLE: 'The Kafka cluster could not be reached or refused a request.',
  LR_KAFKA_AUTH: 'Kafka rejected the configured SASL credentials.',
  LR_TOPICS_MISSING: 'A topic the deployment needs does not exist; run `lakerunner topics sync`.',
  LR_STARTUP_FAILED: 'A service could not start; the message says which and why.',
  LR_STARTUP_TIMEOUT: 'Start-up did not finish within runtime.startupTimeoutMs.',
  LR_STOP_TIMEOUT: 'A stop did not finish within runtime.stopTimeoutMs; work in hand was abandoned.',
  LR_NO_MATCH: 'The filters of a command match no topic, consumer group or partition.',
  LR_PAIR_UNREADABLE: 'Lag of one or more topic/group pairs could not be read (each is reported).',
  LR_GROUP_ACTIVE: 'A consumer group still has members, so its offsets cannot be changed.',
  LR_FLUSH_INCOMPLETE: 'A live flush was not acknowledged for every partition in time.',
  LR_ABORTED: 'The operator declined the confirmation prompt.',
  LR_MESSAGE_INVALID: 'A Kafka message is not valid JSON of the expected type and version (poison).',
  LR_STORAGE_KEY_INVALID:
    'An object key is unsafe or malformed (absolute, "..", NUL, empty), or reaches through a symlink (storage-fs).',
  LR_STORAGE_NOT_FOUND: 'An object does not exist in the store.',
  LR_STORAGE_PRECONDITION: 'A conditional write found the object already present.',
  LR_STORAGE_UNAVAILABLE: 'The object store failed or could not be reached.',
  LR_INPUT_CORRUPT: 'An input object cannot be decoded (bad compression, broken JSON, truncated).',
  LR_INPUT_UNSUPPORTED: 'No codec of the signal reads this input format.',
  LR_INPUT_LIMIT:
    'An input exceeds a configured limit (decompressed bytes, record bytes, nesting depth or records per object).',
  LR_RETRIES_EXHAUSTED:
    'A message failed with an error of unknown kind on every attempt of its retry budget; it is dead-lettered with the last error.',
  LR_THREAD_FAILED: 'A worker thread crashed or exited while running a task; the task is retried.',
  LR_CATALOG_CONFLICT: "Another work unit consumed one of this unit's inputs first; the unit is retried.",
  LR_CATALOG_IN_USE: 'An embedded (PGlite) catalog directory is already open in another process.',
  LR_CATALOG_UNAVAILABLE: 'The catalog database failed or could not be reached.',
  LR_UNEXPECTED:
    "A permanent failure that was not one of lakerunner's own errors (a bug or a library's error); its message is the reason.",
  LR_CATALOG_BUSY:
    'A consistent copy of an embedded (PGlite) catalog open in another process could not be taken: it kept changing.',
  LR_CATALOG_MISSING:
    'A command that reads the catalog found none: no PGlite data directory at the configured path, or an in-memory catalog.',
  LR_QUERY_ENGINE_MISSING:
    '`lakerunner query` needs the optional package @duckdb/node-api, which is not installed.',
  LR_QUERY_STORE_UNSUPPORTED:
    '`lakerunner query` reads segments from the local-directory store (storage-fs) only.',
  LR_QUERY_FAILED: 'DuckDB rejected or could not run the SQL of `lakerunner query`; its message is given.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface LakerunnerErrorOptions {
  /** True when the same operation may succeed later (network, broker, store, catalog). */
  retriable?: boolean;
  cause?: unknown;
}

export class LakerunnerError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: LakerunnerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LakerunnerError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/**
 * Structural rather than `instanceof`: an error raised by a plugin bundled with another copy of
 * core (ESM next to CJS, two versions in node_modules) must still be recognised, or a permanent
 * failure would be retried forever.
 */
export function isLakerunnerError(err: unknown): err is LakerunnerError {
  if (!(err instanceof Error)) return false;
  const { code, retriable } = err as Partial<LakerunnerError>;
  return typeof code === 'string' && code.startsWith('LR_') && typeof retriable === 'boolean';
}

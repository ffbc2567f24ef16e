import { z } from 'zod';
import { DEFAULT_INPUT_LIMITS } from '../plugin/codec.js';

/**
 * The configuration schema. It is the single source of validation, defaults and the options
 * table in the docs (see ./docs.ts); every option's environment variable lives in ./env.ts.
 * Objects are strict: an unknown key is an error, never silently ignored.
 */

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, for example 127.0.0.1:9092');

const topicName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

export const topicSettingsSchema = z.strictObject({
  partitionCount: z.number().int().min(1).max(10_000).optional().describe('Partitions per topic.'),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .max(32)
    .optional()
    .describe('Replicas per partition. Unset: min(3, number of brokers).'),
  configs: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('Topic-level configs, e.g. {"retention.ms": "86400000"}.'),
});

export type TopicSettings = z.infer<typeof topicSettingsSchema>;

export const DEFAULT_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': String(7 * 24 * 60 * 60 * 1000),
};

export const OFFICIAL_PLUGINS = [
  '@lakerunner/plugin-logs',
  '@lakerunner/plugin-metrics',
  '@lakerunner/plugin-traces',
] as const;

const saslSchema = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism.'),
  username: z.string().min(1).describe('SASL user name.'),
  password: z.string().min(1).describe('SASL password.'),
});

const kafkaSchema = z.strictObject({
  brokers: z.array(hostPort).min(1).default(['127.0.0.1:9092']).describe('Bootstrap brokers as host:port.'),
  clientId: z.string().min(1).default('lakerunner').describe('Client id sent to the brokers.'),
  sasl: saslSchema.optional().describe('SASL authentication; unset means none.'),
  tls: z.boolean().default(false).describe('Connect with TLS (system CA store).'),
  connectionTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Time allowed to open a broker connection, in ms.'),
  requestTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe('Time allowed for one broker request, in ms.'),
  fetchMaxWaitMs: z
    .number()
    .int()
    .min(100)
    .max(20_000)
    .default(5_000)
    .describe(
      'How long a consumer fetch waits at the broker when no message is there, in ms (the control-topic reader waits as long). Longer costs less while idle (every service polls its group); stopping may wait this long for the fetch in flight.',
    ),
});

const kafkaTopicsSchema = z.strictObject({
  topicPrefix: topicName.default('lakerunner').describe('Prefix of every topic and consumer group name.'),
  defaults: topicSettingsSchema
    .extend({
      partitionCount: topicSettingsSchema.shape.partitionCount
        .unwrap()
        .default(16)
        .describe('Partitions per topic.'),
      configs: topicSettingsSchema.shape.configs
        .unwrap()
        .default({ ...DEFAULT_TOPIC_CONFIGS })
        .describe('Topic-level configs given to every topic.'),
    })
    .default({ partitionCount: 16, configs: { ...DEFAULT_TOPIC_CONFIGS } })
    .describe(
      'Settings `topics sync` gives every topic: 16 partitions, replication min(3, brokers), ' +
        'cleanup.policy=delete and 7-day retention.ms.',
    ),
  services: z
    .record(z.string().min(1), topicSettingsSchema)
    .default({})
    .describe('Per-topic settings keyed by the reader service (e.g. boxer-ingest-logs).'),
  overridesFile: z
    .string()
    .min(1)
    .optional()
    .describe('YAML file with `defaults` and `services` merged over the settings above.'),
});

const adapterSchema = (module: string, options: Record<string, unknown>, what: string) =>
  z
    .strictObject({
      module: z.string().min(1).default(module).describe(`Module exporting the ${what} adapter.`),
      options: z
        .record(z.string(), z.unknown())
        .default(options)
        .describe(`Options given to the ${what} adapter (see its package docs).`),
    })
    .default({ module, options });

const routeSchema = z.strictObject({
  prefix: z.string().min(1),
  org: z.string().min(1),
  signal: z.string().min(1),
  collector: z.string().min(1).optional(),
});

export const configSchema = z.strictObject({
  kafka: kafkaSchema.default(kafkaSchema.parse({})).describe('Kafka connection.'),
  kafkaTopics: kafkaTopicsSchema
    .default(kafkaTopicsSchema.parse({}))
    .describe('Topic names and creation settings.'),
  plugins: z
    .array(z.string().min(1))
    .default([...OFFICIAL_PLUGINS])
    .describe('Signal plugin modules to load, by package name or path.'),
  codecs: z
    .array(z.string().min(1))
    .default([])
    .describe('Extra codec modules (by package name or path) that read more input formats.'),
  limits: z
    .strictObject({
      maxObjectBytes: z
        .number()
        .int()
        .positive()
        .default(DEFAULT_INPUT_LIMITS.maxObjectBytes)
        .describe('Decompressed bytes one raw object may hold; larger objects are dead-lettered.'),
      maxRecordBytes: z
        .number()
        .int()
        .positive()
        .default(DEFAULT_INPUT_LIMITS.maxRecordBytes)
        .describe('Bytes of one line or CSV record.'),
      maxDocumentBytes: z
        .number()
        .int()
        .positive()
        .default(DEFAULT_INPUT_LIMITS.maxDocumentBytes)
        .describe('Bytes of a whole-document input (OTLP/JSON, Parquet) or of one OTLP protobuf resource.'),
      maxDepth: z
        .number()
        .int()
        .min(2)
        .max(10_000)
        .default(DEFAULT_INPUT_LIMITS.maxDepth)
        .describe('Nesting depth of JSON values and OTLP attribute values.'),
      maxRecordsPerObject: z
        .number()
        .int()
        .positive()
        .default(DEFAULT_INPUT_LIMITS.maxRecordsPerObject)
        .describe('Records one raw object may hold.'),
      futureToleranceMs: z
        .number()
        .int()
        .min(0)
        .default(DEFAULT_INPUT_LIMITS.futureToleranceMs)
        .describe(
          'Record times further in the future than this, or before 1970, are replaced by the ingest time (counted).',
        ),
    })
    .default({ ...DEFAULT_INPUT_LIMITS })
    .describe('Bounds on what one raw object may cost, enforced while it is streamed.'),
  storage: adapterSchema('@lakerunner/storage-fs', { root: './data/bucket' }, 'storage').describe(
    'Object store holding raw telemetry and the lake, and its notification source.',
  ),
  inputStorage: z
    .array(
      z.strictObject({
        module: z.string().min(1).describe('Module exporting the storage adapter.'),
        options: z.record(z.string(), z.unknown()).default({}).describe('Options given to the adapter.'),
      }),
    )
    .default([])
    .describe(
      'More buckets raw telemetry lands in, each a storage adapter with its notification source; a work input is read from the store of the bucket it names. The lake stays in `storage`.',
    ),
  catalog: adapterSchema('@lakerunner/catalog-postgres', { dataDir: './data/catalog' }, 'catalog').describe(
    'Segment catalog database: PostgreSQL (options.connectionString) or embedded PGlite (options.dataDir).',
  ),
  lakePrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('lake')
    .describe("Key prefix of the lake's own segments inside the store."),
  pubsub: z
    .strictObject({
      routes: z
        .array(routeSchema)
        .default([])
        .describe('Prefix rules routing keys outside otel-raw/<org>/<collector>/ to an org and signal.'),
      webhook: z
        .strictObject({
          port: z.number().int().min(0).max(65535).describe('Port of the S3-event webhook.'),
          host: z.string().min(1).default('127.0.0.1').describe('Address the webhook listens on.'),
          secret: z
            .string()
            .min(16)
            .describe('Shared secret senders pass as Authorization: Bearer <secret>.'),
          path: z.string().startsWith('/').default('/notifications').describe('Path that accepts POSTs.'),
          maxBodyBytes: z
            .number()
            .int()
            .min(1024)
            .default(1024 * 1024)
            .describe('Largest request body accepted, in bytes; larger requests get 413.'),
          snsTopicArns: z
            .array(z.string().min(1))
            .default([])
            .describe(
              'SNS topics whose SubscriptionConfirmation the webhook confirms; for any other topic it logs the SubscribeURL for an operator.',
            ),
        })
        .optional()
        .describe('HTTP endpoint for S3-style event notifications; off unless set.'),
    })
    .default({ routes: [] }),
  runtime: z
    .strictObject({
      workerConcurrency: z
        .number()
        .int()
        .min(1)
        .max(64)
        .default(2)
        .describe('Work units a worker runs at once, from one partition or several.'),
      threads: z
        .number()
        .int()
        .min(1)
        .max(256)
        .optional()
        .describe(
          "Worker threads each signal decodes and encodes on; default the machine's cores (os.availableParallelism()).",
        ),
      boxerFlushIntervalMs: z
        .number()
        .int()
        .min(10)
        .default(100)
        .describe(
          'Least time between two passes of a boxer over its groups past their max age, in ms; each group is emitted once its maxAgeMs is up.',
        ),
      sweeperGraceMs: z
        .number()
        .int()
        .min(0)
        .default(3_600_000)
        .describe('Replaced segments and orphan objects older than this are deleted by the sweeper, in ms.'),
      sweeperIntervalMs: z
        .number()
        .int()
        .min(100)
        .default(300_000)
        .describe('How often the sweeper looks for replaced segments and orphan objects, in ms.'),
      healthPort: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .optional()
        .describe('Port for /livez, /readyz, /healthz and /metrics of `lakerunner run`; off when unset.'),
      healthHost: z
        .string()
        .min(1)
        .default('127.0.0.1')
        .describe('Address the health and metrics server listens on (0.0.0.0 for every interface).'),
      retryInitialMs: z
        .number()
        .int()
        .min(1)
        .default(200)
        .describe('First delay before a failed message is retried; it doubles (with jitter) per attempt.'),
      retryMaxMs: z
        .number()
        .int()
        .min(1)
        .default(10_000)
        .describe('Longest delay between retries of one message.'),
      maxAttempts: z
        .number()
        .int()
        .min(1)
        .default(5)
        .describe(
          'Attempts a message gets when its error is of unknown kind; then it is dead-lettered with its last error.',
        ),
      startupTimeoutMs: z
        .number()
        .int()
        .min(1000)
        .default(120_000)
        .describe(
          'How long start-up retries a transient failure (broker, catalog, store) before it exits non-zero; joining a consumer group can take a session timeout plus a rebalance (90 s) after a member was killed.',
        ),
      stopTimeoutMs: z
        .number()
        .int()
        .min(100)
        .default(30_000)
        .describe(
          'How long a stop (SIGTERM) waits for work in hand; then the work is abandoned (it is redelivered) and the process exits non-zero.',
        ),
    })
    .default({
      workerConcurrency: 2,
      boxerFlushIntervalMs: 100,
      sweeperGraceMs: 3_600_000,
      sweeperIntervalMs: 300_000,
      healthHost: '127.0.0.1',
      retryInitialMs: 200,
      retryMaxMs: 10_000,
      maxAttempts: 5,
      startupTimeoutMs: 120_000,
      stopTimeoutMs: 30_000,
    }),
});

export type LakerunnerConfig = z.infer<typeof configSchema>;
/** A config as written (lakerunner.yaml, or code): every section optional, defaults not yet applied. */
export type LakerunnerConfigInput = z.input<typeof configSchema>;
export type KafkaConfig = LakerunnerConfig['kafka'];
export type KafkaTopicsConfig = LakerunnerConfig['kafkaTopics'];

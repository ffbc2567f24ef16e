/**
 * The starter lakerunner.yaml `lakerunner init` writes: the embedded default spelled out (every
 * value is the default, so the file changes nothing until edited), with comments that say what to
 * change for a real deployment. A test loads it back and compares it with the defaults.
 */
export const STARTER_CONFIG = `# lakerunner.yaml — one deployment: its Kafka, topics, signals, bucket and catalog.
# Every option, its default and its LAKERUNNER_* environment variable: docs/configuration.md.
# Values here are the defaults; edit what differs for you.

kafka:
  brokers: ['127.0.0.1:9092']      # bootstrap brokers, host:port
  # sasl: { mechanism: scram-sha-512, username: lakerunner, password: … }  # better: LAKERUNNER_KAFKA_SASL_PASSWORD
  # tls: true

kafkaTopics:
  topicPrefix: lakerunner          # every topic and consumer group starts with it
  defaults:
    partitionCount: 16             # the most processes of one service that can share its work

# Signal plugins: the signals this deployment ingests (a path works too, for your own).
plugins:
  - '@lakerunner/plugin-logs'
  - '@lakerunner/plugin-metrics'
  - '@lakerunner/plugin-traces'

# Where raw telemetry lands and the lake is written. A local directory here; for S3, GCS or
# Azure use @lakerunner/storage-s3, -gcs or -azure with their options (see their READMEs).
storage:
  module: '@lakerunner/storage-fs'
  options:
    root: ./data/bucket            # raw objects under otel-raw/<org>/<collector>/, the lake under lake/

# The segment catalog: embedded PGlite in a directory (one process at a time), or PostgreSQL
# with options: { connectionString: postgres://… } for several processes.
catalog:
  module: '@lakerunner/catalog-postgres'
  options:
    dataDir: ./data/catalog

runtime:
  workerConcurrency: 2             # work units a worker runs at once
  # threads: 2                     # worker threads per signal (default: the machine's cores)
  # healthPort: 9090               # serve /livez, /readyz and /metrics on this port
`;

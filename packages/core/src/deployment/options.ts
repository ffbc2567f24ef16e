import type { Catalog } from '../catalog/catalog.js';
import type { LakerunnerConfigInput } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { CatalogAdapter, StorageAdapter } from '../plugin/adapters.js';
import type { Codec } from '../plugin/codec.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { RuntimeMetrics } from '../runtime/metrics.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';

/**
 * What `createLakerunner` takes. Every part may be an object built in code or a section as
 * lakerunner.yaml writes it (a module name and its options), so a file, the environment and code
 * describe the same deployment; whatever is not given comes from `config`, then from the
 * defaults (the embedded setup: a local directory, PGlite, a broker on 127.0.0.1:9092).
 */
export interface LakerunnerOptions<
  S extends object = Record<string, unknown>,
  C extends object = Record<string, unknown>,
> {
  /** Anything of lakerunner.yaml's schema; the parts below take precedence over its sections. */
  config?: LakerunnerConfigInput;
  /** Where module names and relative paths of `config` resolve (default: the working directory). */
  baseDir?: string;
  /** Signal plugins: objects (`createLogsPlugin()`) or module names; default `config.plugins`. */
  plugins?: readonly (SignalPlugin | string)[];
  /**
   * Extra codecs by module name or path (worker threads import them from there), or as
   * `loadCodecs` returns them; default `config.codecs`.
   */
  codecs?: readonly (Codec | string)[];
  /** The bucket raw telemetry lands in and the lake lives in; default `config.storage`. */
  storage?: StoragePart<S>;
  /** More buckets raw telemetry lands in; default `config.inputStorage`. */
  inputStorage?: readonly StoragePart<Record<string, unknown>>[];
  /** Notification sources beside the storage adapters' own (and the webhook's). */
  sources?: readonly NotificationSource[];
  /** The segment catalog; default `config.catalog`. */
  catalog?: CatalogPart<C>;
  /** Kafka connection, as `config.kafka`. */
  kafka?: LakerunnerConfigInput['kafka'];
  /** Prefix of every topic and consumer group, as `config.kafkaTopics.topicPrefix`. */
  topicPrefix?: string;
  /** Services to run: names (see `lakerunner topics list`) or 'all' (default) for every runnable one. */
  services?: readonly string[] | 'all';
  /** Default: JSON lines on stderr, warnings and errors. */
  log?: Logger;
  /** Default: a fresh registry without process metrics. */
  metrics?: RuntimeMetrics;
  /**
   * A service's consumer stopped for good. Default: log it and report the deployment unhealthy;
   * a process of its own should exit so it is restarted (the CLI does).
   */
  onFatal?(error: unknown): void;
  /** Called as start-up reaches each step (the CLI names the step a timed-out start-up waited for). */
  onStep?(step: string): void;
}

/** A store and its notification sources built in code (e.g. `createS3Store` + `createSqsSource`). */
export interface StorageObjects {
  store: ObjectStore;
  sources?: readonly NotificationSource[];
  adapter?: never;
  module?: never;
}

/** A section as lakerunner.yaml writes it: the adapter's module by name, its options checked when it loads. */
export interface ModuleSection {
  module: string;
  options?: Record<string, unknown>;
  adapter?: never;
}

/** An adapter object with its options, typed by the adapter (`module` excluded, so the two forms never blur). */
export interface AdapterPart<A, O> {
  adapter: A;
  options: NoInfer<O>;
  module?: never;
}

/** A store given as objects, as an adapter object with its typed options, or as a section. */
export type StoragePart<O extends object> =
  | StorageObjects
  | AdapterPart<StorageAdapter<O>, O>
  | ModuleSection;

export type CatalogPart<O extends object> = Catalog | AdapterPart<CatalogAdapter<O>, O> | ModuleSection;

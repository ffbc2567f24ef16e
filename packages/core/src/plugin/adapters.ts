import type { Catalog } from '../catalog/catalog.js';
import type { Logger } from '../logger.js';
import type { RuntimeMetrics } from '../runtime/metrics.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';
import type { AdapterOptionsSpec } from './adapter-options.js';

/**
 * Storage and catalog adapters, loaded by module name from the config like signal plugins, so
 * a deployment picks its store and database without code. Each adapter module exports one
 * definition; `options` is the config's `storage.options` / `catalog.options`, validated by the
 * adapter.
 */
/** What an adapter reports through: the process's log and metrics. */
export interface AdapterContext {
  log: Logger;
  metrics?: RuntimeMetrics;
  /** Where the lake's own segments live in the store (a source need not announce them). */
  lakePrefix?: string;
}

/**
 * `O` is the options' type, for code that composes a deployment (`createLakerunner`); an adapter
 * still validates what it gets at run time, because a config file's options arrive untyped.
 */
// biome-ignore lint/suspicious/noExplicitAny: the default accepts any options object
export interface StorageAdapter<O extends object = any> {
  readonly kind: 'lakerunner/storage-adapter';
  name: string;
  /** The options it takes, checked and documented (`defineAdapterOptions`). */
  options?: AdapterOptionsSpec<O>;
  create(
    options: O,
    context?: AdapterContext,
  ): Promise<{ store: ObjectStore; sources: NotificationSource[] }>;
}

// biome-ignore lint/suspicious/noExplicitAny: the default accepts any options object
export interface CatalogAdapter<O extends object = any> {
  readonly kind: 'lakerunner/catalog-adapter';
  name: string;
  /** The options it takes, checked and documented (`defineAdapterOptions`). */
  options?: AdapterOptionsSpec<O>;
  create(options: O): Promise<Catalog>;
  /**
   * Opens the catalog only to read it (`lakerunner segments list`, `lakerunner query`), beside a
   * process that has it open and without changing anything. Optional: without it those commands
   * read through `create`, which suits a database server that serves any number of clients.
   */
  createReader?(options: O): Promise<Catalog>;
}

export function defineStorageAdapter<O extends object = Record<string, unknown>>(
  adapter: Omit<StorageAdapter<O>, 'kind'>,
): StorageAdapter<O> {
  return Object.freeze({ ...adapter, kind: 'lakerunner/storage-adapter' as const });
}

export function defineCatalogAdapter<O extends object = Record<string, unknown>>(
  adapter: Omit<CatalogAdapter<O>, 'kind'>,
): CatalogAdapter<O> {
  return Object.freeze({ ...adapter, kind: 'lakerunner/catalog-adapter' as const });
}

export function isStorageAdapter(value: unknown): value is StorageAdapter {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'lakerunner/storage-adapter'
  );
}

export function isCatalogAdapter(value: unknown): value is CatalogAdapter {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'lakerunner/catalog-adapter'
  );
}

import { type AdapterOptionsSpec, defineAdapterOptions, optionChecks } from '@lakerunner/core';

/**
 * `catalog: { module: '@lakerunner/catalog-postgres', options: { connectionString } }` for a
 * PostgreSQL server, or `options: { dataDir }` for embedded PGlite (one process only).
 */
export interface PostgresCatalogAdapterOptions {
  connectionString?: string;
  maxConnections?: number;
  dataDir?: string;
}

/** A misspelt key (`datadir`) would otherwise open an in-memory catalog and lose everything at exit. */
export const postgresCatalogOptions: AdapterOptionsSpec<PostgresCatalogAdapterOptions> =
  defineAdapterOptions<PostgresCatalogAdapterOptions>('@lakerunner/catalog-postgres', 'catalog', {
    connectionString: {
      check: optionChecks.nonEmptyString,
      default: 'PGlite',
      description: 'PostgreSQL URL; when set, the catalog uses PostgreSQL.',
    },
    maxConnections: {
      check: optionChecks.integer(1, 1000, 'connections'),
      default: '5',
      description: 'PostgreSQL pool size.',
    },
    dataDir: {
      check: optionChecks.nonEmptyString,
      default: 'in memory',
      description:
        "Embedded PGlite's data directory (created with its parents), when no connection string is set.",
    },
  });

export const parsePostgresCatalogOptions = (options: object): PostgresCatalogAdapterOptions =>
  postgresCatalogOptions.parse(options);

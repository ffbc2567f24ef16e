import { type OptionCheck, optionChecks, parseAdapterOptions } from '@lakerunner/core';

/**
 * `catalog: { module: '@lakerunner/catalog-postgres', options: { connectionString } }` for a
 * PostgreSQL server, or `options: { dataDir }` for embedded PGlite (one process only).
 * `catalog.options`: a server's `connectionString` (and pool size), or PGlite's `dataDir`.
 */
export interface PostgresCatalogAdapterOptions {
  connectionString?: string;
  maxConnections?: number;
  /** Embedded PGlite's data directory; in memory when neither this nor a connection string is set. */
  dataDir?: string;
}

const CHECKS: Record<keyof PostgresCatalogAdapterOptions, OptionCheck> = {
  connectionString: optionChecks.nonEmptyString,
  maxConnections: optionChecks.integer(1, 1000, 'connections'),
  dataDir: optionChecks.nonEmptyString,
};

/** A misspelt key (`datadir`) would otherwise open an in-memory catalog and lose everything at exit. */
export function parsePostgresCatalogOptions(options: object): PostgresCatalogAdapterOptions {
  return parseAdapterOptions<PostgresCatalogAdapterOptions>(
    '@lakerunner/catalog-postgres',
    options,
    CHECKS,
    {},
    'catalog',
  );
}

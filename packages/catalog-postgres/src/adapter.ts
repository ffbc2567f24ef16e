import { defineCatalogAdapter } from '@lakerunner/core';
import { createCatalogReader } from './catalog-reader.js';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import { createSqlCatalog } from './sql-catalog.js';

/**
 * `catalog: { module: '@lakerunner/catalog-postgres', options: { connectionString } }` for a
 * PostgreSQL server, or `options: { dataDir }` for embedded PGlite (one process only).
 */
/** `catalog.options`: a server's `connectionString` (and pool size), or PGlite's `dataDir`. */
export interface PostgresCatalogAdapterOptions {
  connectionString?: string;
  maxConnections?: number;
  /** Embedded PGlite's data directory; in memory when neither this nor a connection string is set. */
  dataDir?: string;
}

export const postgresCatalogAdapter = defineCatalogAdapter<PostgresCatalogAdapterOptions>({
  name: '@lakerunner/catalog-postgres',
  async create(options) {
    const { connectionString, dataDir, maxConnections } = options;
    const client =
      typeof connectionString === 'string' && connectionString.length > 0
        ? createPgClient({
            connectionString,
            maxConnections: typeof maxConnections === 'number' ? maxConnections : undefined,
          })
        : await createPgliteClient({ dataDir: typeof dataDir === 'string' ? dataDir : undefined });
    return createSqlCatalog(client);
  },
  // A copy of a PGlite directory, so reading never competes with the process that holds it.
  createReader: createCatalogReader,
});

import { defineCatalogAdapter } from '@lakerunner/core';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import { createSqlCatalog } from './sql-catalog.js';

/**
 * `catalog: { module: '@lakerunner/catalog-postgres', options: { connectionString } }` for a
 * PostgreSQL server, or `options: { dataDir }` for embedded PGlite (one process only).
 */
export const postgresCatalogAdapter = defineCatalogAdapter({
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
});

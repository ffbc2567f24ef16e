import { defineCatalogAdapter } from '@lakerunner/core';
import {
  type PostgresCatalogAdapterOptions,
  parsePostgresCatalogOptions,
  postgresCatalogOptions,
} from './adapter-options.js';
import { createCatalogReader } from './catalog-reader.js';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import { createSqlCatalog } from './sql-catalog.js';

/** The catalog adapter: PostgreSQL or embedded PGlite, by its options. */
export const postgresCatalogAdapter = defineCatalogAdapter<PostgresCatalogAdapterOptions>({
  name: '@lakerunner/catalog-postgres',
  options: postgresCatalogOptions,
  async create(raw) {
    const { connectionString, dataDir, maxConnections } = parsePostgresCatalogOptions(raw);
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

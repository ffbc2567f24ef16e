import type { Catalog } from '@lakerunner/core';
import { createPgClient, type PostgresClientOptions } from './pg-client.js';
import { createPgliteClient, type PgliteClientOptions } from './pglite-client.js';
import { createSqlCatalog } from './sql-catalog.js';

export { MIGRATIONS, type Migration } from './migrations.js';
export type { PgliteClientOptions, PostgresClientOptions };

/** The segment catalog on a PostgreSQL server. Call `migrate()` once at start-up. */
export function createPostgresCatalog(options: PostgresClientOptions): Catalog {
  return createSqlCatalog(createPgClient(options));
}

/** The segment catalog on embedded PGlite (the default): a data directory, or in memory. */
export async function createPgliteCatalog(options: PgliteClientOptions = {}): Promise<Catalog> {
  return createSqlCatalog(await createPgliteClient(options));
}
export { postgresCatalogAdapter } from './adapter.js';
export {
  type PostgresCatalogAdapterOptions,
  parsePostgresCatalogOptions,
  postgresCatalogOptions,
} from './adapter-options.js';
export { createCatalogReader } from './catalog-reader.js';

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Catalog, LakerunnerError } from '@lakerunner/core';
import { type PostgresCatalogAdapterOptions, parsePostgresCatalogOptions } from './adapter-options.js';
import { snapshotDataDir } from './data-dir-snapshot.js';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import { createSqlCatalog } from './sql-catalog.js';
import type { SqlClient } from './sql-client.js';

/**
 * The catalog opened to read only (`lakerunner segments list`, `lakerunner query`). A server is
 * simply connected to. A PGlite data directory is never opened in place: `lakerunner run` holds
 * it (PGlite serves one process), and a reader must neither wait for that process nor keep one
 * from starting. So the reader opens a consistent copy (see data-dir-snapshot.ts) and removes it
 * on close; it reads the catalog as it was when the copy was taken. Nothing is migrated.
 */
export async function createCatalogReader(options: PostgresCatalogAdapterOptions): Promise<Catalog> {
  const { connectionString, dataDir } = parsePostgresCatalogOptions(options);
  if (typeof connectionString === 'string' && connectionString.length > 0) {
    return readable(createPgClient({ connectionString, maxConnections: 1 }), 'the database');
  }
  if (typeof dataDir !== 'string' || dataDir.length === 0) {
    throw new LakerunnerError(
      'LR_CATALOG_MISSING',
      'catalog.options sets neither connectionString nor dataDir: an in-memory catalog lives and dies ' +
        'with its process, so there is nothing to read',
    );
  }
  const path = resolve(dataDir);
  // PG_VERSION is written when the database is created: without it there is no catalog (yet).
  if (!existsSync(join(path, 'PG_VERSION'))) {
    throw new LakerunnerError(
      'LR_CATALOG_MISSING',
      `no PGlite catalog at ${path} (catalog.options.dataDir): nothing ran with this configuration ` +
        'yet, or this command runs in another directory than `lakerunner run` did (a relative dataDir ' +
        'resolves against the working directory)',
    );
  }
  const snapshot = await snapshotDataDir(path);
  let client: SqlClient;
  try {
    client = await createPgliteClient({ dataDir: snapshot.dir });
  } catch (err) {
    await snapshot.remove();
    throw err;
  }
  return readable(
    {
      ...client,
      async close() {
        await client.close();
        await snapshot.remove();
      },
    },
    path,
  );
}

/** The catalog on `client`, once it is known to hold lakerunner's tables. */
async function readable(client: SqlClient, where: string): Promise<Catalog> {
  try {
    const [row] = await client.query<{ present: boolean }>(
      "SELECT to_regclass('lr_segments') IS NOT NULL AS present",
    );
    if (!row?.present) {
      throw new LakerunnerError(
        'LR_CATALOG_MISSING',
        `${where} holds no lakerunner catalog yet: \`lakerunner run\` creates it when it first starts`,
      );
    }
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  return createSqlCatalog(client);
}

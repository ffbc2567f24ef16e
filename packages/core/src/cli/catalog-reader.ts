import type { Catalog } from '../catalog/catalog.js';
import { isCatalogAdapter } from '../plugin/adapters.js';
import { loadDefinition } from '../plugin/load.js';
import type { Deployment } from './deployment.js';

/**
 * Opens the deployment's catalog to read it, closes it when `read` is done. Through the adapter's
 * `createReader` when it has one: reading must work while `lakerunner run` holds the catalog,
 * and an embedded catalog serves one process only (its adapter then reads a copy).
 */
export async function withCatalogReader<T>(
  deployment: Pick<Deployment, 'config' | 'baseDir'>,
  read: (catalog: Catalog) => Promise<T>,
): Promise<T> {
  const { module, options } = deployment.config.catalog;
  const adapter = await loadDefinition(
    module,
    deployment.baseDir,
    isCatalogAdapter,
    'catalog adapter',
    'defineCatalogAdapter',
  );
  const catalog = adapter.createReader ? await adapter.createReader(options) : await adapter.create(options);
  try {
    return await read(catalog);
  } finally {
    await catalog.close();
  }
}

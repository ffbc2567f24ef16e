// The adapter packages whose READMEs carry their options table, generated from the options each
// adapter declares (docs.mjs writes them, a test checks them).
export async function adapterPackages() {
  const [fs, s3, gcs, azure, catalog] = await Promise.all([
    import('@lakerunner/storage-fs'),
    import('@lakerunner/storage-s3'),
    import('@lakerunner/storage-gcs'),
    import('@lakerunner/storage-azure'),
    import('@lakerunner/catalog-postgres'),
  ]);
  return [
    { dir: 'packages/storage-fs', adapter: fs.fsStorageAdapter, spec: fs.fsAdapterOptions },
    { dir: 'packages/storage-s3', adapter: s3.s3StorageAdapter, spec: s3.s3AdapterOptions },
    { dir: 'packages/storage-gcs', adapter: gcs.gcsStorageAdapter, spec: gcs.gcsAdapterOptions },
    { dir: 'packages/storage-azure', adapter: azure.azureStorageAdapter, spec: azure.azureAdapterOptions },
    {
      dir: 'packages/catalog-postgres',
      adapter: catalog.postgresCatalogAdapter,
      spec: catalog.postgresCatalogOptions,
    },
  ];
}

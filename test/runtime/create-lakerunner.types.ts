// Compile-time checks, run by the typecheck (never executed): the adapters' own option types
// flow through createLakerunner, so a wrong option is an editor error before it is a start-up one.
import { postgresCatalogAdapter } from '../../packages/catalog-postgres/src/index.js';
import { createLakerunner } from '../../packages/core/src/index.js';
import { fsStorageAdapter } from '../../packages/storage-fs/src/index.js';
import { s3StorageAdapter } from '../../packages/storage-s3/src/index.js';

export async function typedOptions(): Promise<void> {
  await createLakerunner({
    storage: { adapter: s3StorageAdapter, options: { bucket: 'raw', queueUrl: 'https://sqs.example/q' } },
    catalog: { adapter: postgresCatalogAdapter, options: { dataDir: './catalog' } },
  });
  // @ts-expect-error S3's options have no `root` (that is the local directory's)
  await createLakerunner({ storage: { adapter: s3StorageAdapter, options: { bucket: 'raw', root: './x' } } });
  // @ts-expect-error the bucket is required
  await createLakerunner({ storage: { adapter: s3StorageAdapter, options: {} } });
  await createLakerunner({
    // @ts-expect-error pollIntervalMs is a number
    storage: { adapter: fsStorageAdapter, options: { root: '.', pollIntervalMs: '1s' } },
  });
  // @ts-expect-error dataDir is a path
  await createLakerunner({ catalog: { adapter: postgresCatalogAdapter, options: { dataDir: 1 } } });
  // @ts-expect-error a config section that does not exist
  await createLakerunner({ config: { kafak: { brokers: ['127.0.0.1:9092'] } } });
  // A section by module name, as lakerunner.yaml writes it: checked when the module loads.
  await createLakerunner({ storage: { module: '@lakerunner/storage-gcs', options: { bucket: 'raw' } } });
}

// @ts-check
// A logs deployment composed in code: the local directory ./data/bucket as the bucket, embedded
// PGlite as the catalog, every logs service in this process. Drop files under
// ./data/bucket/otel-raw/<org>/<collector>/ and watch them land in the lake.
import { postgresCatalogAdapter } from '@lakerunner/catalog-postgres';
import { createLakerunner } from '@lakerunner/core';
import { createLogsPlugin } from '@lakerunner/plugin-logs';
import { fsStorageAdapter } from '@lakerunner/storage-fs';

const lake = await createLakerunner({
  kafka: { brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') },
  topicPrefix: 'compose-example',
  plugins: [createLogsPlugin()],
  storage: { adapter: fsStorageAdapter, options: { root: './data/bucket' } },
  catalog: { adapter: postgresCatalogAdapter, options: { dataDir: './data/catalog' } },
});
lake.on('unit-done', (u) =>
  console.log(`${u.service}: ${u.records} rows from ${u.inputs} inputs (${u.org})`),
);
lake.on('dead-letter', (d) => console.error(`dead letter from ${d.service}: ${d.code} ${d.reason}`));
await lake.syncTopics();
await lake.start();
console.log(`running ${lake.services.map((s) => s.name).join(', ')}`);

// Stop cleanly: finish or release the work in hand, commit, leave the consumer groups.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () =>
    lake.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    ),
  );
}

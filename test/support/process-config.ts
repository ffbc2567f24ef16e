import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDeployment } from './deployment.js';

/**
 * The config of a deployment whose services run as `lakerunner run` processes: the logs plugin
 * with short boxer ages (so tests converge in seconds), a local bucket and a PostgreSQL catalog.
 * Returns the bucket directory.
 */
export function writeProcessConfig(
  d: TestDeployment,
  options: { label: string; databaseUrl: string; storage?: string; runtime: string },
): { bucket: string } {
  const dir = mkdtempSync(join(tmpdir(), `lakerunner-${options.label}-`));
  const bucket = join(dir, 'bucket');
  const logsDist = fileURLToPath(new URL('../../packages/plugin-logs/dist/index.js', import.meta.url));
  writeFileSync(
    join(dir, 'fast-logs.mjs'),
    `import { createLogsPlugin } from ${JSON.stringify(logsDist)};
     export const plugin = createLogsPlugin({ ingest: { maxAgeMs: 1000, maxInputs: 3 }, compact: { maxAgeMs: 3000 } });`,
  );
  writeFileSync(
    join(d.dir, 'lakerunner.yaml'),
    [
      `kafka: { brokers: [${d.brokers.join(', ')}] }`,
      `kafkaTopics: { topicPrefix: ${d.prefix}, defaults: { partitionCount: 4 } }`,
      `plugins: [${JSON.stringify(join(dir, 'fast-logs.mjs'))}]`,
      `storage: { options: { root: ${JSON.stringify(bucket)}, bucket: bucket, pollIntervalMs: 300${options.storage ? `, ${options.storage}` : ''} } }`,
      `catalog: { options: { connectionString: ${JSON.stringify(options.databaseUrl)} } }`,
      `runtime: { ${options.runtime} }`,
      '',
    ].join('\n'),
  );
  return { bucket };
}

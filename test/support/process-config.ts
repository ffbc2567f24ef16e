import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDeployment } from './deployment.js';

const FAST_PLUGINS = {
  logs: {
    folder: 'plugin-logs',
    create: 'createLogsPlugin',
    options: '{ ingest: { maxAgeMs: 1000, maxInputs: 3 }, compact: { maxAgeMs: 3000 } }',
  },
  metrics: {
    folder: 'plugin-metrics',
    create: 'createMetricsPlugin',
    options:
      '{ ingest: { maxAgeMs: 500, maxInputs: 3 }, compact: { maxAgeMs: 1500 }, rollup: { maxAgeMs: 800 } }',
  },
};

/**
 * The config of a deployment whose services run as `lakerunner run` processes: the logs (or
 * metrics) plugin with short boxer ages (so tests converge in seconds), a local bucket and a
 * PostgreSQL catalog. Returns the bucket directory.
 */
export function writeProcessConfig(
  d: TestDeployment,
  options: {
    label: string;
    databaseUrl: string;
    storage?: string;
    runtime: string;
    signal?: 'logs' | 'metrics';
  },
): { bucket: string } {
  const dir = mkdtempSync(join(tmpdir(), `lakerunner-${options.label}-`));
  const bucket = join(dir, 'bucket');
  const fast = FAST_PLUGINS[options.signal ?? 'logs'];
  const dist = fileURLToPath(new URL(`../../packages/${fast.folder}/dist/index.js`, import.meta.url));
  writeFileSync(
    join(dir, 'fast-plugin.mjs'),
    `import { ${fast.create} } from ${JSON.stringify(dist)};
     export const plugin = ${fast.create}(${fast.options});`,
  );
  writeFileSync(
    join(d.dir, 'lakerunner.yaml'),
    [
      `kafka: { brokers: [${d.brokers.join(', ')}] }`,
      `kafkaTopics: { topicPrefix: ${d.prefix}, defaults: { partitionCount: 4 } }`,
      `plugins: [${JSON.stringify(join(dir, 'fast-plugin.mjs'))}]`,
      `storage: { options: { root: ${JSON.stringify(bucket)}, bucket: bucket, pollIntervalMs: 300${options.storage ? `, ${options.storage}` : ''} } }`,
      `catalog: { options: { connectionString: ${JSON.stringify(options.databaseUrl)} } }`,
      `runtime: { ${options.runtime} }`,
      '',
    ].join('\n'),
  );
  return { bucket };
}

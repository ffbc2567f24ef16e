import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopicRegistry,
  type Catalog,
  configSchema,
  createKafkaClient,
  createMessageProducer,
  createServices,
  type Logger,
  type MessageProducer,
  type ObjectStore,
  type Service,
  type SignalPlugin,
  serviceNames,
  type TopicRegistry,
} from '../../packages/core/src/index.js';
import { createDirectoryWatchSource, createFsStore } from '../../packages/storage-fs/src/index.js';

/** Services of a deployment running inside the test process, on a fresh local bucket. */
export interface InProcessDeployment {
  root: string;
  store: ObjectStore;
  registry: TopicRegistry;
  producer: MessageProducer;
  services: Service[];
  stop(): Promise<void>;
}

/** Errors always; more with LAKERUNNER_TEST_LOG=warn or =info, to see why a test waits. */
function testLogger(): Logger {
  const level = process.env.LAKERUNNER_TEST_LOG ?? 'error';
  const print = (name: string) => (msg: string, fields?: object) =>
    console.error(name, msg, JSON.stringify(fields ?? {}));
  return {
    debug() {},
    info: level === 'info' ? print('info') : () => {},
    warn: level === 'info' || level === 'warn' ? print('warn') : () => {},
    error: print('error'),
  };
}

export async function startInProcess(options: {
  brokers: string[];
  prefix: string;
  plugins: SignalPlugin[];
  catalog: Catalog;
  /** Default: every service of the registry. */
  services?: string[];
  /** How long replaced segments are kept before the sweeper may delete them (default 1 h). */
  sweeperGraceMs?: number;
}): Promise<InProcessDeployment> {
  const root = mkdtempSync(join(tmpdir(), 'lakerunner-in-process-'));
  const store = createFsStore({ root, bucket: 'bucket' });
  const kafka = createKafkaClient(configSchema.parse({ kafka: { brokers: options.brokers } }).kafka);
  const producer = await createMessageProducer(kafka);
  const registry = buildTopicRegistry(options.plugins, options.prefix);
  const services = createServices(
    {
      kafka,
      registry,
      plugins: options.plugins,
      store,
      sources: [createDirectoryWatchSource({ root, bucket: 'bucket', pollIntervalMs: 200, settleMs: 20 })],
      catalog: options.catalog,
      producer,
      lakePrefix: 'lake',
      log: testLogger(),
      boxerFlushIntervalMs: 200,
      ...(options.sweeperGraceMs !== undefined ? { sweeperGraceMs: options.sweeperGraceMs } : {}),
    },
    options.services ?? serviceNames(registry),
  );
  for (const s of services) await s.start();
  return {
    root,
    store,
    registry,
    producer,
    services,
    async stop() {
      for (const s of [...services].reverse()) await s.stop();
      await producer.close();
    },
  };
}

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

export async function startInProcess(options: {
  brokers: string[];
  prefix: string;
  plugins: SignalPlugin[];
  catalog: Catalog;
  /** Default: every service of the registry. */
  services?: string[];
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
      log: { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) },
      boxerFlushIntervalMs: 200,
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

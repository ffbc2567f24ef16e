import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Catalog,
  createLakerunner,
  type Lakerunner,
  type LakerunnerConfigInput,
  type Logger,
  type ObjectStore,
  type Service,
  type SignalPlugin,
  type TopicRegistry,
} from '../../packages/core/src/index.js';
import { createDirectoryWatchSource, createFsStore } from '../../packages/storage-fs/src/index.js';

/** Services of a deployment running inside the test process, on a fresh local bucket. */
export interface InProcessDeployment {
  root: string;
  store: ObjectStore;
  registry: TopicRegistry;
  services: readonly Service[];
  lake: Lakerunner;
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

/** The deployment is composed by `createLakerunner`, as an application embedding it would. */
export async function startInProcess(options: {
  brokers: string[];
  prefix: string;
  plugins: SignalPlugin[];
  catalog: Catalog;
  /** Default: every service of the registry. */
  services?: string[];
  /** How long replaced segments are kept before the sweeper may delete them (default 1 h). */
  sweeperGraceMs?: number;
  /** The bucket's directory (default: a fresh one), e.g. the same bucket after a restart. */
  root?: string;
  /** More of the config schema, e.g. `limits`, or `runtime` settings beside the test's own. */
  config?: Pick<LakerunnerConfigInput, 'limits' | 'runtime'>;
}): Promise<InProcessDeployment> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'lakerunner-in-process-'));
  const store = createFsStore({ root, bucket: 'bucket' });
  const lake = await createLakerunner({
    kafka: { brokers: options.brokers },
    topicPrefix: options.prefix,
    plugins: options.plugins,
    storage: {
      store,
      sources: [createDirectoryWatchSource({ root, bucket: 'bucket', pollIntervalMs: 200, settleMs: 20 })],
    },
    catalog: options.catalog,
    services: options.services ?? 'all',
    log: testLogger(),
    config: {
      ...options.config,
      runtime: {
        boxerFlushIntervalMs: 200,
        ...(options.sweeperGraceMs !== undefined ? { sweeperGraceMs: options.sweeperGraceMs } : {}),
        ...options.config?.runtime,
      },
    },
  });
  await lake.start();
  return {
    root,
    store,
    registry: lake.registry,
    services: lake.services,
    lake,
    stop: () => lake.stop(),
  };
}

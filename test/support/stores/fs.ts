import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsStore } from '../../../packages/storage-fs/src/index.js';
import type { StoreUnderTest } from './store-under-test.js';

/** A local directory: nothing to provision. */
export async function provisionFs(): Promise<StoreUnderTest> {
  const root = join(mkdtempSync(join(tmpdir(), 'lakerunner-swap-fs-')), 'bucket');
  const store = createFsStore({ root, bucket: 'local' });
  return { options: { root, bucket: 'local', pollIntervalMs: 200 }, env: {}, store };
}

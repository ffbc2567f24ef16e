import { createGcsStore } from '../../../packages/storage-gcs/src/index.js';
import { type GcsEmulators, provisionGcs as provision } from '../../../scripts/services/provision-gcs.mjs';
import type { StoreUnderTest } from './store-under-test.js';

export type { GcsEmulators } from '../../../scripts/services/provision-gcs.mjs';

/**
 * A bucket on fake-gcs-server, a topic and a subscription on pstest, linked by a real notification
 * configuration for the raw prefix (scripts/services/provision-gcs.mjs), with the adapter's own
 * store client on the bucket.
 */
export async function provisionGcs(gcs: GcsEmulators, label: string): Promise<StoreUnderTest> {
  const { options, env, pending, storage, bucket } = await provision(gcs, label);
  return { options, env, pending, store: createGcsStore({ storage, bucket }) };
}

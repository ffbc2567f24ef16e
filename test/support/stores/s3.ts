import { createS3Store } from '../../../packages/storage-s3/src/index.js';
import { provisionS3 as provision } from '../../../scripts/services/provision-s3.mjs';
import type { StoreUnderTest } from './store-under-test.js';

/**
 * A bucket and a queue on moto, linked by a real bucket notification configuration for the raw
 * prefix (scripts/services/provision-s3.mjs), with the adapter's own store client on the bucket.
 */
export async function provisionS3(endpoint: string, name: string): Promise<StoreUnderTest> {
  const { options, env, pending, s3, bucket } = await provision(endpoint, name);
  return { options, env, pending, store: createS3Store({ client: s3, bucket }) };
}

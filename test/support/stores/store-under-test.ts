import type { ObjectStore } from '../../../packages/core/src/index.js';

/**
 * One object store of examples/swap-object-store, provisioned on its emulator for a test: the
 * `storage.options` that point the example's config at it, the environment its SDK needs, and a
 * store client to put raw objects and read segments back with.
 */
export interface StoreUnderTest {
  options: Record<string, unknown>;
  env: Record<string, string>;
  store: ObjectStore;
  /** Notifications the backend still holds (sent, not yet deleted); undefined if it cannot tell. */
  pending?(): Promise<number>;
}

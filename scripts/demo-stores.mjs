// The object store the demo runs on: a local directory by default, or a bucket on one of the
// emulators the repo's scripts install and start (`--store s3|gcs|azure`), provisioned the way an
// operator would set up the cloud (bucket, queue or topic, notification configuration), so the
// path from a written object to Kafka is the cloud's own.
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { azureStorageAdapter } from '@lakerunner/storage-azure';
import { fsStorageAdapter } from '@lakerunner/storage-fs';
import { gcsStorageAdapter } from '@lakerunner/storage-gcs';
import { s3StorageAdapter } from '@lakerunner/storage-s3';
import { startAzurite } from './services/azurite.mjs';
import { startGcsEmulators } from './services/gcs.mjs';
import { startMoto } from './services/moto.mjs';
import { announceBlobCreated, provisionAzure } from './services/provision-azure.mjs';
import { provisionGcs } from './services/provision-gcs.mjs';
import { provisionS3 } from './services/provision-s3.mjs';

export const DEMO_STORES = ['fs', 's3', 'gcs', 'azure'];

/**
 * @typedef {object} DemoStore
 * @property {string} description What the bucket is, for the demo's output.
 * @property {{ adapter: unknown, options: Record<string, unknown> }} storage The `storage` part of createLakerunner.
 * @property {(store: import('@lakerunner/core').ObjectStore, key: string, body: Buffer) => Promise<void>} put
 *   Writes a raw object as a producer (a collector's exporter) would.
 * @property {string | undefined} lakeUrl Where the lake's segments are, as a URL, for a cloud store.
 */

/**
 * @param {string} kind fs, s3, gcs or azure
 * @param {{ dir: string, log: (line: string) => void }} options `dir`: the local bucket's directory
 * @returns {Promise<DemoStore>}
 */
export async function startDemoStore(kind, { dir, log }) {
  // Each run gets fresh names: emulator state outlives a run, and a bucket name is taken once made.
  const label = `lakerunner-demo-${randomBytes(3).toString('hex')}`;
  const plainPut = (store, key, body) => store.put(key, body).then(() => {});
  switch (kind) {
    case 'fs':
      return {
        description: `local directory ${relative(process.cwd(), dir) || '.'}`,
        storage: {
          adapter: fsStorageAdapter,
          options: { root: dir, bucket: 'demo-bucket', pollIntervalMs: 500 },
        },
        put: plainPut,
        lakeUrl: undefined,
      };
    case 's3': {
      const moto = await startMoto({ log });
      const s3 = await provisionS3(moto.endpoint, label);
      // Credentials reach the SDK from the environment, as on AWS; never from the config.
      Object.assign(process.env, s3.env);
      log(
        `S3: bucket ${s3.bucket} on moto ${moto.version} at ${moto.endpoint}, notifications to SQS ${s3.queueUrl}`,
      );
      return {
        description: `S3 bucket ${s3.bucket} (moto), notifications through SQS`,
        storage: { adapter: s3StorageAdapter, options: s3.options },
        put: plainPut,
        lakeUrl: `s3://${s3.bucket}/lake/`,
      };
    }
    case 'gcs': {
      const emulators = await startGcsEmulators({ log });
      const gcs = await provisionGcs(emulators, label);
      log(
        `GCS: bucket ${gcs.bucket} on fake-gcs-server ${emulators.version} at ${emulators.endpoint}, notifications to Pub/Sub ${gcs.topic} (pstest)`,
      );
      return {
        description: `GCS bucket ${gcs.bucket} (fake-gcs-server), notifications through Pub/Sub (pstest)`,
        storage: { adapter: gcsStorageAdapter, options: gcs.options },
        put: plainPut,
        lakeUrl: `gs://${gcs.bucket}/lake/`,
      };
    }
    case 'azure': {
      const azurite = await startAzurite({ log });
      const azure = await provisionAzure(azurite, label);
      Object.assign(process.env, azure.env);
      log(
        `Azure: container ${azure.container} on Azurite ${azurite.version}, events to queue ${azure.queueName}`,
      );
      return {
        description: `Azure Blob container ${azure.container} (Azurite), Event Grid events through a Storage queue`,
        storage: { adapter: azureStorageAdapter, options: azure.options },
        // Azurite has no Event Grid: after each write the demo enqueues the BlobCreated event
        // Event Grid would deliver (the documented payload, with the blob's real ETag and length).
        put: async (store, key, body) => {
          await store.put(key, body);
          await announceBlobCreated(azure, key);
        },
        lakeUrl: `az://${azure.container}/lake/`,
      };
    }
    default:
      throw new Error(`--store must be one of ${DEMO_STORES.join(', ')}; got "${kind}"`);
  }
}

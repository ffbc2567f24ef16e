import { type AdapterOptionsSpec, defineAdapterOptions, optionCheck, optionChecks } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-azure`. Secrets never come from this file: the
 * connection string (which may carry an account key or a SAS token) or the account key is read
 * from the environment variable these options name.
 */
export interface AzureAdapterOptions {
  container: string;
  accountUrl?: string;
  queueAccountUrl?: string;
  connectionStringEnv?: string;
  accountKeyEnv?: string;
  queueName?: string;
  blockSizeBytes?: number;
  requestTimeoutMs?: number;
  maxMessages?: number;
  visibilityTimeoutSeconds?: number;
  pollIntervalMs?: number;
  maxDequeues?: number;
}

const MiB = 1024 * 1024;
const envName = optionCheck(
  'an environment variable name',
  (v) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v),
);
/** Azure's naming rule for containers and queues: 3–63 lower-case letters, digits, single hyphens. */
const azureName = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export const azureAdapterOptions: AdapterOptionsSpec<AzureAdapterOptions> =
  defineAdapterOptions<AzureAdapterOptions>('@lakerunner/storage-azure', 'storage', {
    container: {
      check: optionCheck(
        'a container name (3–63 lower-case letters, digits and single hyphens)',
        (v) => typeof v === 'string' && (v === '$root' || azureName.test(v)),
      ),
      required: 'the container name is required',
      description: 'The container: raw blobs land in it and the lake is written to it.',
    },
    accountUrl: {
      check: optionChecks.url,
      default: 'the connection string',
      description:
        "The blob service URL (`https://<account>.blob.core.windows.net`), authenticated with the key in `accountKeyEnv` (the account name is AZURE_STORAGE_ACCOUNT, else the URL's first label).",
    },
    queueAccountUrl: {
      check: optionChecks.url,
      default: '`accountUrl` with `.blob.` → `.queue.`',
      description: 'The queue service URL, with `accountUrl`.',
    },
    connectionStringEnv: {
      check: envName,
      default: 'AZURE_STORAGE_CONNECTION_STRING',
      description: 'The environment variable holding the connection string (account key or SAS).',
    },
    accountKeyEnv: {
      check: envName,
      default: 'AZURE_STORAGE_KEY',
      description: 'The environment variable holding the account key for `accountUrl`.',
    },
    queueName: {
      check: optionCheck(
        'a queue name (3–63 lower-case letters, digits and single hyphens)',
        (v) => typeof v === 'string' && azureName.test(v),
      ),
      default: 'no source',
      description: 'The Storage queue the Event Grid subscription delivers blob events to.',
    },
    blockSizeBytes: {
      // Put Blob in one request up to the SDK's 256 MiB; blocks of the same size beyond.
      check: optionChecks.integer(MiB, 256 * MiB, 'bytes'),
      default: '64 MiB',
      description: 'Blobs up to this size go up in one request; larger ones in blocks of this size.',
    },
    requestTimeoutMs: {
      check: optionChecks.integer(1000, 3_600_000, 'milliseconds'),
      default: '120000 (store), 30000 (queue)',
      description:
        'How long one request may wait for its answer before it fails as a retriable outage (a whole block must upload within it).',
    },
    maxMessages: {
      check: optionChecks.integer(1, 32, 'messages'),
      default: '32',
      description: 'Messages received per poll.',
    },
    visibilityTimeoutSeconds: {
      check: optionChecks.integer(10, 43_200, 'seconds'),
      default: '60',
      description: 'How long a received message stays hidden while its blobs are handed to Kafka.',
    },
    pollIntervalMs: {
      check: optionChecks.integer(100, 60_000, 'milliseconds'),
      default: '1000',
      description: 'Wait between polls of an empty queue.',
    },
    maxDequeues: {
      check: optionChecks.integer(1, 1000, 'dequeues'),
      default: '5',
      description:
        'Past this many receives, every failure of a message is logged as an error (it is never deleted).',
    },
  });

import { type OptionCheck, optionChecks, parseAdapterOptions } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-azure`. Secrets never come from this file: the
 * connection string (which may carry an account key or a SAS token) or the account key is read
 * from the environment variable these options name.
 */
export interface AzureAdapterOptions {
  container: string;
  /**
   * The blob service URL (`https://<account>.blob.core.windows.net`), authenticated with the
   * account name and key in AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY. Without it the
   * connection string is used.
   */
  accountUrl?: string;
  /** The queue service URL, when `accountUrl` is given and it is not `accountUrl` with `.blob.` → `.queue.`. */
  queueAccountUrl?: string;
  /** The environment variable holding the connection string (default AZURE_STORAGE_CONNECTION_STRING). */
  connectionStringEnv?: string;
  /** The environment variable holding the account key for `accountUrl` (default AZURE_STORAGE_KEY). */
  accountKeyEnv?: string;
  /** The queue the Event Grid subscription delivers blob events to; without it the adapter has no source. */
  queueName?: string;
  blockSizeBytes?: number;
  /**
   * How long one request may wait for its answer before it fails as a retriable outage (default
   * 120 s for the store, where a whole block must upload within it, and 30 s for the queue).
   */
  requestTimeoutMs?: number;
  maxMessages?: number;
  visibilityTimeoutSeconds?: number;
  pollIntervalMs?: number;
  maxDequeues?: number;
}

const MiB = 1024 * 1024;
const envName: OptionCheck = (v) =>
  typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'an environment variable name';

const CHECKS: Record<keyof AzureAdapterOptions, OptionCheck> = {
  container: (v) =>
    typeof v === 'string' && /^(?:\$root|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/.test(v)
      ? undefined
      : 'a container name (3–63 lower-case letters, digits and single hyphens)',
  accountUrl: optionChecks.url,
  queueAccountUrl: optionChecks.url,
  connectionStringEnv: envName,
  accountKeyEnv: envName,
  queueName: (v) =>
    typeof v === 'string' && /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(v)
      ? undefined
      : 'a queue name (3–63 lower-case letters, digits and single hyphens)',
  // Put Blob in one request up to the SDK's 256 MiB; blocks of the same size beyond.
  blockSizeBytes: optionChecks.integer(MiB, 256 * MiB, 'bytes'),
  requestTimeoutMs: optionChecks.integer(1000, 3_600_000, 'milliseconds'),
  maxMessages: optionChecks.integer(1, 32, 'messages'),
  visibilityTimeoutSeconds: optionChecks.integer(10, 43_200, 'seconds'),
  pollIntervalMs: optionChecks.integer(100, 60_000, 'milliseconds'),
  maxDequeues: optionChecks.integer(1, 1000, 'dequeues'),
};

export function parseAzureAdapterOptions(options: object): AzureAdapterOptions {
  return parseAdapterOptions<AzureAdapterOptions>('@lakerunner/storage-azure', options, CHECKS, {
    container: 'the container name is required',
  });
}

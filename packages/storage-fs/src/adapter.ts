import { defineStorageAdapter, silentLogger } from '@lakerunner/core';
import { type FsAdapterOptions, fsAdapterOptions, parseFsAdapterOptions } from './adapter-options.js';
import { createDirectoryWatchSource } from './directory-watch-source.js';
import { createFsStore } from './fs-store.js';
import { prepareRoot } from './root-dir.js';

/**
 * `storage: { module: '@lakerunner/storage-fs', options: { root, bucket?, pollIntervalMs?,
 * settleMs?, ignorePrefixes? } }`: a local directory as the bucket, watched for new files
 * (the lake's own prefix, from the adapter context, is ignored unless `ignorePrefixes` is given). The
 * process's log and metrics, when given, receive refused operations, skipped entries and scan
 * failures.
 */
export const fsStorageAdapter = defineStorageAdapter<FsAdapterOptions>({
  name: '@lakerunner/storage-fs',
  options: fsAdapterOptions,
  async create(options, context) {
    const { root, bucket, pollIntervalMs, settleMs, ignorePrefixes } = parseFsAdapterOptions(options);
    await prepareRoot(root);
    const log = context?.log ?? silentLogger;
    const metrics = context?.metrics;
    return {
      store: createFsStore({ root, bucket, log, metrics }),
      sources: [
        createDirectoryWatchSource({
          root,
          bucket,
          pollIntervalMs,
          settleMs,
          // The lake's own segments live in the same directory; the watcher need not report them.
          ignorePrefixes: ignorePrefixes ?? (context?.lakePrefix ? [`${context.lakePrefix}/`] : undefined),
          log,
          metrics,
        }),
      ],
    };
  },
});

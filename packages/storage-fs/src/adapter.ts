import { defineStorageAdapter, LakerunnerError } from '@lakerunner/core';
import { createDirectoryWatchSource } from './directory-watch-source.js';
import { createFsStore } from './fs-store.js';

/**
 * `storage: { module: '@lakerunner/storage-fs', options: { root, bucket?, pollIntervalMs?, ignorePrefixes? } }`:
 * a local directory as the bucket, watched for new files (`lakerunner run` ignores the lake's own
 * prefix unless `ignorePrefixes` is given).
 */
export const fsStorageAdapter = defineStorageAdapter({
  name: '@lakerunner/storage-fs',
  async create(options) {
    const { root, bucket, pollIntervalMs, ignorePrefixes } = options;
    if (typeof root !== 'string' || root.length === 0) {
      throw new LakerunnerError(
        'LR_CONFIG_INVALID',
        'storage.options.root: the bucket directory is required',
      );
    }
    const name = typeof bucket === 'string' ? bucket : undefined;
    return {
      store: createFsStore({ root, bucket: name }),
      sources: [
        createDirectoryWatchSource({
          root,
          bucket: name,
          pollIntervalMs: typeof pollIntervalMs === 'number' ? pollIntervalMs : undefined,
          ignorePrefixes: Array.isArray(ignorePrefixes) ? ignorePrefixes.map(String) : undefined,
        }),
      ],
    };
  },
});

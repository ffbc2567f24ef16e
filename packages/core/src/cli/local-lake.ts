import { join, resolve } from 'node:path';
import type { LakerunnerConfig } from '../config/schema.js';
import { LakerunnerError } from '../errors.js';
import { validateObjectKey } from '../storage/keys.js';

const LOCAL_STORE = '@lakerunner/storage-fs';

/**
 * Where the lake's objects are on this machine, for an engine that reads files itself (DuckDB).
 * Only the local-directory store has them here: it keeps the object `a/b.parquet` at
 * `<root>/a/b.parquet`. Cloud stores would need each object downloaded or the engine given
 * credentials of its own; neither is done yet, so they are refused with a clear error.
 */
export function localObjectPath(config: LakerunnerConfig, cwd: string): (key: string) => string {
  const { module, options } = config.storage;
  const root = options.root;
  if (module !== LOCAL_STORE || typeof root !== 'string' || root.length === 0) {
    throw new LakerunnerError(
      'LR_QUERY_STORE_UNSUPPORTED',
      `lakerunner query reads the lake's files from the local-directory store (${LOCAL_STORE} with ` +
        `options.root) for now; this deployment's storage is ${module}. List the live segments with ` +
        '`lakerunner segments list` and read those objects with your own engine.',
    );
  }
  // A relative root resolves against the working directory, as the store itself does.
  const base = resolve(cwd, root);
  // A key from the catalog is checked like any key, so none reaches outside the root.
  return (key) => join(base, ...validateObjectKey(key).split('/'));
}

import { mkdir, realpath, stat } from 'node:fs/promises';
import { LakerunnerError } from '@lakerunner/core';
import { errnoCode } from './errors.js';

/**
 * The root's real path, resolved once: the root may itself be a symlink (a configured path is
 * trusted), what is below it may not. undefined while the root does not exist and `create` is
 * false (reads then find nothing); a failure is not remembered, so a root created later is found.
 */
export function realRootOf(root: string): (create: boolean) => Promise<string | undefined> {
  let resolved: string | undefined;
  return async (create) => {
    if (resolved !== undefined) return resolved;
    if (create) await mkdir(root, { recursive: true });
    try {
      resolved = await realpath(root);
    } catch (err) {
      if (!create && errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    return resolved;
  };
}

/**
 * Makes sure the configured root is a directory, creating it if missing; anything else is a
 * configuration error that names the path, rather than a storage error at the first write.
 */
export async function prepareRoot(root: string): Promise<void> {
  const invalid = (why: string) =>
    new LakerunnerError('LR_CONFIG_INVALID', `storage.options.root: ${root} ${why}`);
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw invalid(`cannot be created: ${(err as Error).message}`);
  }
  let found: Awaited<ReturnType<typeof stat>>;
  try {
    found = await stat(root);
  } catch (err) {
    throw invalid(`cannot be read: ${(err as Error).message}`);
  }
  if (!found.isDirectory()) throw invalid('exists and is not a directory');
}

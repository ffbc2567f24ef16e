import { LakerunnerError } from '@lakerunner/core';

/** The errno code of a Node.js system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Thrown inside the store when a path inside the bucket turns out to be, or to go through, a
 * symlink. The store turns it into LR_STORAGE_KEY_INVALID and reports it; `at` is the offending
 * path relative to the root.
 */
export class SymlinkRefusal extends Error {
  constructor(readonly at: string) {
    super(`refused a symlink at ${at}`);
    this.name = 'SymlinkRefusal';
  }
}

export function notFound(key: string): LakerunnerError {
  return new LakerunnerError('LR_STORAGE_NOT_FOUND', `object ${key} does not exist`);
}

export function unavailable(what: string, err: unknown): LakerunnerError {
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', `${what} failed: ${(err as Error).message}`, {
    retriable: true,
    cause: err,
  });
}

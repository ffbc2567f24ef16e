import { LakerunnerError } from '../errors.js';

/**
 * Object keys are relative, '/'-separated paths. Anything that could escape a root directory or
 * confuse a backend (absolute paths, '..' or '.' segments, NUL, backslashes, empty segments) is
 * rejected before it reaches an adapter.
 */
export function validateObjectKey(key: string): string {
  const bad = (why: string) =>
    new LakerunnerError('LR_STORAGE_KEY_INVALID', `object key ${JSON.stringify(key)} ${why}`);
  if (key.length === 0) throw bad('is empty');
  if (key.length > 1024) throw bad('is longer than 1024 characters');
  if (key.includes('\0')) throw bad('contains NUL');
  if (key.includes('\\')) throw bad('contains a backslash');
  if (key.startsWith('/')) throw bad('is absolute');
  const segments = key.split('/');
  if (segments.some((s) => s === '..' || s === '.')) throw bad('contains a "." or ".." segment');
  if (segments.slice(0, -1).some((s) => s === '')) throw bad('contains an empty path segment');
  return key;
}

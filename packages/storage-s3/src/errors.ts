import { LakerunnerError } from '@lakerunner/core';

/** What the AWS SDK puts on a failed request: the service's error name and the HTTP status. */
interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const status = (err: unknown) => (err as SdkError | undefined)?.$metadata?.httpStatusCode;
const errorName = (err: unknown) => (err as SdkError | undefined)?.name ?? '';

/** The object is missing (a missing bucket is configuration, reported as such). */
export function isNotFound(err: unknown): boolean {
  if (errorName(err) === 'NoSuchBucket') return false;
  return status(err) === 404 || ['NoSuchKey', 'NotFound'].includes(errorName(err));
}

export function isPreconditionFailed(err: unknown): boolean {
  return status(err) === 412 || errorName(err) === 'PreconditionFailed';
}

/** 400s that are S3 timing out rather than the request being wrong. */
const TRANSIENT_400 = new Set(['RequestTimeout', 'RequestTimeTooSkewed', 'ExpiredToken']);

/**
 * A failed request as a LakerunnerError. Only what is wrong with the one object is permanent (a
 * 400 such as an SSE-C object read without its key, an archived object): its input is
 * dead-lettered. Everything else is retried with backoff, refused credentials and a missing
 * bucket included: they fail every object alike, and dead-lettering them all would need a
 * manual redrive once the configuration is fixed, where retrying resumes by itself.
 */
export function storageError(what: string, err: unknown): LakerunnerError {
  const code = status(err);
  const name = errorName(err);
  const message = `${what} failed: ${name ? `${name}: ` : ''}${(err as Error).message}`;
  const permanent = (code === 400 && !TRANSIENT_400.has(name)) || name === 'InvalidObjectState';
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', message, { retriable: !permanent, cause: err });
}

/**
 * An object's version: its ETag without S3's quotes. A store that sends none (some S3-compatible
 * ones) gets its size and time instead, never an empty version, which no notification may carry.
 */
export function versionOf(etag: string | undefined, size: number, modified = new Date()): string {
  const bare = (etag ?? '').replace(/^"|"$/g, '');
  return bare || `size-${size}-at-${modified.getTime()}`;
}

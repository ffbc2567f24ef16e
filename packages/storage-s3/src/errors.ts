import { LakerunnerError } from '@lakerunner/core';

/** What the AWS SDK puts on a failed request: the service's error name and the HTTP status. */
interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
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

/**
 * A failed request as a LakerunnerError. A missing bucket or refused credentials are
 * configuration (a retry cannot fix them), everything else — throttling, 5xx, timeouts, a
 * dropped connection — is retried by the caller with backoff.
 */
export function storageError(what: string, err: unknown): LakerunnerError {
  const code = status(err);
  const name = errorName(err);
  const message = `${what} failed: ${name ? `${name}: ` : ''}${(err as Error).message}`;
  const permanent =
    name === 'NoSuchBucket' || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || code === 403;
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', message, { retriable: !permanent, cause: err });
}

/** S3 quotes ETags; the version is the bare value. */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

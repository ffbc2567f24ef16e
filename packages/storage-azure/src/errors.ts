import { LakerunnerError } from '@lakerunner/core';

/**
 * What the Azure SDK puts on a failed request (a RestError): the HTTP status and the service's
 * error code. A HEAD response has no body, so its code comes only from the x-ms-error-code
 * header, in `details.errorCode`.
 */
interface SdkError {
  code?: string;
  statusCode?: number;
  details?: { errorCode?: string };
}

const status = (err: unknown) => (err as SdkError | undefined)?.statusCode;

function errorCode(err: unknown): string {
  const e = err as SdkError | undefined;
  return e?.details?.errorCode ?? e?.code ?? '';
}

/** The container (or queue) itself is missing: configuration, never "no such object". */
function isMissingContainer(err: unknown): boolean {
  return ['ContainerNotFound', 'ContainerBeingDeleted', 'QueueNotFound', 'QueueBeingDeleted'].includes(
    errorCode(err),
  );
}

/** The blob is missing (a 404 that is not about the container). */
export function isBlobNotFound(err: unknown): boolean {
  return status(err) === 404 && !isMissingContainer(err);
}

/** A write with `If-None-Match: *` found the blob: Azure answers 409 BlobAlreadyExists (or 412). */
export function isAlreadyExists(err: unknown): boolean {
  return status(err) === 412 || (status(err) === 409 && errorCode(err) === 'BlobAlreadyExists');
}

/** Codes that say this one blob cannot be served as asked, whatever the retry. */
const PERMANENT_CODES = new Set([
  'InvalidResourceName',
  'BlobArchived',
  'InvalidHeaderValue',
  'InvalidBlobOrBlock',
]);

/**
 * A failed request as a LakerunnerError. Only what is wrong with the one blob is permanent: its
 * input is dead-lettered. Everything else is retried with backoff, refused credentials and a
 * missing container included: they fail every object alike, and dead-lettering them all would
 * need a manual redrive once the configuration is fixed, where retrying resumes by itself.
 */
export function storageError(what: string, err: unknown): LakerunnerError {
  const code = errorCode(err);
  const http = status(err);
  const detail = [code, http ? `HTTP ${http}` : ''].filter(Boolean).join(', ');
  // The SDK's message for a HEAD failure is empty: the code and status say it all.
  const text = (err as Error | undefined)?.message || 'no response body';
  const message = `${what} failed: ${detail ? `${detail}: ` : ''}${text}`;
  const permanent = PERMANENT_CODES.has(code);
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', message, { retriable: !permanent, cause: err });
}

/**
 * Runs one SDK call (with the SDK's own retries) under a deadline. The SDK waits for an answer
 * as long as the socket stays open; a store that stops answering must fail as a retriable
 * outage instead of holding a worker or the source for good.
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  run: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abortSignal = AbortSignal.timeout(ms);
  try {
    return await run(abortSignal);
  } catch (err) {
    if (!abortSignal.aborted) throw err;
    throw new LakerunnerError('LR_STORAGE_UNAVAILABLE', `${what} failed: no answer within ${ms} ms`, {
      retriable: true,
      cause: err,
    });
  }
}

import { LakerunnerError } from '@lakerunner/core';

/**
 * What the Storage client puts on a failed request: the HTTP status as a number in `code` (a
 * socket error's code is a string such as ECONNRESET), or in `status` for the gaxios errors of
 * resumable uploads; and GCS's own reasons.
 */
interface ApiError {
  code?: number | string;
  status?: number;
  response?: { status?: number };
  message?: string;
  errors?: { reason?: string; message?: string }[];
}

const status = (err: unknown) => {
  const e = err as ApiError | undefined;
  return [e?.code, e?.status, e?.response?.status].find((c): c is number => typeof c === 'number');
};
/**
 * The error's message. A failed download carries GCS's whole JSON error body as its message;
 * the message inside is what a log should say.
 */
const message = (err: unknown) => {
  const text = String((err as ApiError | undefined)?.message ?? err);
  if (!text.startsWith('{')) return text;
  try {
    const inner = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof inner === 'string' ? inner : text;
  } catch {
    return text;
  }
};

/**
 * GCS answers 404 for a missing bucket too, saying so in the message: that is configuration,
 * not a missing object. (fake-gcs-server says "Not Found" for both.)
 */
function isMissingBucket(err: unknown): boolean {
  return status(err) === 404 && /bucket does not exist/i.test(message(err));
}

/** The object is missing (a missing bucket is configuration, reported as such). */
export function isNotFound(err: unknown): boolean {
  return status(err) === 404 && !isMissingBucket(err);
}

export function isPreconditionFailed(err: unknown): boolean {
  return status(err) === 412;
}

/** Application Default Credentials that cannot be found or refreshed (or a metadata server hiccup). */
function isCredentialsProblem(err: unknown): boolean {
  return /default credentials|could not refresh access token|invalid_grant|invalid_client/i.test(
    message(err),
  );
}

/**
 * A failed request as a LakerunnerError. Only a request GCS calls malformed for this object (400)
 * is permanent: its input is dead-lettered. Everything else is retried with backoff, refused or
 * missing credentials and a missing bucket included: they fail every object alike, and
 * dead-lettering them all would need a manual redrive once the configuration is fixed, where
 * retrying resumes by itself. (`isCredentialsProblem` only words the message.)
 */
export function storageError(what: string, err: unknown): LakerunnerError {
  const code = status(err);
  const reason = (err as ApiError | undefined)?.errors?.[0]?.reason;
  const hint =
    isMissingBucket(err) || isCredentialsProblem(err) ? ' (configuration; retried until fixed)' : '';
  const text = `${what} failed: ${code ? `${code}${reason ? ` ${reason}` : ''}: ` : ''}${message(err)}${hint}`;
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', text, { retriable: code !== 400, cause: err });
}

/**
 * An object's version: its MD5, which GCS computes for every object uploaded whole, resumably or
 * not, so the same bytes always get the same version. Composite objects have none; theirs is
 * the generation (every rewrite is then a new version).
 */
export function objectVersion(metadata: { md5Hash?: unknown; generation?: unknown }): string {
  if (typeof metadata.md5Hash === 'string' && metadata.md5Hash !== '') return metadata.md5Hash;
  if (metadata.generation !== undefined && metadata.generation !== null) return String(metadata.generation);
  return '';
}

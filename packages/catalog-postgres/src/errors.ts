import { isLakerunnerError, LakerunnerError } from '@lakerunner/core';

/**
 * Database failures that retrying can cure (connection lost, server shutting down, out of
 * resources, serialization failure or deadlock) become retriable LR_CATALOG_UNAVAILABLE errors;
 * anything else is a bug or a schema problem and passes through unchanged.
 */
const RETRIABLE_SQLSTATE_CLASSES = ['08', '40', '53', '57'];

export function asCatalogError(err: unknown): unknown {
  if (isLakerunnerError(err)) return err;
  const code = (err as { code?: unknown }).code;
  const retriable =
    (typeof code === 'string' &&
      RETRIABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2)) &&
      /^[0-9A-Z]{5}$/.test(code)) ||
    (typeof code === 'string' && code.startsWith('E')) ||
    /Connection terminated|connection closed|ECONNRESET|ECONNREFUSED/i.test(String((err as Error)?.message));
  if (!retriable) return err;
  return new LakerunnerError('LR_CATALOG_UNAVAILABLE', `catalog database: ${(err as Error).message}`, {
    retriable: true,
    cause: err,
  });
}

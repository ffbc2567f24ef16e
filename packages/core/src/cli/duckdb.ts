import { LakerunnerError } from '../errors.js';

export type DuckDB = typeof import('@duckdb/node-api');

/** The version packages/core/package.json names as an optional peer dependency (a test keeps them equal). */
export const DUCKDB_VERSION = '1.5.6-r.1';

/**
 * DuckDB, loaded only by the command that needs it: it is an optional peer dependency (a native
 * build of tens of MB that every deployment and container image would otherwise carry), installed
 * by those who query the lake from the CLI; every other command works without it.
 */
export async function loadDuckDB(): Promise<DuckDB> {
  try {
    return await import('@duckdb/node-api');
  } catch (err) {
    throw new LakerunnerError(
      'LR_QUERY_ENGINE_MISSING',
      `lakerunner query runs DuckDB, which could not be loaded (${(err as Error).message.split('\n')[0]}). ` +
        `Install it where lakerunner is installed: npm install @duckdb/node-api@${DUCKDB_VERSION} ` +
        '(an optional peer dependency of @lakerunner/core, installed only when asked for).',
      { cause: err },
    );
  }
}

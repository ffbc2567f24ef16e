import { LakerunnerError } from '@lakerunner/core';

/** `storage.options` of `@lakerunner/storage-fs`, validated. */
export interface FsAdapterOptions {
  root: string;
  bucket?: string;
  pollIntervalMs?: number;
  settleMs?: number;
  ignorePrefixes?: string[];
}

const HOUR_MS = 3_600_000;

type Check = (value: unknown) => string | undefined;

const nonEmptyString: Check = (v) =>
  typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string';
const millis =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `a whole number of milliseconds from ${min} to ${max}`;
const stringList: Check = (v) =>
  Array.isArray(v) && v.every((p) => typeof p === 'string') ? undefined : 'a list of key prefixes (strings)';

/**
 * Every option this adapter knows. Hand-checked rather than with zod, which this package does
 * not depend on. `ignorePrefixes` is what `lakerunner run` adds (the lake's own prefix).
 */
const CHECKS: Record<keyof FsAdapterOptions, Check> = {
  root: nonEmptyString,
  bucket: nonEmptyString,
  // Below 10 ms a rescan loop would be busy work; above an hour nobody means it.
  pollIntervalMs: millis(10, HOUR_MS),
  settleMs: millis(0, HOUR_MS),
  ignorePrefixes: stringList,
};

/** Rejects unknown and mistyped options with LR_CONFIG_INVALID naming the option. */
export function parseFsAdapterOptions(options: Record<string, unknown>): FsAdapterOptions {
  const invalid = (key: string, why: string) =>
    new LakerunnerError('LR_CONFIG_INVALID', `storage.options.${key}: ${why}`);
  for (const [key, value] of Object.entries(options)) {
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) {
      throw invalid(
        key,
        `unknown option of @lakerunner/storage-fs (known: ${Object.keys(CHECKS).join(', ')})`,
      );
    }
    const expected = value === undefined ? undefined : check(value);
    if (expected) throw invalid(key, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  if (options.root === undefined) throw invalid('root', 'the bucket directory is required');
  return options as unknown as FsAdapterOptions;
}

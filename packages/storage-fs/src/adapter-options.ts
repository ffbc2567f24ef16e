import { type OptionCheck, optionChecks, parseAdapterOptions } from '@lakerunner/core';

/** `storage.options` of `@lakerunner/storage-fs`, validated. */
export interface FsAdapterOptions {
  root: string;
  bucket?: string;
  pollIntervalMs?: number;
  settleMs?: number;
  ignorePrefixes?: string[];
}

const HOUR_MS = 3_600_000;

/** Every option this adapter knows. */
const CHECKS: Record<keyof FsAdapterOptions, OptionCheck> = {
  root: optionChecks.nonEmptyString,
  bucket: optionChecks.nonEmptyString,
  // Below 10 ms a rescan loop would be busy work; above an hour nobody means it.
  pollIntervalMs: optionChecks.integer(10, HOUR_MS, 'milliseconds'),
  settleMs: optionChecks.integer(0, HOUR_MS, 'milliseconds'),
  ignorePrefixes: optionChecks.stringList,
};

/** Rejects unknown and mistyped options with LR_CONFIG_INVALID naming the option. */
export function parseFsAdapterOptions(options: object): FsAdapterOptions {
  return parseAdapterOptions<FsAdapterOptions>('@lakerunner/storage-fs', options, CHECKS, {
    root: 'the bucket directory is required',
  });
}

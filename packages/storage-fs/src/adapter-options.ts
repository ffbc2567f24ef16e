import { type AdapterOptionsSpec, defineAdapterOptions, optionChecks } from '@lakerunner/core';

/** `storage.options` of `@lakerunner/storage-fs`, validated. */
export interface FsAdapterOptions {
  root: string;
  bucket?: string;
  pollIntervalMs?: number;
  settleMs?: number;
  ignorePrefixes?: string[];
}

const HOUR_MS = 3_600_000;

export const fsAdapterOptions: AdapterOptionsSpec<FsAdapterOptions> = defineAdapterOptions<FsAdapterOptions>(
  '@lakerunner/storage-fs',
  'storage',
  {
    root: {
      check: optionChecks.nonEmptyString,
      required: 'the bucket directory is required',
      description: 'Directory that plays the bucket; created if missing.',
    },
    bucket: {
      check: optionChecks.nonEmptyString,
      default: "the directory's name",
      description: 'Bucket name in notifications and catalog rows.',
    },
    pollIntervalMs: {
      // Below 10 ms a rescan loop would be busy work; above an hour nobody means it.
      check: optionChecks.integer(10, HOUR_MS, 'milliseconds'),
      default: '1000',
      description: 'Full rescan interval of the watcher (it also rescans on change events).',
    },
    settleMs: {
      check: optionChecks.integer(0, HOUR_MS, 'milliseconds'),
      default: '1000',
      description: 'The quiet period: how long a file must stay unchanged before it is announced.',
    },
    ignorePrefixes: {
      check: optionChecks.stringList,
      default: '[]',
      description: "Keys the watcher does not report; `lakerunner run` passes the lake's prefix (`lake/`).",
    },
  },
);

/** Rejects unknown and mistyped options with LR_CONFIG_INVALID naming the option. */
export const parseFsAdapterOptions = (options: object): FsAdapterOptions => fsAdapterOptions.parse(options);

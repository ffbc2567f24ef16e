import { lstat, mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  isLakerunnerError,
  type Logger,
  type NotificationSource,
  type ObjectEvent,
  type RuntimeMetrics,
  silentLogger,
} from '@lakerunner/core';
import { fileState, isRacy, legacyVersion } from './content-version.js';
import { createFsStore, isOwnEntry } from './fs-store.js';
import { createQuietPeriod } from './quiet-period.js';
import { createScanLoop } from './scan-loop.js';
import { createSkipReporter } from './skip-reporter.js';
import { type WalkEntry, walkTree } from './walk.js';
import { type Delivered, loadDelivered, saveDelivered } from './watch-state.js';

/** How long a file must stay unchanged before it is announced, unless configured. */
export const DEFAULT_SETTLE_MS = 1000;
const SOURCE = 'directory-watch';
const STATE_DIR = '.lakerunner-watch';

export interface DirectoryWatchOptions {
  /** The store's root directory. */
  root: string;
  bucket?: string;
  /** Full rescans happen this often, and right after the directory reports a change. */
  pollIntervalMs?: number;
  /**
   * The quiet period: a file is announced once two observations at least this far apart found
   * it unchanged (a writer may still be appending). Default 1000 ms.
   */
  settleMs?: number;
  /**
   * Where delivered object versions are remembered between runs; default inside the root, in a
   * hidden directory that listings skip.
   */
  stateFile?: string;
  /** Keys under these prefixes are not reported, e.g. the lake's own segments ('lake/'). */
  ignorePrefixes?: readonly string[];
  /** Scan failures and entries not announced (hidden, symlink, unreadable) are logged here. */
  log?: Logger;
  /** `sourceSkipped` counts entries not announced, by reason. */
  metrics?: RuntimeMetrics;
}

/**
 * Notifications for a local directory. It scans the whole tree on start and then on every
 * change (and at least every `pollIntervalMs`), announcing each object version it has not
 * announced before once the file has been quiet for `settleMs`. A version is the hash of the
 * content, so rewriting the same bytes announces nothing. Delivered versions are written to a
 * state file only after `onObject` resolved, so files added while the source was down are found
 * on the next start, and an event whose delivery failed is tried again on the next scan:
 * nothing is lost, and a crash at worst delivers some objects twice (downstream treats an
 * object version as ingested once).
 */
export function createDirectoryWatchSource(options: DirectoryWatchOptions): NotificationSource {
  const root = resolve(options.root);
  const log = options.log ?? silentLogger;
  const metrics = options.metrics;
  const store = createFsStore({ root, bucket: options.bucket, log, metrics });
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const stateFile = resolve(options.stateFile ?? join(root, STATE_DIR, 'delivered.json'));
  const ignorePrefixes = options.ignorePrefixes ?? [];
  // The state file as a key, when it lies inside the root: it and its temporary siblings are
  // skipped silently (the default location is hidden and lakerunner's own anyway).
  const stateRel = relative(root, stateFile);
  const stateKey =
    stateRel.startsWith('..') || isAbsolute(stateRel) ? undefined : stateRel.split(sep).join('/');
  const isStateEntry = (key: string) =>
    stateKey !== undefined && (key === stateKey || (key.startsWith(`${stateKey}.`) && key.endsWith('.tmp')));

  const files = createQuietPeriod(settleMs);
  const skips = createSkipReporter({ root, settleMs, log, metrics });
  let realRoot = root;
  let statePath = stateFile;
  let delivered = new Map<string, Delivered>();
  /** Changes to `delivered` during the current scan; the state file is written when any. */
  let changes = 0;
  let loop: ReturnType<typeof createScanLoop> | undefined;

  /** Entries skipped on purpose, without a word: the lake's own prefix, our own state. */
  const include = (key: string, isDirectory: boolean) => {
    if (isOwnEntry(key)) return false;
    if (isStateEntry(key)) return false;
    const probe = isDirectory ? `${key}/` : key;
    return !ignorePrefixes.some((p) => probe.startsWith(p));
  };

  /** The version of a quiet file: remembered for its state, or from the store (which hashes). */
  async function versionFor(key: string, state: string): Promise<string | 'changed' | undefined> {
    const known = files.note(key, state);
    if (known) return known;
    let version: string;
    try {
      const info = await store.head(key);
      if (!info) return undefined;
      version = info.version;
    } catch (err) {
      // The store refuses (and reports) a path swapped for a symlink since the walk saw it.
      if (isLakerunnerError(err) && err.code === 'LR_STORAGE_KEY_INVALID') skips.report(key, 'symlink');
      else skips.report(key, 'unreadable', (err as Error).cause ?? err);
      return undefined;
    }
    const after = await lstat(join(realRoot, ...key.split('/')), { bigint: true }).catch(() => undefined);
    if (!after || fileState(after) !== state) return 'changed';
    if (!isRacy(after)) files.attach(key, state, version);
    return version;
  }

  /** Considers one file; true when it is not settled yet (a rescan soon will look again). */
  async function consider(entry: Extract<WalkEntry, { kind: 'file' }>, onObject: OnObject): Promise<boolean> {
    const s = await lstat(entry.path, { bigint: true }).catch(() => undefined);
    if (!s?.isFile()) return false;
    const state = fileState(s);
    const previous = delivered.get(entry.key);
    if (previous?.state === state) return false;
    if (!files.observe(entry.key, state)) return true;
    const version = await versionFor(entry.key, state);
    if (version === 'changed') return true;
    if (version === undefined) return false;
    const remembered: Delivered = isRacy(s) ? { version } : { version, state };
    if (previous && (previous.version === version || previous.version === legacyVersion(s))) {
      // Same content as announced (rewritten with identical bytes), or announced by an older
      // version of this source: nothing new, only the remembered state moves on.
      if (previous.version !== version || previous.state !== remembered.state) {
        delivered.set(entry.key, remembered);
        changes++;
      }
      return false;
    }
    try {
      await onObject({ bucket: store.bucket, key: entry.key, size: Number(s.size), version });
      delivered.set(entry.key, remembered);
      changes++;
    } catch (err) {
      log.warn('delivering an object event failed; it is retried on the next scan', {
        source: SOURCE,
        key: entry.key,
        error: String(err),
      });
    }
    return false;
  }

  /** One pass over the tree; true when some file is still settling. */
  async function scan(onObject: OnObject): Promise<boolean> {
    const present = new Set<string>();
    // Objects under a directory that could not be read are not gone: they stay remembered.
    const unreadable: string[] = [];
    let settling = false;
    changes = 0;
    try {
      for await (const entry of walkTree(realRoot, '', { include, strict: true })) {
        // Stopping mid-scan: what was not seen is not known to be gone either.
        if (loop?.stopped !== false) return settling;
        present.add(entry.key);
        if (entry.kind === 'skip') {
          if (entry.reason === 'unreadable') unreadable.push(`${entry.key}/`);
          await skips.note(entry);
        } else if (await consider(entry, onObject)) {
          settling = true;
        }
      }
      const gone = (key: string) => !present.has(key) && !unreadable.some((dir) => key.startsWith(dir));
      for (const key of delivered.keys()) {
        if (gone(key)) {
          delivered.delete(key);
          changes++;
        }
      }
      files.retain((key) => !gone(key));
      skips.retain((key) => !gone(key));
      return settling;
    } finally {
      // Also when the walk failed half-way: what was delivered before that stays delivered.
      if (changes > 0) await saveDelivered(statePath, realRoot, delivered);
    }
  }

  return {
    name: SOURCE,

    async start(onObject) {
      await mkdir(root, { recursive: true });
      realRoot = await realpath(root);
      // Address the state file through the real root, like everything else inside it.
      statePath = stateKey === undefined ? stateFile : join(realRoot, ...stateKey.split('/'));
      delivered = await loadDelivered(statePath, realRoot, log);
      loop = createScanLoop({ root, scan: () => scan(onObject), pollIntervalMs, settleMs, log });
      await loop.start();
    },

    async stop() {
      await loop?.stop();
    },
  };
}

type OnObject = (event: ObjectEvent) => Promise<void>;

import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Logger, type NotificationSource, type ObjectEvent, silentLogger } from '@lakerunner/core';
import { createFsStore } from './fs-store.js';

export interface DirectoryWatchOptions {
  /** The store's root directory. */
  root: string;
  bucket?: string;
  /** Full rescans happen this often, and right after the directory reports a change. */
  pollIntervalMs?: number;
  /** A file is delivered once it has not changed for this long (a writer may still be busy). */
  settleMs?: number;
  /**
   * Where delivered object versions are remembered between runs; default inside the root, in a
   * hidden directory that listings skip.
   */
  stateFile?: string;
  /** Keys under these prefixes are not reported, e.g. the lake's own segments ('lake/'). */
  ignorePrefixes?: readonly string[];
  log?: Logger;
}

/**
 * Notifications for a local directory. It scans the whole tree on start and then on every
 * change (and at least every `pollIntervalMs`), delivering each object version it has not
 * delivered before. Delivered versions are written to a state file only after `onObject`
 * resolved, so files added while the source was down are found on the next start, and an event
 * whose delivery failed is tried again on the next scan: nothing is lost, and a crash at worst
 * delivers some objects twice (downstream treats an object version as ingested once).
 */
export function createDirectoryWatchSource(options: DirectoryWatchOptions): NotificationSource {
  const root = resolve(options.root);
  const store = createFsStore({ root, bucket: options.bucket });
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const settleMs = options.settleMs ?? 250;
  const stateFile = options.stateFile ?? join(root, '.lakerunner-watch', 'delivered.json');
  const log = options.log ?? silentLogger;
  const ignorePrefixes = options.ignorePrefixes ?? [];
  const ignored = (key: string) => ignorePrefixes.some((p) => key.startsWith(p));

  let delivered = new Map<string, string>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  let rescanRequested = false;
  let stopped = true;

  async function loadState() {
    try {
      delivered = new Map(
        Object.entries(JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, string>),
      );
    } catch {
      delivered = new Map();
    }
  }

  async function saveState() {
    const temp = `${stateFile}.${process.pid}.tmp`;
    await mkdir(join(stateFile, '..'), { recursive: true });
    await writeFile(temp, JSON.stringify(Object.fromEntries(delivered)));
    await rename(temp, stateFile);
  }

  async function scan(onObject: (event: ObjectEvent) => Promise<void>) {
    const present = new Set<string>();
    let changed = false;
    const now = Date.now();
    let complete = true;
    for await (const object of store.list()) {
      if (ignored(object.key)) continue;
      present.add(object.key);
      if (stopped) {
        complete = false;
        break;
      }
      if (delivered.get(object.key) === object.version) continue;
      if (now - object.modifiedAt.getTime() < settleMs) {
        rescanRequested = true;
        continue;
      }
      try {
        await onObject({ bucket: store.bucket, key: object.key, size: object.size, version: object.version });
        delivered.set(object.key, object.version);
        changed = true;
      } catch (err) {
        log.warn('delivering an object event failed; it is retried on the next scan', {
          key: object.key,
          error: String(err),
        });
      }
    }
    for (const key of complete ? [...delivered.keys()] : []) {
      if (!present.has(key)) {
        delivered.delete(key);
        changed = true;
      }
    }
    if (changed) await saveState();
  }

  return {
    name: 'directory-watch',

    async start(onObject) {
      stopped = false;
      await mkdir(root, { recursive: true });
      await loadState();
      const runScan = () => {
        if (stopped) return;
        if (scanning) {
          rescanRequested = true;
          return;
        }
        rescanRequested = false;
        scanning = scan(onObject)
          .catch((err) => log.error('directory scan failed', { root, error: String(err) }))
          .finally(() => {
            scanning = undefined;
            if (rescanRequested && !stopped) setTimeout(runScan, settleMs);
          });
      };
      runScan();
      await scanning;
      try {
        // A hint only: changes in subdirectories are not reported on every platform, which the
        // periodic rescan covers.
        watcher = watch(root, { persistent: false }, () => runScan());
      } catch (err) {
        log.warn('cannot watch the directory; relying on periodic rescans', { root, error: String(err) });
      }
      timer = setInterval(runScan, pollIntervalMs);
    },

    async stop() {
      stopped = true;
      watcher?.close();
      if (timer) clearInterval(timer);
      await scanning;
    },
  };
}

import { type FSWatcher, watch } from 'node:fs';
import type { Logger } from '@lakerunner/core';
import { errnoCode } from './errors.js';

/** Rescans for files that are settling are never closer together than this. */
const MIN_RESCAN_MS = 50;

export interface ScanLoopOptions {
  /** The directory watched for change hints. */
  root: string;
  /** One pass; resolves true when something is settling and deserves a look again soon. */
  scan: () => Promise<boolean>;
  pollIntervalMs: number;
  /** How soon after a pass that found something settling the next one runs. */
  settleMs: number;
  log: Logger;
}

/**
 * When the watcher scans: on start, on every change hint from the directory, every
 * `pollIntervalMs`, and `settleMs` after a pass that found a file still settling. One pass at a
 * time; a request during a pass becomes one more pass after it. A failing pass is logged when it
 * starts failing (and when its error changes), not on every rescan, and its recovery too.
 */
export function createScanLoop(options: ScanLoopOptions) {
  const { root, log } = options;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let rescanTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  let rescanRequested = false;
  let stopped = true;
  let lastFailure: string | undefined;

  function succeeded(settling: boolean) {
    if (settling) rescanRequested = true;
    if (lastFailure !== undefined) log.info('directory scan recovered', { source: 'directory-watch', root });
    lastFailure = undefined;
  }

  function failed(err: unknown) {
    if (String(err) !== lastFailure) {
      log.error('directory scan failed; retrying on the next scan', {
        source: 'directory-watch',
        root,
        error: String(err),
        code: errnoCode(err),
      });
    }
    lastFailure = String(err);
  }

  function runScan() {
    if (stopped) return;
    if (scanning) {
      rescanRequested = true;
      return;
    }
    rescanRequested = false;
    scanning = options
      .scan()
      .then(succeeded, failed)
      .finally(() => {
        scanning = undefined;
        if (!rescanRequested || stopped || rescanTimer) return;
        rescanTimer = setTimeout(
          () => {
            rescanTimer = undefined;
            runScan();
          },
          Math.max(options.settleMs, MIN_RESCAN_MS),
        );
      });
  }

  return {
    /** Runs the first pass, then keeps scanning until `stop`. */
    async start() {
      stopped = false;
      runScan();
      await scanning;
      try {
        // A hint only: changes in subdirectories are not reported on every platform, which the
        // periodic rescan covers.
        watcher = watch(root, { persistent: false }, () => runScan());
        // E.g. the root was removed: without a listener this would crash the process.
        watcher.on('error', (err) => {
          log.warn('the directory watch stopped; relying on periodic rescans', { root, error: String(err) });
          watcher?.close();
        });
      } catch (err) {
        log.warn('cannot watch the directory; relying on periodic rescans', { root, error: String(err) });
      }
      timer = setInterval(runScan, options.pollIntervalMs);
    },

    /** Stops scanning and waits for a pass in progress. */
    async stop() {
      stopped = true;
      watcher?.close();
      if (timer) clearInterval(timer);
      if (rescanTimer) clearTimeout(rescanTimer);
      rescanTimer = undefined;
      await scanning;
    },

    /** True once `stop` was called: a pass in progress ends early. */
    get stopped() {
      return stopped;
    },
  };
}

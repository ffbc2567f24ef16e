import { lstat } from 'node:fs/promises';
import type { Logger, RuntimeMetrics } from '@lakerunner/core';
import { fileState } from './content-version.js';
import { errnoCode } from './errors.js';
import { createOnce } from './once.js';
import { createQuietPeriod } from './quiet-period.js';
import type { SkipReason, WalkEntry } from './walk.js';

const SOURCE = 'directory-watch';

/**
 * What the watcher says about entries it does not announce: one warning per path and reason
 * (not one per rescan), and a count in `sourceSkipped`. Nothing is skipped without a trace.
 */
export interface SkipReporter {
  /** An entry the walk skipped (hidden, symlink, unreadable…). */
  note(entry: Extract<WalkEntry, { kind: 'skip' }>): Promise<void>;
  /** A file the store refused or could not read when it came to be announced. */
  report(key: string, reason: SkipReason, error?: unknown): void;
  /** Forget keys that are gone: if they come back, they are reported again. */
  retain(keep: (key: string) => boolean): void;
}

export function createSkipReporter(options: {
  root: string;
  settleMs: number;
  log: Logger;
  metrics?: RuntimeMetrics;
}): SkipReporter {
  const { root, log, metrics } = options;
  const reported = createOnce();
  const settling = createQuietPeriod(options.settleMs);

  function report(key: string, reason: SkipReason, error?: unknown) {
    if (!reported.first(`${key}\0${reason}`)) return;
    const fields = { source: SOURCE, root, key, reason };
    if (reason === 'unreadable') {
      log.warn('cannot read this path; what is in it is not announced until it can be read', {
        ...fields,
        error: String(error),
        code: errnoCode(error),
      });
    } else {
      log.warn('not announcing an entry that is not an object', fields);
    }
    metrics?.sourceSkipped.inc({ source: SOURCE, reason });
  }

  return {
    report,

    async note(entry) {
      if (entry.reason === 'unreadable') {
        report(entry.key, entry.reason, entry.error);
        return;
      }
      // Reported once it has been there for the quiet period too: a writer's hidden temporary
      // file, renamed into place a moment later, is not worth a warning.
      const s = await lstat(entry.path, { bigint: true }).catch(() => undefined);
      if (s && settling.observe(entry.key, fileState(s))) report(entry.key, entry.reason);
    },

    retain(keep) {
      settling.retain(keep);
      reported.retain((id) => keep(id.slice(0, id.indexOf('\0'))));
    },
  };
}

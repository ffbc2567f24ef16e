import {
  isLakerunnerError,
  LakerunnerError,
  objectIdentity,
  type StageFailure,
  type StageHandler,
} from '@lakerunner/core';
import { readLogObject } from './codecs/read-object.js';
import type { RecordDraft } from './codecs/record-draft.js';
import { type LogRow, rowId, toNanos } from './log-row.js';
import { writeLogSegments } from './write-segments.js';

/**
 * Ingest: raw log objects → sorted, day-split ZSTD Parquet segments. An input that cannot be
 * decoded is reported as failed (and dead-lettered by the runtime); the others proceed.
 */
export function createLogsIngestHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return async (context) => {
    const rows: LogRow[] = [];
    const failures: StageFailure[] = [];
    for (const input of context.inputs) {
      if (input.kind !== 'object') continue;
      try {
        const drafts = await readLogObject(context.store, input);
        rows.push(...toRows(drafts, objectIdentity(input), input.key));
      } catch (err) {
        if (isLakerunnerError(err) && !err.retriable) {
          failures.push({ input, code: err.code, reason: err.message });
          continue;
        }
        throw err;
      }
    }
    return { outputs: await writeLogSegments(context, rows, options.maxRowsPerSegment), failures };
  };
}

/**
 * Resolves timestamps and ids. A record without a usable timestamp takes its predecessor's (or,
 * at the start of the object, its first successor's), so replays stay deterministic; an object
 * with no timestamp at all is corrupt.
 */
function toRows(drafts: RecordDraft[], identity: string, key: string): LogRow[] {
  const nanos = drafts.map((d) => toNanos(d.time));
  const firstKnown = nanos.find((n) => n !== undefined);
  if (firstKnown === undefined && drafts.length > 0) {
    throw new LakerunnerError('LR_INPUT_CORRUPT', `${key}: no record has a timestamp`);
  }
  let previous = firstKnown ?? 0n;
  return drafts.map((d, i) => {
    const ns = nanos[i] ?? previous;
    previous = ns;
    return {
      ts: Number(ns / 1_000_000n),
      tsNs: ns,
      id: rowId(identity, i),
      service: d.service || 'unknown',
      level: d.level.toUpperCase(),
      message: d.message,
      attributes: JSON.stringify(d.attributes),
    };
  });
}

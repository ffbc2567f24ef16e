import { isLakerunnerError, LakerunnerError } from '@lakerunner/core';
import { parseJsonLines } from './codecs/json-lines.js';
import { decodeLogObject } from './codecs/read-object.js';
import type { RecordDraft } from './codecs/record-draft.js';
import { dateintOf, type LogRow, rowId, rowIdPrefix, toNanos } from './log-row.js';
import { compareRows, decodeLogParquet, encodeLogParquet } from './parquet/log-parquet.js';

/**
 * The CPU-heavy half of the logs stages, run on a worker thread: decode inputs, sort, split by
 * UTC day and size, encode Parquet. Bytes in, Parquet files out; no I/O.
 */
export interface EncodedLogFile {
  dateint: number;
  part: number;
  records: number;
  minTs: number;
  maxTs: number;
  services: string[];
  parquet: Uint8Array;
}

export interface TaskFailure {
  /** Index of the piece (ingest) or segment (compact) in the task. */
  index: number;
  code: string;
  reason: string;
}

/**
 * A piece of one input: either the whole object as stored (`whole`: possibly gzipped, any
 * supported format), or a chunk of whole, already decompressed JSON lines starting after
 * `firstLine` lines of the object.
 */
export interface IngestPiece {
  identity: string;
  key: string;
  bytes: Uint8Array;
  whole: boolean;
  firstLine: number;
}

export interface IngestTask {
  kind: 'ingest';
  maxRows: number;
  pieces: IngestPiece[];
}

export interface CompactTask {
  kind: 'compact';
  maxRows: number;
  segments: { objectKey: string; bytes: Uint8Array }[];
}

export interface TaskResult {
  files: EncodedLogFile[];
  failures: TaskFailure[];
}

export function runIngest(task: IngestTask): TaskResult {
  const rows: LogRow[] = [];
  const failures: TaskFailure[] = [];
  task.pieces.forEach((piece, index) => {
    try {
      const drafts = piece.whole
        ? decodeLogObject(piece.key, piece.bytes)
        : decodeLines(piece.key, piece.bytes, piece.firstLine);
      rows.push(...toRows(drafts, piece.identity, piece.key));
    } catch (err) {
      if (!isLakerunnerError(err) || err.retriable) throw err;
      failures.push({ index, code: err.code, reason: err.message });
    }
  });
  return { files: encodeFiles(rows, task.maxRows), failures };
}

function decodeLines(key: string, bytes: Uint8Array, firstLine: number): RecordDraft[] {
  try {
    return [
      ...parseJsonLines(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
        firstLine,
      ),
    ];
  } catch (err) {
    throw new LakerunnerError('LR_INPUT_CORRUPT', `${key}: ${(err as Error).message}`);
  }
}

export function runCompact(task: CompactTask): TaskResult {
  const byId = new Map<string, LogRow>();
  const failures: TaskFailure[] = [];
  task.segments.forEach((segment, index) => {
    try {
      for (const row of decodeLogParquet(segment.bytes)) byId.set(row.id, row);
    } catch (err) {
      failures.push({
        index,
        code: 'LR_INPUT_CORRUPT',
        reason: `${segment.objectKey}: ${(err as Error).message}`,
      });
    }
  });
  // Rows with the same id are the same record written twice upstream: keep one.
  return { files: encodeFiles([...byId.values()], task.maxRows), failures };
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
  const idPrefix = rowIdPrefix(identity);
  return drafts.map((d, i) => {
    const ns = nanos[i] ?? previous;
    previous = ns;
    return {
      ts: Number(ns / 1_000_000n),
      tsNs: ns,
      id: rowId(idPrefix, d.position),
      service: d.service || 'unknown',
      level: d.level.toUpperCase(),
      message: d.message,
      attributes: JSON.stringify(d.attributes),
    };
  });
}

function encodeFiles(rows: LogRow[], maxRows: number): EncodedLogFile[] {
  const byDay = new Map<number, LogRow[]>();
  for (const row of rows) {
    const day = dateintOf(row.ts);
    const list = byDay.get(day);
    if (list) list.push(row);
    else byDay.set(day, [row]);
  }
  const files: EncodedLogFile[] = [];
  for (const [dateint, dayRows] of [...byDay].sort((a, b) => a[0] - b[0])) {
    dayRows.sort(compareRows);
    for (let part = 0; part * maxRows < dayRows.length; part++) {
      const slice = dayRows.slice(part * maxRows, (part + 1) * maxRows);
      let minTs = Number.POSITIVE_INFINITY;
      let maxTs = Number.NEGATIVE_INFINITY;
      for (const r of slice) {
        if (r.ts < minTs) minTs = r.ts;
        if (r.ts > maxTs) maxTs = r.ts;
      }
      files.push({
        dateint,
        part,
        records: slice.length,
        minTs,
        maxTs,
        services: [...new Set(slice.map((r) => r.service))].sort(),
        parquet: encodeLogParquet(slice),
      });
    }
  }
  return files;
}

import { createHash } from 'node:crypto';
import { type Codec, type CodecPiece, isCodec, isLakerunnerError, LakerunnerError } from '@lakerunner/core';
import { limitExceeded } from '../limits.js';
import { encodeSegments } from '../segments/encode.js';
import type { RowContext, SignalEncoding } from '../segments/encoding.js';
import { reduceRows } from '../segments/reduce.js';
import type { IngestTask, TaskResult } from '../thread/tasks.js';
import { parseTimestamp, timeBounds, withinBounds } from '../timestamps.js';

/** Rejected records kept per object for its dead letter; the rest are only counted. */
const REJECTS_KEPT = 100;

/**
 * The worker-thread half of ingest: decodes each piece with its codec, turns records into rows
 * and encodes them as day-split, sorted segments. A piece that cannot be read fails its object
 * (the rows decoded before stay, and the object's later pieces are skipped); a codec that throws
 * anything else is treated the same, as a bad input rather than a reason to retry forever.
 */
export async function runIngestTask<R, Row>(
  task: IngestTask,
  encoding: SignalEncoding<R, Row>,
  builtIn: readonly Codec<R>[],
): Promise<TaskResult> {
  const codecs = await codecsByName(builtIn, task.codecModules);
  const bounds = timeBounds(task.ingestTimeNs, task.limits.futureToleranceMs);
  const result: TaskResult = {
    files: [],
    failures: [],
    rejects: [],
    counts: task.sources.map(() => ({ records: 0, rejected: 0, timeReplaced: 0 })),
  };
  const failed = new Set<number>();
  const contexts = task.sources.map((source, index): RowContext => {
    const prefix = createHash('sha256').update(source.identity).digest('hex').slice(0, 24);
    const counts = result.counts[index] as TaskResult['counts'][number];
    return {
      source,
      rowId: (position) => `${prefix}-${position}`,
      resolveTime(...candidates) {
        for (const candidate of candidates) {
          const ns = parseTimestamp(candidate);
          if (withinBounds(ns, bounds)) return ns;
        }
        counts.timeReplaced++;
        return task.ingestTimeNs;
      },
      validTime(value) {
        const ns = parseTimestamp(value);
        return withinBounds(ns, bounds) ? ns : undefined;
      },
      ingestTimeNs: task.ingestTimeNs,
      bounds,
      limits: task.limits,
    };
  });

  const rows: Row[] = [];
  for (const piece of task.pieces) {
    if (failed.has(piece.source)) continue;
    const source = task.sources[piece.source];
    const codec = codecs.get(piece.codec);
    const counts = result.counts[piece.source];
    if (!source || !codec || !counts)
      throw new Error(`ingest task refers to an unknown source or codec ${piece.codec}`);
    const context = contexts[piece.source] as RowContext;
    const codecPiece: CodecPiece = {
      key: source.key,
      bytes: piece.bytes,
      first: piece.first,
      ...(piece.header ? { header: piece.header } : {}),
      limits: task.limits,
      reject(position, reason) {
        counts.rejected++;
        if (counts.rejected <= REJECTS_KEPT) result.rejects.push({ source: piece.source, position, reason });
      },
    };
    const take = (record: R) => {
      if (counts.records + (task.recordsBefore[piece.source] ?? 0) >= task.limits.maxRecordsPerObject) {
        throw limitExceeded(
          source.key,
          'maxRecordsPerObject',
          task.limits.maxRecordsPerObject,
          'the record count',
        );
      }
      rows.push(encoding.toRow(record, context));
      counts.records++;
    };
    try {
      const records = codec.decode(codecPiece);
      // Synchronous codecs are iterated without a promise per record: this is the hot loop.
      if (Symbol.iterator in records) for (const record of records) take(record);
      else for await (const record of records) take(record);
    } catch (err) {
      if (isLakerunnerError(err) && err.retriable) throw err;
      failed.add(piece.source);
      result.failures.push({
        source: piece.source,
        code: isLakerunnerError(err) ? err.code : 'LR_INPUT_CORRUPT',
        reason: isLakerunnerError(err)
          ? err.message
          : `${source.key}: codec ${codec.name} could not read it: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  const encoded = encoding.reducer ? reduceRows(rows, encoding.reducer) : rows;
  if (encoded.length > 0) {
    result.files = await encodeSegments(encoded, encoding.columns(encoded), encoding.layout, task.maxRows);
  }
  return result;
}

const imported = new Map<string, Promise<Codec[]>>();

/** The plugin's codecs, overridden by name by the deployment's (imported once per thread). */
async function codecsByName<R>(
  builtIn: readonly Codec<R>[],
  modules: readonly string[],
): Promise<Map<string, Codec<R>>> {
  const byName = new Map<string, Codec<R>>(builtIn.map((c) => [c.name, c]));
  for (const url of modules) {
    let loading = imported.get(url);
    if (!loading) {
      loading = import(url).then((mod: Record<string, unknown>) => Object.values(mod).filter(isCodec));
      imported.set(url, loading);
    }
    for (const codec of await loading) byName.set(codec.name, codec as Codec<R>);
  }
  if (byName.size === 0)
    throw new LakerunnerError('LR_PLUGIN_INVALID', 'no codec is available on this thread');
  return byName;
}

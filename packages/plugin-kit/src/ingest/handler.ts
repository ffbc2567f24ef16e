import {
  type Codec,
  isLakerunnerError,
  type NewSegment,
  type ObjectInput,
  objectIdentity,
  type StageFailure,
  type StageHandler,
} from '@lakerunner/core';
import type { RecordReject } from '../framing/piece.js';
import { ownBytes, storeSegments } from '../segments/store.js';
import type { SignalThreadPool } from '../thread/pool.js';
import type { IngestTask, PieceTask, TaskResult } from '../thread/tasks.js';
import { openObject } from './open-object.js';

export interface IngestHandlerOptions<R> {
  /** The plugin's own codecs; the deployment's (config `codecs`) are tried first. */
  codecs: readonly Codec<R>[];
  threads: (size?: number) => SignalThreadPool;
  /** Rows per output file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed bytes handed to a worker thread at once: bounds its memory (default 64 MiB). */
  maxBatchBytes?: number;
  /** Aggregation frequency of the rows written, for aggregating signals (metrics: 10 s). */
  frequencyMs?: number;
}

export const DEFAULT_MAX_ROWS_PER_SEGMENT = 250_000;
export const DEFAULT_MAX_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Ingest for any signal: raw objects → sorted, day-split ZSTD Parquet segments. Each object is
 * streamed from the store and cut into pieces by its codec's framing; pieces are decoded and
 * encoded on a worker thread in batches of bounded size, so memory stays bounded whatever the
 * objects' size. An object that cannot be read is reported as failed (and dead-lettered by the
 * runtime) with the rows before the problem kept; single bad records are reported with their
 * positions while the rest of the object is ingested.
 */
export function createIngestHandler<R>(options: IngestHandlerOptions<R>): StageHandler {
  const maxRows = options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT;
  const maxBatch = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;

  return async (context) => {
    const codecs = [...(context.codecs as readonly Codec<R>[]), ...options.codecs];
    const codecModules = [...new Set(context.codecs.flatMap((c) => (c.module ? [c.module] : [])))];
    const ingestTimeNs = BigInt(Date.now()) * 1_000_000n;
    const objects = context.inputs.filter((i): i is ObjectInput => i.kind === 'object');
    const sources = objects.map((o) => ({
      bucket: o.bucket,
      key: o.key,
      version: o.version,
      identity: objectIdentity(o),
    }));
    const report = objects.map(() => ({
      failure: undefined as { code: string; reason: string } | undefined,
      rejects: [] as RecordReject[],
      rejected: 0,
      records: 0,
      timeReplaced: 0,
    }));
    const outputs: NewSegment[] = [];
    const nextPart = new Map<number, number>();
    let batch: PieceTask[] = [];
    let batchBytes = 0;

    const absorb = (result: TaskResult, indices: readonly number[]) => {
      for (const f of result.failures) {
        const entry = report[indices[f.source] as number];
        if (entry && !entry.failure) entry.failure = { code: f.code, reason: f.reason };
      }
      for (const { source, ...r } of result.rejects) report[indices[source] as number]?.rejects.push(r);
      result.counts.forEach((c, i) => {
        const entry = report[indices[i] as number];
        if (!entry) return;
        entry.records += c.records;
        entry.rejected += c.rejected;
        entry.timeReplaced += c.timeReplaced;
      });
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const pieces = batch;
      batch = [];
      batchBytes = 0;
      const task: IngestTask = {
        kind: 'ingest',
        sources,
        pieces,
        codecModules,
        limits: context.limits,
        ingestTimeNs,
        recordsBefore: report.map((r) => r.records),
        maxRows,
      };
      const result = await options.threads(context.threads).run(
        task,
        pieces.map((p) => p.bytes.buffer as ArrayBuffer),
      );
      absorb(
        result,
        sources.map((_, i) => i),
      );
      // Part numbers continue across batches, so every file of a day has its own name.
      const numbered = result.files.map((file) => {
        const part = nextPart.get(file.dateint) ?? 0;
        nextPart.set(file.dateint, part + 1);
        return { ...file, part };
      });
      outputs.push(...(await storeSegments(context, numbered, options.frequencyMs ?? 0)));
    };

    for (const [index, input] of objects.entries()) {
      const entry = report[index] as (typeof report)[number];
      try {
        const opened = await openObject(
          context.storeFor(input.bucket),
          input,
          codecs,
          context.limits,
          Math.max(1, Math.floor(maxBatch / 4)),
        );
        if (opened.suffixMismatch) {
          context.log.warn('an input is not what its key says', {
            key: input.key,
            detail: opened.suffixMismatch,
          });
        }
        for await (const piece of opened.pieces) {
          for (const r of piece.rejects ?? []) {
            entry.rejected++;
            if (entry.rejects.length < 100) entry.rejects.push(r);
          }
          const bytes = ownBytes(piece.bytes);
          batch.push({
            source: index,
            codec: opened.codec.name,
            bytes,
            first: piece.first,
            ...(piece.header ? { header: ownBytes(piece.header) } : {}),
          });
          batchBytes += bytes.byteLength;
          if (batchBytes >= maxBatch) await flush();
          // The thread found the object unreadable: the rest of it is not sent.
          if (entry.failure) break;
        }
      } catch (err) {
        if (!isLakerunnerError(err) || err.retriable) throw err;
        entry.failure ??= { code: err.code, reason: err.message };
      }
    }
    await flush();

    const failures: StageFailure[] = [];
    for (const [index, entry] of report.entries()) {
      const input = objects[index] as ObjectInput;
      if (entry.failure) {
        const kept = entry.records > 0 ? ` (${entry.records} records before it were ingested)` : '';
        failures.push({
          input,
          code: entry.failure.code,
          reason: `${entry.failure.reason}${kept}`,
          ingestedRecords: entry.records,
          ...rejected(entry),
        });
      } else if (entry.rejected > 0) {
        failures.push({
          input,
          code: 'LR_INPUT_CORRUPT',
          reason: `${input.key}: ${entry.rejected} record(s) could not be read; the other ${entry.records} were ingested`,
          ingestedRecords: entry.records,
          ...rejected(entry),
        });
      }
    }
    const empty = objects.filter(
      (_, i) => report[i]?.records === 0 && !report[i]?.failure && !report[i]?.rejected,
    );
    if (empty.length > 0) {
      context.log.info('inputs held no records', {
        unit: context.unit.id,
        keys: empty.map((o) => o.key).slice(0, 20),
      });
    }
    const replaced = report.reduce((n, r) => n + r.timeReplaced, 0);
    if (replaced > 0) {
      context.log.info('records without a valid time got the ingest time', {
        unit: context.unit.id,
        records: replaced,
      });
    }
    return { outputs, failures };
  };
}

function rejected(entry: { rejects: RecordReject[]; rejected: number }) {
  return entry.rejected > 0 ? { records: entry.rejects.slice(0, 100), rejectedRecords: entry.rejected } : {};
}

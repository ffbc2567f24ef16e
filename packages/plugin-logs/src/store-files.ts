import { type NewSegment, type StageContext, segmentIdFor, segmentObjectKey } from '@lakerunner/core';
import type { EncodedLogFile } from './log-files.js';

/** Rows per output file: bounds both the file size and the memory one encode needs. */
export const DEFAULT_MAX_ROWS_PER_SEGMENT = 250_000;

/** Writes encoded files under keys derived from the unit id (a retry overwrites, never adds). */
export async function storeLogFiles(
  context: StageContext,
  files: readonly EncodedLogFile[],
): Promise<NewSegment[]> {
  const outputs: NewSegment[] = [];
  for (const file of files) {
    const segmentId = segmentIdFor(context.unit.id, file.dateint, file.part);
    const objectKey = segmentObjectKey({
      lakePrefix: context.lakePrefix,
      signal: context.unit.signal,
      org: context.unit.org,
      dateint: file.dateint,
      hour: new Date(file.minTs).getUTCHours(),
      segmentId,
    });
    await context.store.put(
      objectKey,
      Buffer.from(file.parquet.buffer, file.parquet.byteOffset, file.parquet.byteLength),
      {
        contentType: 'application/vnd.apache.parquet',
      },
    );
    outputs.push({
      segmentId,
      org: context.unit.org,
      signal: context.unit.signal,
      dateint: file.dateint,
      frequencyMs: 0,
      objectKey,
      records: file.records,
      bytes: file.parquet.byteLength,
      minTs: file.minTs,
      maxTs: file.maxTs,
      metadata: { services: file.services },
    });
  }
  return outputs;
}

/** A copy that owns its ArrayBuffer, so it can be transferred to a thread without detaching others. */
export function ownBytes(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return buffer;
  return new Uint8Array(buffer);
}

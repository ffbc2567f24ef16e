import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { type NewSegment, type StageContext, segmentIdFor, segmentObjectKey } from '@lakerunner/core';
import type { EncodedSegment, WrittenSegment } from './encode.js';

/**
 * Writes encoded segments under keys derived from the unit id (a retry overwrites, never adds)
 * and describes them for the catalog. `part` numbers must be unique per day within the unit.
 */
export async function storeSegments(
  context: StageContext,
  files: readonly (EncodedSegment | WrittenSegment)[],
  frequencyMs = 0,
): Promise<NewSegment[]> {
  const outputs: NewSegment[] = [];
  for (const file of files) {
    const segmentId = segmentIdFor(context.unit.id, file.dateint, file.part);
    const objectKey = segmentObjectKey({
      lakePrefix: context.lakePrefix,
      signal: context.unit.signal,
      org: context.unit.org,
      dateint: file.dateint,
      ...(frequencyMs > 0 ? { frequencyMs } : {}),
      segmentId,
    });
    await context.store.put(objectKey, body(file), { contentType: 'application/vnd.apache.parquet' });
    outputs.push({
      segmentId,
      org: context.unit.org,
      signal: context.unit.signal,
      dateint: file.dateint,
      frequencyMs,
      objectKey,
      records: file.records,
      bytes: 'parquet' in file ? file.parquet.byteLength : file.bytes,
      minTs: file.minTs,
      maxTs: file.maxTs,
      metadata: file.metadata,
    });
  }
  return outputs;
}

function body(file: EncodedSegment | WrittenSegment): Buffer | Readable {
  if ('parquet' in file)
    return Buffer.from(file.parquet.buffer, file.parquet.byteOffset, file.parquet.byteLength);
  return createReadStream(file.path);
}

/** A copy that owns its ArrayBuffer, so it can be transferred to a thread without detaching others. */
export function ownBytes(buffer: Uint8Array): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return buffer;
  return new Uint8Array(buffer);
}

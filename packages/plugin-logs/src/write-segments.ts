import { type NewSegment, type StageContext, segmentIdFor, segmentObjectKey } from '@lakerunner/core';
import { dateintOf, type LogRow } from './log-row.js';
import { compareRows, encodeLogParquet } from './parquet/log-parquet.js';

/** Rows per output file: bounds both the file size and the memory one encode needs. */
export const DEFAULT_MAX_ROWS_PER_SEGMENT = 250_000;

/**
 * Splits rows by UTC day, sorts each day by (service, time, id), cuts it into files of at most
 * `maxRows`, and writes them under keys derived from the unit id, so a retry overwrites.
 */
export async function writeLogSegments(
  context: StageContext,
  rows: LogRow[],
  maxRows = DEFAULT_MAX_ROWS_PER_SEGMENT,
): Promise<NewSegment[]> {
  const byDay = new Map<number, LogRow[]>();
  for (const row of rows) {
    const day = dateintOf(row.ts);
    let list = byDay.get(day);
    if (!list) {
      list = [];
      byDay.set(day, list);
    }
    list.push(row);
  }
  const outputs: NewSegment[] = [];
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
      const segmentId = segmentIdFor(context.unit.id, dateint, part);
      const objectKey = segmentObjectKey({
        lakePrefix: context.lakePrefix,
        signal: 'logs',
        org: context.unit.org,
        dateint,
        hour: new Date(minTs).getUTCHours(),
        segmentId,
      });
      const bytes = encodeLogParquet(slice);
      await context.store.put(objectKey, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        contentType: 'application/vnd.apache.parquet',
      });
      outputs.push({
        segmentId,
        org: context.unit.org,
        signal: 'logs',
        dateint,
        frequencyMs: 0,
        objectKey,
        records: slice.length,
        bytes: bytes.byteLength,
        minTs,
        maxTs,
        metadata: { services: [...new Set(slice.map((r) => r.service))].sort() },
      });
    }
  }
  return outputs;
}

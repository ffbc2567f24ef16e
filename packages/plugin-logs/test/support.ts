import { type CodecPiece, DEFAULT_INPUT_LIMITS } from '@lakerunner/core';
import { parseTimestamp, type RowContext, timeBounds } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../src/record.js';

/** A piece of text as the kit would hand it to a codec, collecting what the codec rejects. */
export function piece(text: string | Uint8Array, extra: Partial<CodecPiece> = {}) {
  const rejects: { position: string; reason: string }[] = [];
  const p: CodecPiece = {
    key: 'test/input',
    bytes: typeof text === 'string' ? Buffer.from(text) : text,
    first: 0,
    limits: DEFAULT_INPUT_LIMITS,
    reject: (position, reason) => rejects.push({ position, reason }),
    ...extra,
  };
  return { piece: p, rejects };
}

export async function decodeAll(
  records: Iterable<LogRecord> | AsyncIterable<LogRecord>,
): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

export const NOW_NS = BigInt(Date.UTC(2026, 10, 29, 12)) * 1_000_000n;

/** A row context like the kit's, with a fixed ingest time, counting replaced times. */
export function rowContext(): RowContext & { replaced: number } {
  const bounds = timeBounds(NOW_NS, DEFAULT_INPUT_LIMITS.futureToleranceMs);
  const context = {
    replaced: 0,
    source: { bucket: 'b', key: 'k', version: 'v1', identity: 'b/k@v1' },
    rowId: (position: string) => `id-${position}`,
    validTime(value: unknown) {
      const ns = parseTimestamp(value);
      return ns !== undefined && ns >= bounds.minNs && ns <= bounds.maxNs ? ns : undefined;
    },
    resolveTime(...candidates: unknown[]) {
      for (const c of candidates) {
        const ns = context.validTime(c);
        if (ns !== undefined) return ns;
      }
      context.replaced++;
      return NOW_NS;
    },
    ingestTimeNs: NOW_NS,
    bounds,
    limits: DEFAULT_INPUT_LIMITS,
  };
  return context;
}

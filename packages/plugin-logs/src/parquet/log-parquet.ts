import { tableFromIPC, tableToIPC } from 'apache-arrow';
import {
  Compression,
  readParquet,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import type { LogRow } from '../log-row.js';
import { int64Vector, tableOf, utf8Vector } from './columns.js';

/**
 * The logs segment schema (ZSTD Parquet), sorted by service, time, row id:
 *   chq_timestamp int64 ms | chq_tsns int64 ns | chq_id utf8 | resource_service_name utf8 |
 *   log_level utf8 | log_message utf8 | attributes utf8 (JSON)
 */
export const LOG_COLUMNS = [
  'chq_timestamp',
  'chq_tsns',
  'chq_id',
  'resource_service_name',
  'log_level',
  'log_message',
  'attributes',
] as const;

const ROW_GROUP_ROWS = 65_536;

export function compareRows(a: LogRow, b: LogRow): number {
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  if (a.ts !== b.ts) return a.ts - b.ts;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function encodeLogParquet(rows: readonly LogRow[]): Uint8Array {
  const ts = new BigInt64Array(rows.length);
  const tsNs = new BigInt64Array(rows.length);
  rows.forEach((r, i) => {
    ts[i] = BigInt(r.ts);
    tsNs[i] = r.tsNs;
  });
  const table = tableOf({
    chq_timestamp: int64Vector(ts),
    chq_tsns: int64Vector(tsNs),
    chq_id: utf8Vector(rows.map((r) => r.id)),
    resource_service_name: utf8Vector(rows.map((r) => r.service)),
    log_level: utf8Vector(rows.map((r) => r.level)),
    log_message: utf8Vector(rows.map((r) => r.message)),
    attributes: utf8Vector(rows.map((r) => r.attributes)),
  });
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props);
}

export function decodeLogParquet(bytes: Uint8Array): LogRow[] {
  const table = tableFromIPC(readParquet(bytes, { batchSize: ROW_GROUP_ROWS }).intoIPCStream());
  const column = <T>(name: string) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`segment has no ${name} column`);
    return vector.toArray() as unknown as ArrayLike<T>;
  };
  const ts = column<bigint>('chq_timestamp');
  const tsNs = column<bigint>('chq_tsns');
  const id = column<string>('chq_id');
  const service = column<string>('resource_service_name');
  const level = column<string>('log_level');
  const message = column<string>('log_message');
  const attributes = column<string>('attributes');
  const rows: LogRow[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    rows[i] = {
      ts: Number(ts[i]),
      tsNs: BigInt(tsNs[i] as bigint),
      id: id[i] as string,
      service: service[i] as string,
      level: level[i] as string,
      message: message[i] as string,
      attributes: attributes[i] as string,
    };
  }
  return rows;
}

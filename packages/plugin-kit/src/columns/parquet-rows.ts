import { type DataType, Type, tableFromIPC, type Vector } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';

/**
 * Rows of any Parquet file as plain values, one row group at a time (memory follows the row
 * group, not the file): nested structs are flattened into dotted names (`http.method`), lists
 * become arrays, maps objects, timestamps ISO strings, 64-bit integers numbers when they are
 * exact as numbers and bigints otherwise.
 */
export async function* parquetRows(bytes: Uint8Array): AsyncGenerator<Record<string, unknown>> {
  const file = await ParquetFile.fromFile(new Blob([bytes]));
  // wasm objects are freed here rather than by the garbage collector, which runs too seldom for
  // wasm memory (it never shrinks) to follow what is in use.
  try {
    const metadata = file.metadata();
    const groups = metadata.numRowGroups();
    metadata.free();
    for (let group = 0; group < groups; group++) {
      const table = tableFromIPC(
        (await file.read({ rowGroups: [group], batchSize: 65_536 })).intoIPCStream(),
      );
      const columns = table.schema.fields.map((f) => ({
        name: f.name,
        type: f.type,
        vector: table.getChild(f.name),
      }));
      for (let i = 0; i < table.numRows; i++) {
        const row: Record<string, unknown> = {};
        for (const c of columns) {
          if (c.vector) flatten(row, c.name, plain(c.vector.get(i), c.type));
        }
        yield row;
      }
    }
  } finally {
    file.free();
  }
}

function flatten(row: Record<string, unknown>, name: string, value: unknown) {
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Map)
  ) {
    for (const [k, v] of Object.entries(value)) flatten(row, `${name}.${k}`, v);
  } else if (value !== null && value !== undefined) {
    row[name] = value;
  }
}

function plain(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Timestamp:
    case Type.Date:
      return new Date(Number(value)).toISOString();
    case Type.List:
    case Type.FixedSizeList: {
      const child = (type as unknown as { children: { type: DataType }[] }).children[0]?.type as DataType;
      return [...(value as Vector)].map((v) => plain(v, child));
    }
    case Type.Struct: {
      const out: Record<string, unknown> = {};
      for (const field of (type as unknown as { children: { name: string; type: DataType }[] }).children) {
        out[field.name] = plain((value as Record<string, unknown>)[field.name], field.type);
      }
      return out;
    }
    case Type.Map:
      return new Map(Object.entries((value as { toJSON(): Record<string, unknown> }).toJSON()));
    default:
      // Safe 64-bit integers become numbers: a column of epoch seconds or milliseconds must be
      // read by magnitude like any number, not as the nanoseconds a bigint time means.
      return typeof value === 'bigint' && value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER
        ? Number(value)
        : value;
  }
}

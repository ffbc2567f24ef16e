/**
 * A segment column: its name, its Parquet type (or none: then the type follows its values) and
 * how to read a row's value. Ingest rows and compaction rows are different shapes; columns are
 * the one view of both, so sorting and writing are written once.
 */
export type ColumnType = 'string' | 'int64' | 'int32' | 'double' | 'bool' | 'binary' | 'timestamp';

export interface ColumnSource<Row> {
  name: string;
  /**
   * Fixed type; the row's value must be of it (string, bigint for int64 and timestamp ns,
   * number for int32 and double, boolean, Uint8Array) or null/undefined. Without a type the
   * values are AnyValues and the column takes the type they share (see resolveType).
   */
  type?: ColumnType;
  get(row: Row): unknown;
}

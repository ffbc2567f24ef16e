export {
  type AttributeColumn,
  type AttributeNamespace,
  attributeColumns,
  attributesWithout,
  columnName,
  isAttributeColumn,
  OVERFLOW_COLUMN,
} from './attribute-columns.js';
export type { ColumnSource, ColumnType } from './column.js';
export {
  type AttributeKey,
  attributeKeysOf,
  type ReadColumn,
  type ReadSegment,
  readSegment,
} from './parquet-reader.js';
export { parquetRows } from './parquet-rows.js';
export { type ResolvedColumn, resolveColumns, writeParquet } from './parquet-writer.js';

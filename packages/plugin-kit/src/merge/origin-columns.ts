import type { TypedColumn } from '../columns/parquet-writer.js';

/**
 * Columns a sorted run of aggregated rows carries: the input and the row within it each row
 * came from. Rows of one key fold in that order, so a fold over runs equals a fold over the
 * inputs themselves (folds of floating-point sums are exact only in one order).
 */
export const ORIGIN_INPUT = '_lakerunner_origin_input';
export const ORIGIN_ROW = '_lakerunner_origin_row';

export const ORIGIN_COLUMNS: readonly TypedColumn[] = [
  { name: ORIGIN_INPUT, type: 'int32' },
  { name: ORIGIN_ROW, type: 'double' },
];

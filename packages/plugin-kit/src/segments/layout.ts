/**
 * How a signal's segments are laid out: the columns rows are sorted by (so related rows sit
 * together and engines can skip row groups), the time column that splits them into UTC days,
 * the row id that compaction dedupes on, and catalog metadata listing a column's distinct values.
 */
export interface SegmentLayout {
  sortColumns: readonly string[];
  /** A timestamp (ns) column. */
  timeColumn: string;
  /** A string column: the same record always has the same id. */
  idColumn: string;
  /** Catalog metadata key → column whose distinct values (up to 1,000) it lists. */
  metadataColumns?: Readonly<Record<string, string>>;
}

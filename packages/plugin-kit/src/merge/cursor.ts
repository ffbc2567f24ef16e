import type { ReadSegment } from '../columns/parquet-reader.js';
import { compareValues } from '../segments/compare.js';
import { InputError } from './input-error.js';
import { ORIGIN_INPUT, ORIGIN_ROW } from './origin-columns.js';
import { type SegmentFile, segmentBatches } from './segment-file.js';

const NO_VALUES: readonly unknown[] = [];

/**
 * A position in one sorted input: its current decoded batch and row. Moving within a batch is
 * synchronous; only loading the next batch waits. Checks as it goes that the input really is
 * sorted, since the merge relies on it.
 */
export class InputCursor {
  batch: ReadSegment = { rows: 0, columns: new Map(), metadata: new Map() };
  /** The current row within the batch. */
  row = -1;
  /** The current row within the whole input. */
  ordinal = -1;
  /** The sort columns' values of the current batch. */
  keys: (readonly unknown[])[] = [];
  /** The values of the current batch for each of `columns` (undefined: the input lacks it). */
  aligned: (readonly unknown[] | undefined)[] = [];
  private readonly batches: AsyncIterator<ReadSegment>;
  private previousTail: unknown[] | undefined;
  private originInputs: readonly unknown[] | undefined;
  private originRows: readonly unknown[] | undefined;

  constructor(
    readonly input: number,
    segment: SegmentFile,
    private readonly sortColumns: readonly string[],
    private readonly columns: readonly string[],
    batchRows: number,
  ) {
    this.batches = segmentBatches(segment, batchRows);
  }

  /** Moves to the next row of the current batch; false when the batch is used up. */
  step(): boolean {
    if (this.row + 1 >= this.batch.rows) return false;
    this.row++;
    this.ordinal++;
    if (this.row > 0 && this.compareWithRow(this.row - 1) < 0) this.unsorted();
    return true;
  }

  /** Loads the next non-empty batch and moves to its first row; false at the end of the input. */
  async load(): Promise<boolean> {
    if (this.batch.rows > 0) this.previousTail = this.keys.map((values) => values[this.batch.rows - 1]);
    for (;;) {
      let next: IteratorResult<ReadSegment>;
      try {
        next = await this.batches.next();
      } catch (err) {
        throw new InputError(this.input, 'corrupt', (err as Error).message ?? String(err));
      }
      if (next.done) return false;
      if (next.value.rows === 0) continue;
      this.batch = next.value;
      this.keys = this.sortColumns.map((name) => this.batch.columns.get(name)?.values ?? NO_VALUES);
      this.aligned = this.columns.map((name) => this.batch.columns.get(name)?.values);
      this.originInputs = this.batch.columns.get(ORIGIN_INPUT)?.values;
      this.originRows = this.batch.columns.get(ORIGIN_ROW)?.values;
      this.row = 0;
      this.ordinal++;
      if (this.previousTail && compareTo(this.keys, 0, this.previousTail) < 0) this.unsorted();
      return true;
    }
  }

  /** Ends reading early (the merge stopped). */
  async close(): Promise<void> {
    await this.batches.return?.(undefined);
  }

  /** The input the current row first came from (a sorted run records it; see origin-columns). */
  originInput(): number {
    return this.originInputs ? (this.originInputs[this.row] as number) : this.input;
  }

  /** The current row's position within the input it first came from. */
  originRow(): number {
    return this.originRows ? (this.originRows[this.row] as number) : this.ordinal;
  }

  value(column: string): unknown {
    return this.batch.columns.get(column)?.values[this.row] ?? null;
  }

  private compareWithRow(other: number): number {
    for (const values of this.keys) {
      const order = compareValues(values[this.row], values[other]);
      if (order !== 0) return order;
    }
    return 0;
  }

  private unsorted(): never {
    throw new InputError(this.input, 'unsorted', `row ${this.ordinal} sorts before the row preceding it`);
  }
}

/** The cursors' current rows in sort order, ties by input: the order the old in-memory path kept. */
export function compareCursors(a: InputCursor, b: InputCursor): number {
  for (let k = 0; k < a.keys.length; k++) {
    const order = compareValues(a.keys[k]?.[a.row], b.keys[k]?.[b.row]);
    if (order !== 0) return order;
  }
  return a.input - b.input;
}

/** The cursor's current key compared with stored key values. */
export function compareTo(
  keys: readonly (readonly unknown[])[],
  row: number,
  other: readonly unknown[],
): number {
  for (let k = 0; k < keys.length; k++) {
    const order = compareValues(keys[k]?.[row], other[k]);
    if (order !== 0) return order;
  }
  return 0;
}

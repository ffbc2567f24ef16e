import { compareCursors, type InputCursor } from './cursor.js';

/** A binary min-heap of input cursors, the smallest current row on top. */
export class CursorHeap {
  private readonly items: InputCursor[] = [];

  /** Loads each cursor's first row and heaps those that have one. */
  static async of(cursors: readonly InputCursor[]): Promise<CursorHeap> {
    const heap = new CursorHeap();
    for (const cursor of cursors) if (await cursor.load()) heap.push(cursor);
    return heap;
  }

  get size(): number {
    return this.items.length;
  }

  top(): InputCursor | undefined {
    return this.items[0];
  }

  /**
   * Moves the top cursor to its next row within its batch and restores the heap; false when its
   * batch is used up, then call advanceTopAsync.
   */
  advanceTop(): boolean {
    const top = this.items[0];
    if (!top?.step()) return false;
    this.siftDown(0);
    return true;
  }

  /** Moves the top cursor to its next batch (dropping it at its end) and restores the heap. */
  async advanceTopAsync(): Promise<void> {
    const top = this.items[0];
    if (!top) return;
    if (await top.load()) {
      this.siftDown(0);
      return;
    }
    const last = this.items.pop() as InputCursor;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.siftDown(0);
    }
  }

  private push(cursor: InputCursor): void {
    this.items.push(cursor);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareCursors(this.items[i] as InputCursor, this.items[parent] as InputCursor) >= 0) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(from: number): void {
    const n = this.items.length;
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < n &&
        compareCursors(this.items[left] as InputCursor, this.items[smallest] as InputCursor) < 0
      )
        smallest = left;
      if (
        right < n &&
        compareCursors(this.items[right] as InputCursor, this.items[smallest] as InputCursor) < 0
      )
        smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as InputCursor;
    this.items[i] = this.items[j] as InputCursor;
    this.items[j] = a;
  }
}

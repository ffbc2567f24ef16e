/**
 * An input that cannot be merged as it is: unreadable (from its footer or any later row group),
 * or not sorted by the layout. The merge stops; the caller drops or sorts that input and merges
 * again, so one bad input never fails the others.
 */
export class InputError extends Error {
  constructor(
    readonly input: number,
    readonly kind: 'corrupt' | 'unsorted',
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

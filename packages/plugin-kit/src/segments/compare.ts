/**
 * The order of sort-column values: nulls first; numbers and bigints by value (a widened column
 * mixes them); values of different kinds by the name of their kind.
 */
export function compareValues(x: unknown, y: unknown): number {
  // The common case first: two strings, two bigints or two numbers.
  const type = typeof x;
  if (type === typeof y && (type === 'string' || type === 'bigint' || type === 'number'))
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  if (x === y) return 0;
  const xNull = x === null || x === undefined;
  const yNull = y === null || y === undefined;
  if (xNull || yNull) {
    if (xNull && yNull) return 0;
    return xNull ? -1 : 1;
  }
  const numeric =
    (typeof x === 'number' || typeof x === 'bigint') && (typeof y === 'number' || typeof y === 'bigint');
  if (typeof x !== typeof y && !numeric) return String(typeof x) < String(typeof y) ? -1 : 1;
  if ((x as number) < (y as number)) return -1;
  if ((x as number) > (y as number)) return 1;
  return 0;
}

/** Sort keys compared column by column; equal keys compare 0. */
export function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let k = 0; k < a.length; k++) {
    const order = compareValues(a[k], b[k]);
    if (order !== 0) return order;
  }
  return 0;
}

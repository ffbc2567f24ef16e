/** ASCII character classes on UTF-16 code units; NaN (reading past the end) is in none of them. */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isLetter(c: number): boolean {
  const lower = c | 32; // A-Z onto a-z; NaN becomes 32
  return lower >= 97 && lower <= 122;
}

/** Letters and digits only: `_` separates, so `partition_12` masks its number like `partition-12`. */
export function isAlnum(c: number): boolean {
  return isLetter(c) || isDigit(c);
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Space, tab and the other control characters: all collapse to one space. */
export function isSpace(c: number): boolean {
  return c <= 32;
}

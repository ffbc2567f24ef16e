/**
 * How `tail` shows the bytes of a key, value or header: as text when they are UTF-8, otherwise
 * as binary that says it is binary, so that every byte can be recovered from the output.
 */

// ignoreBOM keeps a leading byte-order mark as a character instead of dropping its three bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function asText(buffer: Buffer): string | undefined {
  try {
    return utf8.decode(buffer);
  } catch {
    return undefined;
  }
}

/** For JSON: the text, or base64 labelled as such; null stays null. */
export type JsonBytes = { text: string | null } | { base64: string };

export function jsonBytes(buffer: Buffer | null): JsonBytes {
  if (buffer === null) return { text: null };
  const text = asText(buffer);
  return text === undefined ? { base64: buffer.toString('base64') } : { text };
}

/**
 * For people, in `name=value` lists: plain text as is; text that could be misread (empty,
 * spaces, separators, quotes, control characters, a leading 0x) in JSON quotes; binary as 0x
 * and hex; no value as (null).
 */
export function showBytes(buffer: Buffer | null): string {
  if (buffer === null) return '(null)';
  const text = asText(buffer);
  if (text === undefined) return `0x${buffer.toString('hex')}`;
  return /^(?!0x)[^\s,="'()\\\p{C}]+$/u.test(text) ? text : JSON.stringify(text);
}

import { isAlnum, isDigit, isHex } from './chars.js';

// Anchored (sticky) where a token starts and bounded in length: a failed try costs constant time.
const IPV4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![A-Za-z0-9]|\.\d)/y;
const UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![A-Za-z0-9])/y;
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;
const SCHEME = /[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\//y;

function stickyEnd(pattern: RegExp, text: string, i: number): number {
  pattern.lastIndex = i;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

/** End of the dotted quad at `i` (the port is left to numbers), or -1. */
export function ipv4End(text: string, i: number): number {
  const dotNear =
    text.charCodeAt(i + 1) === 46 || text.charCodeAt(i + 2) === 46 || text.charCodeAt(i + 3) === 46;
  return dotNear ? stickyEnd(IPV4, text, i) : -1;
}

export function uuidEnd(text: string, i: number): number {
  return text.charCodeAt(i + 8) === 45 ? stickyEnd(UUID, text, i) : -1;
}

/** Needs a top-level domain of letters, so `npm@11.19.1` and `root@localhost` stay text. */
export function emailEnd(text: string, i: number): number {
  return stickyEnd(EMAIL, text, i);
}

/** End of `scheme://` at `i`, or -1. */
export function schemeEnd(text: string, i: number): number {
  return stickyEnd(SCHEME, text, i);
}

/**
 * End of the IPv6 address at `i`, or -1: hex groups of at most four digits, with `::` or all eight
 * groups, and at least one decimal digit, so clock times, MAC addresses and `Foo::bar` stay out.
 * Scans at most 40 characters.
 */
export function ipv6End(text: string, i: number): number {
  let j = i;
  let colons = 0;
  let group = 0;
  let compressed = false;
  let digit = false;
  while (j < text.length && j - i < 40) {
    const c = text.charCodeAt(j);
    if (c === 58) {
      if (j > i && text.charCodeAt(j - 1) === 58) {
        if (compressed) return -1;
        compressed = true;
      }
      colons++;
      group = 0;
    } else if (isHex(c)) {
      if (++group > 4) return -1;
      if (isDigit(c)) digit = true;
    } else break;
    j++;
  }
  // A single trailing colon belongs to the sentence: `unreachable: fe80::1: timed out`.
  if (text.charCodeAt(j - 1) === 58 && text.charCodeAt(j - 2) !== 58) {
    j--;
    colons--;
  }
  if (!digit || colons < 2 || colons > 7 || (!compressed && colons !== 7)) return -1;
  return isAlnum(text.charCodeAt(j)) ? -1 : j;
}

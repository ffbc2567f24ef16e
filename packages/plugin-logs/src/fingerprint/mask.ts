import { emailEnd, ipv4End, ipv6End, schemeEnd, uuidEnd } from './addresses.js';
import { isAlnum, isDigit, isHex, isLetter, isSpace } from './chars.js';
import { klogTimestampEnd, timestampEnd } from './timestamps.js';

/** What each kind of variable token becomes in a template. */
const PLACEHOLDER = {
  number: '<NUM>',
  hex: '<HEX>',
  uuid: '<UUID>',
  ip: '<IP>',
  timestamp: '<TS>',
  quoted: '<STR>',
  email: '<EMAIL>',
  urlPath: '<PATH>',
} as const;

const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/**
 * The template of one line: variable tokens replaced by placeholders, whitespace runs collapsed to one
 * space, everything else (words, punctuation, brackets) kept, so lines from one log statement share it.
 *
 * One pass, left to right. Every try at a token start is either bounded in length or consumes what it
 * scanned, and a quote whose partner is missing is never searched for again, so the cost is linear in
 * the length of the line whatever it holds.
 */
export function maskText(text: string): string {
  return new Masker(text).run();
}

class Masker {
  private out = '';
  /** `text` before this index is already in `out`. */
  private copied = 0;
  private unclosedDouble = false;
  private unclosedSingle = false;
  // Where the next `@` and `://` are (-1: none left), so e-mail and URL patterns are only tried by
  // tokens that could reach one: an e-mail's local part is at most 64 characters, a scheme 16.
  private nextAt: number;
  private nextScheme: number;

  constructor(
    private readonly text: string,
    private readonly logfmtMessages = true,
  ) {
    this.nextAt = text.indexOf('@');
    this.nextScheme = text.indexOf('://');
  }

  run(): string {
    const text = this.text;
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isAlnum(c)) i = this.token(i);
      else if (isSpace(c)) i = this.whitespace(i);
      else i = this.symbol(i, c);
    }
    return this.out + text.slice(this.copied);
  }

  private symbol(i: number, c: number): number {
    const text = this.text;
    const afterWord = isAlnum(text.charCodeAt(i - 1));
    // An apostrophe inside a word (don't) or a quote after a number (5") opens nothing.
    if ((c === DOUBLE_QUOTE || c === SINGLE_QUOTE) && !afterWord) return this.quoted(i, c);
    // A sign counts only where a token starts: `-5` is a number, `foo-1` is foo, dash, number.
    if ((c === 45 || c === 43) && !afterWord && isDigit(text.charCodeAt(i + 1))) {
      return this.replace(i, numberEnd(text, i + 1), PLACEHOLDER.number);
    }
    if (c === 58 && text.charCodeAt(i + 1) === 58) {
      const end = ipv6End(text, i);
      if (end !== -1) return this.replace(i, end, PLACEHOLDER.ip);
    }
    return i + 1;
  }

  private replace(from: number, to: number, placeholder: string): number {
    this.out += this.text.slice(this.copied, from) + placeholder;
    this.copied = to;
    return to;
  }

  private whitespace(i: number): number {
    let end = i + 1;
    if (!isSpace(this.text.charCodeAt(end)) && this.text.charCodeAt(i) === 32) return end;
    while (isSpace(this.text.charCodeAt(end))) end++;
    return this.replace(i, end, ' ');
  }

  private quoted(i: number, quote: number): number {
    const double = quote === DOUBLE_QUOTE;
    if (double ? this.unclosedDouble : this.unclosedSingle) return i + 1;
    const text = this.text;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) j++;
      else if (c === quote) {
        const mark = double ? '"' : "'";
        return this.replace(i, j + 1, mark + this.quotedTemplate(i + 1, j) + mark);
      }
    }
    // No partner anywhere after this one, so none after any later one either.
    if (double) this.unclosedDouble = true;
    else this.unclosedSingle = true;
    return i + 1;
  }

  /**
   * A quoted value is masked whole, except the message of a logfmt line (`msg="..."`,
   * `message="..."`): that is what the line says, so it is masked like the line itself. Inside it,
   * quotes are plain values again, which bounds the recursion to one level.
   */
  private quotedTemplate(from: number, to: number): string {
    const text = this.text;
    const isMessage = text.endsWith('msg=', from - 1) || text.endsWith('message=', from - 1);
    return isMessage && this.logfmtMessages
      ? new Masker(text.slice(from, to), false).run()
      : PLACEHOLDER.quoted;
  }

  /** A token starting with a letter or digit: the previous character is neither. */
  private token(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    let end = i + 1;
    while (isAlnum(text.charCodeAt(end))) end++;
    const next = text.charCodeAt(end);
    // Times, addresses, ids and URLs go on past their first run of letters and digits with
    // punctuation; a run that ends the text or a word can only be a word, a number or a hex id,
    // except a month (`Nov 29 12:17:10`) or a klog header (`E1129 12:17:10.123456`).
    const mayGoOn = end < text.length && !isSpace(next);
    if (mayGoOn || (end - i === 3 && next === 32)) {
      const structured = this.structured(i, end, next);
      if (structured !== -1) return structured;
    }
    // klog's `E1129 12:17:10.123456` keeps its severity letter and loses its date.
    if (end - i === 5 && next === 32 && 'IWEF'.includes(text.charAt(i))) {
      const klog = klogTimestampEnd(text, i + 1);
      if (klog !== -1) return this.replace(i + 1, klog, PLACEHOLDER.timestamp);
    }
    if (isHexRun(text, i, end)) return this.replace(i, end, PLACEHOLDER.hex);
    if (isDigit(c)) return this.replace(i, numberEnd(text, i), PLACEHOLDER.number);
    // A version (v1.2.3, v20) changes with every release; the statement that prints it does not.
    if ((c | 32) === 118 && isDigit(text.charCodeAt(i + 1))) {
      return this.replace(i, numberEnd(text, i + 1), PLACEHOLDER.number);
    }
    // A word, digits and all: amd64, sha256, deb12u1 name things rather than count them.
    return end;
  }

  /** The end of a time, address, id or URL starting at `i` (whose first run ends at `runEnd`), or -1. */
  private structured(i: number, runEnd: number, next: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (this.nextScheme !== -1 && this.nextScheme < i) this.nextScheme = text.indexOf('://', i);
    if (this.nextAt !== -1 && this.nextAt < i) this.nextAt = text.indexOf('@', i);
    if (isLetter(c) && within(this.nextScheme, i, 16)) {
      const end = schemeEnd(text, i);
      if (end !== -1) return this.url(i, end);
    }
    const timestamp = timestampEnd(text, i);
    if (timestamp !== -1) return this.replace(i, timestamp, PLACEHOLDER.timestamp);
    if (runEnd - i === 8 && next === 45) {
      const uuid = uuidEnd(text, i);
      if (uuid !== -1) return this.replace(i, uuid, PLACEHOLDER.uuid);
    }
    if (within(this.nextAt, i, 64) && !continuesAddress(text.charCodeAt(i - 1))) {
      const email = emailEnd(text, i);
      if (email !== -1) return this.replace(i, email, PLACEHOLDER.email);
    }
    if (next === 46 && isDigit(c)) {
      const ipv4 = ipv4End(text, i);
      if (ipv4 !== -1) return this.replace(i, ipv4, PLACEHOLDER.ip);
    }
    if (next === 58 && runEnd - i <= 4) {
      const ipv6 = ipv6End(text, i);
      if (ipv6 !== -1) return this.replace(i, ipv6, PLACEHOLDER.ip);
    }
    return -1;
  }

  /**
   * Scheme and host stay (the host masked like any text, so addresses and numbered hosts collapse);
   * user info becomes <STR>@ and the path, query and fragment one <PATH>, as they carry ids, keys and
   * signatures that change per request.
   */
  private url(i: number, hostStart: number): number {
    const text = this.text;
    let end = hostStart;
    while (end < text.length && !endsUrl(text.charCodeAt(end))) end++;
    while (end > hostStart && isTrailingPunctuation(text.charCodeAt(end - 1))) end--;
    let hostEnd = hostStart;
    while (hostEnd < end && !startsPath(text.charCodeAt(hostEnd))) hostEnd++;
    const authority = text.slice(hostStart, hostEnd);
    const at = authority.lastIndexOf('@');
    const user = at === -1 ? '' : `${PLACEHOLDER.quoted}@`;
    const host = maskText(authority.slice(at + 1));
    const path = hostEnd < end ? `/${PLACEHOLDER.urlPath}` : '';
    return this.replace(i, end, text.slice(i, hostStart) + user + host + path);
  }
}

/** End of the number whose first digit is at `i`: decimals, thousands separators and a unit (12ms, 3.5s, 10KB, 200%). */
function numberEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    while (isDigit(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if ((c === 46 || c === 44) && isDigit(text.charCodeAt(j + 1))) j++;
    else break;
  }
  while (isAlnum(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 37 ? j + 1 : j;
}

/** `0x…`, or eight or more hex digits mixing digits and letters (a run of digits alone is a number). */
function isHexRun(text: string, start: number, end: number): boolean {
  let from = start;
  if (text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120) from = start + 2;
  else if (end - start < 8) return false;
  if (from === end) return false;
  let digit = false;
  let letter = false;
  for (let j = from; j < end; j++) {
    const c = text.charCodeAt(j);
    if (!isHex(c)) return false;
    if (isDigit(c)) digit = true;
    else letter = true;
  }
  return from > start || (digit && letter);
}

/** Whether `found` (an index, or -1 for none) lies at most `reach` characters after `from`. */
function within(found: number, from: number, reach: number): boolean {
  return found !== -1 && found - from <= reach;
}

/** An e-mail address does not start inside a path or another address: `wants/getty@tty1.service`. */
function continuesAddress(c: number): boolean {
  return c === 47 || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function endsUrl(c: number): boolean {
  return isSpace(c) || c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === 60 || c === 62 || c === 96;
}

function isTrailingPunctuation(c: number): boolean {
  return '.,;:!?)]}'.includes(String.fromCharCode(c));
}

function startsPath(c: number): boolean {
  return c === 47 || c === 63 || c === 35;
}

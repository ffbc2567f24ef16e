import { isDigit } from './chars.js';

// Each pattern is anchored where a token starts (sticky) and bounded in length, so trying one costs
// constant time wherever it fails. A timestamp must not run on into letters or digits.
const YEAR_FIRST =
  /\d{4}([-/])\d{2}\1\d{2}(?:(?:T| {1,2})\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?: ?(?:Z|[+-]\d{2}:?\d{2}|UTC))?)?(?![A-Za-z0-9])/y;
const CLOCK = /\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?![A-Za-z0-9])/y;
const COMMON_LOG = /\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?(?![A-Za-z0-9])/y;
// syslog `Nov 29 12:17:10`, ctime `Sat Nov 29 12:17:10 2026`, date(1) `Sat Nov 29 12:17:10 UTC 2026`,
// RFC 1123 `Sat, 29 Nov 2026 12:17:10 GMT`: the month name must go too, or each month is its own template.
const NAMED =
  /(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? )?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2}|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))(?: \d{4})? \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?: (?:[A-Z]{3,4}|[+-]\d{4}))?(?: \d{4})?(?![A-Za-z0-9])/y;

// klog (Kubernetes, glog) writes the month and day straight after the severity letter: `E1129 12:17:10.123456`.
const KLOG_DATE_TIME = /\d{4} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?![A-Za-z0-9])/y;

/**
 * End of the date or time that starts at `i` (ISO 8601 / RFC 3339 with `T` or spaces, log4j's
 * `2026-11-29 12:17:10,607`, `2026/11/29`, a bare clock time, Apache's `29/Nov/2026:12:17:10 +0000`,
 * syslog and other named-month forms), or -1. Epoch times are left to numbers.
 */
export function timestampEnd(text: string, i: number): number {
  const pattern = patternAt(text, i);
  if (pattern === undefined) return -1;
  pattern.lastIndex = i;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

// A look at the separators picks the one pattern that can match, so a plain word or number costs
// a few character reads rather than four regular-expression runs.
function patternAt(text: string, i: number): RegExp | undefined {
  const c = text.charCodeAt(i);
  if (isDigit(c)) {
    const at4 = text.charCodeAt(i + 4);
    if (at4 === 45 || at4 === 47) return YEAR_FIRST;
    if (text.charCodeAt(i + 1) === 58 || text.charCodeAt(i + 2) === 58) return CLOCK;
    if (text.charCodeAt(i + 2) === 47) return COMMON_LOG;
    return undefined;
  }
  const at3 = text.charCodeAt(i + 3);
  return c >= 65 && c <= 90 && (at3 === 32 || at3 === 44) ? NAMED : undefined;
}

/**
 * End of the `1129 12:17:10.123456` of a klog (Kubernetes, glog) header `E1129 12:17:10.123456`
 * that starts at `i`, just after the severity letter, or -1.
 */
export function klogTimestampEnd(text: string, i: number): number {
  KLOG_DATE_TIME.lastIndex = i;
  return KLOG_DATE_TIME.test(text) ? KLOG_DATE_TIME.lastIndex : -1;
}

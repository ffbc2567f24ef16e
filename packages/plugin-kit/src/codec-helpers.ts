import { type CodecPiece, LakerunnerError, type SniffResult } from '@lakerunner/core';

/**
 * Small pieces codec authors need again and again: the lines of a piece with their numbers in
 * the object, and sniffers for the common shapes of telemetry files.
 */
export function* pieceLines(piece: CodecPiece): Generator<{ text: string; number: number }> {
  let text = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength).toString('utf8');
  // A byte-order mark belongs to the file, not to its first record.
  if (piece.first === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let number = piece.first;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    number++;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (line.trim() !== '') yield { text: line, number };
    start = end + 1;
  }
}

/**
 * Text, judged on the sample: no NUL, few control characters, and UTF-8 but for a stray bad
 * byte or two (a record with a broken character is still a text record).
 */
export function isText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  }
  if (control > sample.length / 100) return false;
  const decoded = new TextDecoder('utf-8').decode(cutAtCharBoundary(sample));
  let replaced = 0;
  for (let i = 0; i < decoded.length; i++) if (decoded.charCodeAt(i) === 0xfffd) replaced++;
  return replaced <= Math.max(1, decoded.length / 10);
}

/** The first non-blank character of the sample, as a string. */
export function firstChar(head: Uint8Array): string {
  for (const byte of head) {
    if (
      byte !== 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0d &&
      byte !== 0xef &&
      byte !== 0xbb &&
      byte !== 0xbf
    ) {
      return String.fromCharCode(byte);
    }
  }
  return '';
}

/** 'yes' when the first line is a JSON object and another line follows: JSON lines. */
export function sniffJsonLines(head: Uint8Array): SniffResult {
  if (firstChar(head) !== '{' || !isText(head)) return 'no';
  const text = Buffer.from(cutAtCharBoundary(head)).toString('utf8').trimStart();
  const newline = text.indexOf('\n');
  const first = newline === -1 ? text : text.slice(0, newline);
  try {
    const value = JSON.parse(first);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? 'yes' : 'no';
  } catch {
    // A first line longer than the sample is not proof either way.
    return newline === -1 ? 'maybe' : 'no';
  }
}

export function isParquet(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

/** Drops a trailing partial UTF-8 sequence, so a sample cut mid-character still decodes. */
function cutAtCharBoundary(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 4 && ((bytes[end - 1] as number) & 0xc0) === 0x80) {
    end--;
    back++;
  }
  if (end > 0 && (bytes[end - 1] as number) >= 0xc0) end--;
  return bytes.subarray(0, end);
}

/**
 * An OTLP Export*ServiceRequest starts with field 1 (length-delimited) holding a message that
 * starts with field 1 or 2, also length-delimited (its Resource, or its scope list).
 */
export function sniffOtlpProtobuf(head: Uint8Array): SniffResult {
  if (head.length === 0) return 'maybe';
  if (head[0] !== 0x0a) return 'no';
  let at = 1;
  for (let shift = 0; at < head.length && shift < 35; shift += 7) {
    if (((head[at++] as number) & 0x80) === 0) break;
  }
  if (at >= head.length) return 'maybe';
  return head[at] === 0x0a || head[at] === 0x12 ? 'yes' : 'no';
}

/**
 * A JSON document (object or array), as opposed to JSON lines: 'yes' when the sample shows the
 * OTLP top-level key of `signal` (`resourceLogs`, `resourceSpans`, `resourceMetrics`).
 */
export function sniffJsonDocument(head: Uint8Array, signal: 'Logs' | 'Spans' | 'Metrics'): SniffResult {
  const first = firstChar(head);
  if ((first !== '{' && first !== '[') || !isText(head)) return 'no';
  // A complete object on the first line followed by more lines is JSON lines, not a document.
  if (
    first === '{' &&
    sniffJsonLines(head) === 'yes' &&
    Buffer.from(head).toString('latin1').trim().includes('\n')
  ) {
    return 'no';
  }
  const sample = Buffer.from(head.subarray(0, 4096)).toString('latin1');
  return new RegExp(`"resource_?${signal}"`, 'i').test(sample) ? 'yes' : 'maybe';
}

/**
 * A `document` piece parsed as JSON, or 'lines' when it is no JSON document but holds several
 * lines: JSON lines whose first line was too long to sniff, which the codec reads as lines after
 * all. Anything else that does not parse is LR_INPUT_CORRUPT.
 */
export function parseJsonDocument(piece: CodecPiece): { json: unknown } | 'lines' {
  const text = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength).toString(
    'utf8',
  );
  try {
    return { json: JSON.parse(text) };
  } catch (err) {
    if (text.trimEnd().includes('\n')) return 'lines';
    throw new LakerunnerError(
      'LR_INPUT_CORRUPT',
      `${piece.key}: not a JSON document: ${(err as Error).message}`,
    );
  }
}

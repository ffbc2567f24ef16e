import type { FetchedMessage, HeaderValue } from '../../../kafka/partition-reader.js';
import { jsonBytes, showBytes } from './message-bytes.js';

/**
 * A record's headers as `tail` shows them: every value of every key, in record order per key.
 * kafkajs hands a repeated key over as an array and keeps no order between different keys, so
 * the values are listed per key (JSON: `{"dup": ["1", "2"]}`), never collapsed into one.
 */
export type HeaderJson = string | null | { base64: string };

export function headerValues(headers: FetchedMessage['headers']): [string, HeaderValue[]][] {
  return Object.entries(headers).flatMap(([key, value]): [string, HeaderValue[]][] =>
    value === undefined ? [] : [[key, Array.isArray(value) ? value : [value]]],
  );
}

export function headersJson(headers: FetchedMessage['headers']): Record<string, HeaderJson[]> {
  return Object.fromEntries(
    headerValues(headers).map(([key, values]) => [
      key,
      values.map((v): HeaderJson => {
        const bytes = jsonBytes(v);
        return 'base64' in bytes ? { base64: bytes.base64 } : bytes.text;
      }),
    ]),
  );
}

/** `dup=1, dup=2, organization_id=acme`, or '' when there are none. */
export function headersText(headers: FetchedMessage['headers']): string {
  return headerValues(headers)
    .flatMap(([key, values]) => values.map((v) => `${showBytes(Buffer.from(key))}=${showBytes(v)}`))
    .join(', ');
}

/**
 * What ConsoleConsumer prints for each record, read back exactly. Its default formatter writes
 * keys, values and header values as raw bytes, so separators the test data never contains (ASCII
 * control characters) keep every byte recoverable: binary, empty, multi-line, non-ASCII.
 */
const FIELD = '\x1f';
const HEADER = '\x1e';
const RECORD = '\x1d';
const NULL = '\x1cNULL\x1c';

/** ConsoleConsumer options: print everything of each record, with the separators above. */
export const CONSOLE_FORMAT = [
  ...['timestamp', 'partition', 'offset', 'headers', 'key'].flatMap((p) => ['--property', `print.${p}=true`]),
  ...['--property', `key.separator=${FIELD}`],
  ...['--property', `headers.separator=${HEADER}`],
  ...['--property', `line.separator=${RECORD}`],
  ...['--property', `null.literal=${NULL}`],
];

export interface ConsoleRecord {
  timestampType: string;
  timestamp: number;
  partition: number;
  offset: number;
  /** In record order; a header without a value has null. */
  headers: [string, Buffer | null][];
  key: Buffer | null;
  value: Buffer | null;
}

/** True when test data would be ambiguous in ConsoleConsumer's output. */
export function clashesWithFormat(bytes: Buffer | string | null): boolean {
  return bytes !== null && Buffer.from(bytes).some((b) => b >= 0x1c && b <= 0x1f);
}

export function parseConsoleRecords(stdout: Buffer): ConsoleRecord[] {
  return split(stdout, RECORD)
    .filter((r) => r.length > 0)
    .map((record) => {
      const fields = split(record, FIELD);
      if (fields.length !== 6) throw new Error(`a record of ${fields.length} fields: ${record.toString()}`);
      const [timestamp, partition, offset, headers, key, value] = fields;
      const [type, ms] = text(timestamp).split(':');
      return {
        timestampType: type ?? '',
        timestamp: Number(ms),
        partition: Number(text(partition).replace(/^Partition:/, '')),
        offset: Number(text(offset).replace(/^Offset:/, '')),
        headers: text(headers) === 'NO_HEADERS' ? [] : split(orEmpty(headers), HEADER).map(header),
        key: nullable(orEmpty(key)),
        value: nullable(orEmpty(value)),
      };
    });
}

function header(bytes: Buffer): [string, Buffer | null] {
  const colon = bytes.indexOf(':');
  if (colon < 0) throw new Error(`not a header: ${bytes.toString()}`);
  return [bytes.subarray(0, colon).toString('utf8'), nullable(bytes.subarray(colon + 1))];
}

function nullable(bytes: Buffer): Buffer | null {
  return bytes.equals(Buffer.from(NULL)) ? null : bytes;
}

function split(bytes: Buffer, separator: string): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(separator, from); at >= 0; at = bytes.indexOf(separator, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + separator.length;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

function orEmpty(bytes: Buffer | undefined): Buffer {
  if (bytes === undefined) throw new Error('a record with fewer fields than printed');
  return bytes;
}

function text(bytes: Buffer | undefined): string {
  return orEmpty(bytes).toString('utf8');
}

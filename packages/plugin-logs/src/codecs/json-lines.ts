import { isOtlpLogs, parseOtlpLogs } from './otlp-json.js';
import type { RecordDraft } from './record-draft.js';

/**
 * JSON Lines: one JSON object per line. Well-known field names give the timestamp, message,
 * level and service; every other field is kept as an attribute. A line that is an OTLP logs
 * request is read as one.
 */
const TIME_FIELDS = [
  'timestamp',
  'time',
  'ts',
  '@timestamp',
  'datetime',
  'date',
  'event_time',
  'eventtime',
  'timeUnixNano',
];
const MESSAGE_FIELDS = ['message', 'msg', 'body', 'log', 'data'];
const LEVEL_FIELDS = ['level', 'severity', 'severity_text', 'log_level', 'loglevel', 'lvl'];
const SERVICE_FIELDS = ['service', 'service.name', 'service_name', 'app', 'application'];

function take(record: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    if (name in record) {
      const value = record[name];
      delete record[name];
      return value;
    }
  }
  return undefined;
}

/** `firstLine`: how many lines of the object came before `text` (when it is read in chunks). */
export function* parseJsonLines(text: string, firstLine = 0): Generator<RecordDraft> {
  let lineNumber = firstLine;
  for (const line of text.split('\n')) {
    lineNumber++;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`line ${lineNumber} is not JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`line ${lineNumber} is not a JSON object`);
    }
    if (isOtlpLogs(parsed)) {
      // The collector's file exporter writes one OTLP request per line.
      yield* parseOtlpLogs(parsed, `${lineNumber}.`);
      continue;
    }
    const record = { ...(parsed as Record<string, unknown>) };
    const time = take(record, TIME_FIELDS);
    const message = take(record, MESSAGE_FIELDS);
    const level = take(record, LEVEL_FIELDS);
    const service = take(record, SERVICE_FIELDS);
    yield {
      position: String(lineNumber),
      time,
      message:
        message === undefined ? trimmed : typeof message === 'string' ? message : JSON.stringify(message),
      level: level === undefined ? '' : String(level),
      service: service === undefined ? '' : String(service),
      attributes: record,
    };
  }
}

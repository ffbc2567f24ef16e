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

type Role = 'time' | 'message' | 'level' | 'service';

/** Field name → its role and rank (earlier names in a list win when a record has several). */
const ROLES = new Map<string, { role: Role; rank: number }>(
  (
    [
      ['time', TIME_FIELDS],
      ['message', MESSAGE_FIELDS],
      ['level', LEVEL_FIELDS],
      ['service', SERVICE_FIELDS],
    ] as const
  ).flatMap(([role, names]) => names.map((name, rank) => [name, { role, rank }] as const)),
);

/** One pass over the record's fields; losing aliases stay attributes, as the rest do. */
function classify(record: Record<string, unknown>) {
  const found: Partial<Record<Role, { key: string; rank: number }>> = {};
  for (const key in record) {
    const hit = ROLES.get(key);
    if (!hit) continue;
    const best = found[hit.role];
    if (!best || hit.rank < best.rank) found[hit.role] = { key, rank: hit.rank };
  }
  const chosen = new Set(Object.values(found).map((f) => f?.key));
  const attributes: Record<string, unknown> = {};
  for (const key in record) if (!chosen.has(key)) attributes[key] = record[key];
  const value = (role: Role) => {
    const f = found[role];
    return f ? record[f.key] : undefined;
  };
  return {
    time: value('time'),
    message: value('message'),
    level: value('level'),
    service: value('service'),
    attributes,
  };
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
    const { time, message, level, service, attributes } = classify(parsed as Record<string, unknown>);
    yield {
      position: String(lineNumber),
      time,
      message:
        message === undefined ? trimmed : typeof message === 'string' ? message : JSON.stringify(message),
      level: level === undefined ? '' : String(level),
      service: service === undefined ? '' : String(service),
      attributes,
    };
  }
}

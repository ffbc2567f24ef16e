import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `5s`, `2m`, `1h`, `1d` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a duration (try 500ms, 5s, 2m or 1h)`);
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
}

/** Parses an ISO-8601 time, or a duration meaning "that long ago", into epoch milliseconds. */
export function parseSince(text: string, now = Date.now()): number {
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)$/.test(text.trim())) return now - parseDuration(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    throw new InvalidArgumentError(`"${text}" is neither a time (2026-01-31T12:00:00Z) nor a duration (15m)`);
  }
  return at;
}

export function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${text}" is not a whole number`);
  return n;
}

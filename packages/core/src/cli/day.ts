import { InvalidArgumentError } from 'commander';

/** Parses a day as YYYY-MM-DD or as the catalog's dateint (YYYYMMDD) into the dateint. */
export function parseDay(text: string): number {
  const m = /^(\d{4})(-?)(\d{2})\2(\d{2})$/.exec(text.trim());
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
    // Round-tripping through a date rejects 2026-02-30 and month 13.
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return year * 10_000 + month * 100 + day;
    }
  }
  throw new InvalidArgumentError(`"${text}" is not a day (YYYY-MM-DD or YYYYMMDD)`);
}

/** 20261128 → 2026-11-28. */
export function formatDay(dateint: number): string {
  const s = String(dateint).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

import { readFileSync } from 'node:fs';
import { fingerprint, messageTemplate } from '../../src/fingerprint/index.js';

/**
 * The golden record: every corpus line with its template and fingerprint. The corpus test compares
 * it with corpus.golden.json; after a deliberate change to the rules, regenerate that file with
 * `npx vitest run --project unit packages/plugin-logs/test/fingerprint -u` and review the diff:
 * every changed fingerprint regroups stored data.
 */
export interface GoldenEntry {
  /** 1-based line number in corpus.txt. */
  line: number;
  template: string;
  /** Decimal, as JSON has no 64-bit integers. */
  fingerprint: string;
}

/** Real log lines (one message per line) from Kafka, dpkg, apt, npm, vitest, autoconf and jtreg. */
export function corpusLines(): string[] {
  const text = readFileSync(new URL('./corpus.txt', import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

export function goldenOf(lines: readonly string[]): GoldenEntry[] {
  return lines.map((message, index) => ({
    line: index + 1,
    template: messageTemplate(message),
    fingerprint: fingerprint(message).toString(),
  }));
}

export function goldenJson(lines: readonly string[]): string {
  return `${JSON.stringify(goldenOf(lines), null, 2)}\n`;
}

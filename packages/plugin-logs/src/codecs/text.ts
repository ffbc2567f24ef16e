import { defineCodec, type SniffResult } from '@lakerunner/core';
import { isText, pieceLines } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';

/**
 * Plain text logs, one record per line. A leading timestamp (`2026-11-29T12:17:10.607Z`,
 * `[2026-11-29 12:17:10,607]` as log4j writes it) becomes the time, and a level word among the
 * first tokens (`INFO`, `warn`, `ERROR`…) the severity text; the whole line is the body.
 */
export const textLogsCodec = defineCodec<LogRecord>({
  name: 'text',
  signals: ['logs'],
  suffixes: ['.log', '.txt'],
  framing: 'lines',
  sniff: (head): SniffResult => (isText(head) ? 'maybe' : 'no'),
  *decode(piece) {
    for (const line of pieceLines(piece)) {
      const time = LEADING_TIME.exec(line.text)?.[1];
      const level = LEVEL_WORD.exec(line.text.slice(0, 120))?.[1];
      yield {
        position: String(line.number),
        body: line.text,
        ...(time ? { time } : {}),
        ...(level ? { severityText: level } : {}),
      };
    }
  },
});

const LEADING_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?/;
const LEVEL_WORD =
  /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL|trace|debug|info|notice|warn|warning|error|fatal|critical)\b/;

import type { LogFields, Logger } from '../logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One JSON object per line on stderr: {time, level, msg, ...fields}, as log shippers expect. */
export function jsonLogger(
  minimum: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const at = LEVELS.indexOf(minimum);
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < at) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

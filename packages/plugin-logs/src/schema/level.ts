/**
 * One level per severity, whatever the source called it: OTLP severity numbers by their ranges,
 * texts by the names loggers use (`INFORMATION`, `info`, `I` and `notice` are all INFO).
 */
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number] | 'UNSPECIFIED';

const BY_TEXT = new Map<string, Level>(
  (
    [
      ['TRACE', ['trace', 't', 'trc', 'verbose', 'finest', 'finer']],
      ['DEBUG', ['debug', 'd', 'dbg', 'fine', 'config']],
      ['INFO', ['info', 'information', 'informational', 'i', 'inf', 'notice', 'ok']],
      ['WARN', ['warn', 'warning', 'w', 'wrn']],
      ['ERROR', ['error', 'err', 'e', 'severe', 'failure', 'fail']],
      ['FATAL', ['fatal', 'f', 'critical', 'crit', 'alert', 'emerg', 'emergency', 'panic']],
    ] as const
  ).flatMap(([level, names]) => names.map((n) => [n, level] as [string, Level])),
);

export function normaliseLevel(severityNumber: number | undefined, severityText: string | undefined): Level {
  if (severityNumber !== undefined && severityNumber >= 1 && severityNumber <= 24) {
    return LEVELS[Math.floor((severityNumber - 1) / 4)] as Level;
  }
  if (severityText) {
    const text = severityText.trim().toLowerCase();
    const direct = BY_TEXT.get(text) ?? BY_TEXT.get(text.replace(/[0-9]+$/, ''));
    if (direct) return direct;
  }
  return 'UNSPECIFIED';
}

import { maskText } from './mask.js';
import { cleanMessage, firstLine, MAX_CHARS } from './normalise.js';

/**
 * A JSON object message groups by its shape and what it says: its sorted top-level keys, then the
 * template of its `message` (or `msg`) string if it has one. Other values are left out as variable.
 * Only text within the length cap is parsed, so nesting and size stay bounded; anything that is not
 * an object gives undefined.
 */
export function jsonTemplate(text: string): string | undefined {
  if (text.length > MAX_CHARS || text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = JSON.stringify(Object.keys(record).sort());
  const message = typeof record.message === 'string' ? record.message : record.msg;
  if (typeof message !== 'string') return `json:${keys}`;
  return `json:${keys} ${maskText(firstLine(cleanMessage(message)))}`;
}

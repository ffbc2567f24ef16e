import { jsonTemplate } from './json.js';
import { maskText } from './mask.js';
import { cleanMessage, firstLine } from './normalise.js';

/**
 * What a log message says with its variable parts masked: the same for every message of one log
 * statement. Terminal escapes are dropped, only the first line counts (a stack trace groups by its
 * exception line), at most MAX_CHARS of it, and a JSON object is reduced to its keys and message.
 * A pure function of the message: no state, no randomness, identical in every process.
 */
export function messageTemplate(message: string): string {
  const text = cleanMessage(message);
  return jsonTemplate(text) ?? maskText(firstLine(text));
}

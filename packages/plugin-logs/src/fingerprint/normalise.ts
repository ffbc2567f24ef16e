/** Characters of a message's first line that shape its template: a huge message costs bounded time. */
export const MAX_CHARS = 2000;

/** How much of a message is looked at at all: room for escape sequences and leading blank lines. */
const WINDOW = 4 * MAX_CHARS;

// CSI (colours, cursor moves), OSC (titles, hyperlinks), character-set and other escapes, and the
// 8-bit CSI. Each branch has a single way to match, so removal is linear in the length.
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it removes
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[ -/]+[0-~]|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;

/** The message without terminal escape sequences and surrounding whitespace, cut to a bounded window. */
export function cleanMessage(message: string): string {
  const window = message.length > WINDOW ? message.slice(0, WINDOW) : message;
  const plain = window.includes('\u001b') || window.includes('\u009b') ? window.replace(ANSI, '') : window;
  return plain.trim();
}

/** Stack traces and multi-line bodies are grouped by the line that says what happened. */
export function firstLine(text: string): string {
  let end = Math.min(text.length, MAX_CHARS);
  const newline = text.indexOf('\n');
  if (newline !== -1 && newline < end) end = newline;
  const carriageReturn = text.indexOf('\r');
  if (carriageReturn !== -1 && carriageReturn < end) end = carriageReturn;
  return text.slice(0, end).trimEnd();
}

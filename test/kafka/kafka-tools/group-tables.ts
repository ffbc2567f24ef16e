/**
 * The tables ConsumerGroupCommand prints (--describe, --reset-offsets --dry-run), read by column
 * name. A table is a header of upper-case column names and rows of as many whitespace-free values
 * ('-' where the tool knows none). The values are read as one stream rather than line by line,
 * because 3.9's --reset-offsets prints its rows without line breaks. A table ends at a blank
 * line, at the next table's header (3.9's --describe leaves no blank line between groups) or at
 * one of the tool's messages (Error: …, Consumer group '…' has no active members.).
 */
export type ToolRow = Record<string, string>;

const COLUMN = /^[A-Z]+(?:-[A-Z]+)*$/;
const MESSAGE = /^(?:Error|Warning|Consumer group)\b/;

export function parseGroupTables(output: string): ToolRow[] {
  const rows: ToolRow[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const tokens = words(lines[i] ?? '');
    if (tokens[0] !== 'GROUP') continue;
    // Group names in these tests are lower case, so the header ends at the first other token.
    const width = tokens.findIndex((t) => !COLUMN.test(t));
    const header = width < 0 ? tokens : tokens.slice(0, width);
    const values = width < 0 ? [] : tokens.slice(width);
    while (i + 1 < lines.length && !endsTable(lines[i + 1] ?? '')) values.push(...words(lines[++i] ?? ''));
    if (values.length % header.length !== 0) {
      throw new Error(`a table of ${header.join(' ')} with ${values.length} values:\n${output}`);
    }
    for (let at = 0; at < values.length; at += header.length) {
      const row = Object.fromEntries(header.map((name, j) => [name, values[at + j] ?? '']));
      if (!/^\d+$/.test(row.PARTITION ?? '')) throw new Error(`not a row: ${JSON.stringify(row)}\n${output}`);
      rows.push(row);
    }
  }
  return rows;
}

function endsTable(line: string): boolean {
  const first = words(line)[0];
  return first === undefined || first === 'GROUP' || MESSAGE.test(line);
}

function words(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** The tool's number, or null for its '-' (unknown: no commit, no member). */
export function toolNumber(value: string | undefined): number | null {
  if (value === '-') return null;
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`not a number or '-': ${value}`);
  return Number(value);
}

export const rowKey = (group: string, topic: string, partition: number) => `${group} ${topic} ${partition}`;

export function byRowKey(rows: readonly ToolRow[]): Map<string, ToolRow> {
  return new Map(rows.map((r) => [rowKey(r.GROUP ?? '', r.TOPIC ?? '', Number(r.PARTITION)), r]));
}

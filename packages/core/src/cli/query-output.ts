import type { CliIO } from './io.js';
import { renderTable } from './table.js';

export const QUERY_FORMATS = ['table', 'json', 'csv'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Receives a result's rows chunk by chunk and prints them in one format. */
export interface QueryPrinter {
  /** Cells are text (null for SQL NULL) in table and csv, JSON values in json. */
  rows(chunk: readonly (readonly unknown[])[]): void;
  /** `more`: rows past the limit were left unprinted. */
  end(printed: number, more: boolean): void;
}

/**
 * csv and json print each chunk as it arrives, so a large result streams; a table has to see
 * every row for its column widths, which the row limit keeps bounded. What is not data (a count,
 * the note that rows were left out) goes to stderr for csv and json, so their stdout parses.
 */
export function queryPrinter(format: QueryFormat, columns: readonly string[], io: CliIO): QueryPrinter {
  const note = (printed: number) =>
    `(${printed} row${printed === 1 ? '' : 's'} printed; the result has more: raise --limit, or --limit 0 for all)`;
  if (format === 'table') {
    const buffered: string[][] = [];
    return {
      rows: (chunk) => {
        for (const row of chunk) buffered.push(row.map((c) => (c === null ? 'NULL' : String(c))));
      },
      end: (printed, more) => {
        io.out(renderTable(columns, buffered));
        io.out(more ? note(printed) : `(${printed} row${printed === 1 ? '' : 's'})`);
      },
    };
  }
  if (format === 'csv') {
    io.out(columns.map(csvField).join(','));
    return {
      rows: (chunk) => {
        if (chunk.length > 0)
          io.out(
            chunk.map((row) => row.map((c) => (c === null ? '' : csvField(String(c)))).join(',')).join('\n'),
          );
      },
      end: (printed, more) => {
        if (more) io.err(note(printed));
      },
    };
  }
  return {
    rows: (chunk) => {
      if (chunk.length > 0)
        io.out(
          chunk
            .map((row) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]]))))
            .join('\n'),
        );
    },
    end: (printed, more) => {
      if (more) io.err(note(printed));
    },
  };
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 fields of one CSV record (the framing already cut records at unquoted newlines):
 * quoted fields may hold commas, newlines and doubled quotes. A quote inside an unquoted field or
 * an unclosed quote makes the record malformed.
 */
export function parseCsvRecord(record: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const end = record.endsWith('\r\n')
    ? record.length - 2
    : record.endsWith('\n')
      ? record.length - 1
      : record.length;
  for (;;) {
    if (record[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = record.indexOf('"', i);
        if (quote === -1 || quote >= end) throw new Error('a quoted field is not closed');
        value += record.slice(i, quote);
        if (record[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i < end && record[i] !== ',') throw new Error(`unexpected "${record[i]}" after a quoted field`);
    } else {
      let comma = record.indexOf(',', i);
      if (comma === -1 || comma > end) comma = end;
      const value = record.slice(i, comma);
      if (value.includes('"')) throw new Error('a quote inside an unquoted field');
      fields.push(value);
      i = comma;
    }
    if (i >= end) return fields;
    i++; // the comma
    if (i === end) {
      fields.push('');
      return fields;
    }
  }
}

/** Splits a piece of whole records at newlines outside quotes. */
export function* csvRecords(text: string): Generator<string> {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) {
      yield text.slice(start, i + 1);
      start = i + 1;
    }
  }
  if (start < text.length) yield text.slice(start);
}

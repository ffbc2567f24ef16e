// A codec of the "events" signal: logfmt lines (`ts=2026-11-28T08:00:00Z event=checkout
// user=alice amount=12.5`), as many applications print them. Files ending in .logfmt, or any
// text whose first line looks like logfmt, are read with it.
import { defineCodec } from '@lakerunner/core';
import { isText, pieceLines } from '@lakerunner/plugin-kit';

const PAIR = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g;

export const logfmtEventsCodec = defineCodec({
  name: 'logfmt',
  signals: ['events'],
  suffixes: ['.logfmt'],
  framing: 'lines',
  sniff: (head) =>
    isText(head) && /^\s*[A-Za-z_][\w.-]*=/.test(Buffer.from(head).toString('utf8')) ? 'yes' : 'no',
  *decode(piece) {
    for (const line of pieceLines(piece)) {
      const fields = {};
      for (const [, key, raw] of line.text.matchAll(PAIR)) {
        fields[key] = raw.startsWith('"') ? JSON.parse(raw) : raw;
      }
      if (!fields.event) {
        piece.reject(String(line.number), 'no event= field');
        continue;
      }
      const { ts, event, user, ...properties } = fields;
      yield { position: String(line.number), time: ts, event, user, properties };
    }
  },
});

import { bench } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { corpusLines } from './golden.js';

// 100,000 messages made from the corpus with every digit redrawn (a fixed-seed generator), so the
// strings are fresh like an ingest batch rather than the same few hundred over and over.
// Run with `npx vitest bench --run --project unit packages/plugin-logs/test/fingerprint`.
const LINES = 100_000;
const corpus = corpusLines();
let seed = 1;
const digit = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return String(seed % 10);
};
const messages = Array.from({ length: LINES }, (_, i) =>
  (corpus[i % corpus.length] ?? '').replace(/\d/g, digit),
);

bench(`fingerprint of ${LINES} log lines`, () => {
  for (const message of messages) fingerprint(message);
});

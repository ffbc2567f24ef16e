#!/usr/bin/env node
// Regenerates the parts of docs/ that are derived from code (run after `npm run build`):
// the configuration options table and the error code table. Tests fail when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, renderConfigDocs } from '@lakerunner/core';
import { repoRoot } from './services/process.mjs';

function replaceBetween(file, name, body) {
  const path = join(repoRoot, 'docs', file);
  const text = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} lacks the ${start} … ${end} markers`);
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`);
}

replaceBetween('configuration.md', 'options', renderConfigDocs());
replaceBetween(
  'errors.md',
  'codes',
  [
    '| Code | Meaning |',
    '| --- | --- |',
    ...Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`),
    '',
  ].join('\n'),
);
console.log('docs/configuration.md and docs/errors.md are up to date');

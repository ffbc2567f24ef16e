#!/usr/bin/env node
// Regenerates the documentation that is derived from code (run after `npm run build`): the
// configuration options table, the error code table and each adapter package's options table.
// Tests fail when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, renderAdapterOptions, renderConfigDocs } from '@lakerunner/core';
import { adapterPackages } from './adapter-packages.mjs';
import { repoRoot } from './services/process.mjs';

function replaceBetween(file, name, body) {
  const path = join(repoRoot, file);
  const text = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} lacks the ${start} … ${end} markers`);
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`);
}

replaceBetween('docs/configuration.md', 'options', renderConfigDocs());
replaceBetween(
  'docs/errors.md',
  'codes',
  [
    '| Code | Meaning |',
    '| --- | --- |',
    ...Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`),
    '',
  ].join('\n'),
);
for (const { dir, spec } of await adapterPackages()) {
  replaceBetween(`${dir}/README.md`, 'options', renderAdapterOptions(spec));
}
console.log('docs/configuration.md, docs/errors.md and the adapter READMEs are up to date');

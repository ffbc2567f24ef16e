import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its package.json (one directory above both src/ and dist/),
 * so plugins can be checked against the core that actually loaded them.
 */
export const CORE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

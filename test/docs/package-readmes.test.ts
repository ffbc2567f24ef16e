import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAdapterOptions } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { adapterPackages } from '../../scripts/adapter-packages.mjs';

const root = join(import.meta.dirname, '../..');

describe('adapter package READMEs', async () => {
  const packages = await adapterPackages();

  it.each(packages.map((p) => [p.dir, p] as const))(
    '%s documents the options its adapter checks (npm run docs regenerates them)',
    (dir, { adapter, spec }) => {
      expect(adapter.options).toBe(spec);
      const readme = readFileSync(join(root, dir, 'README.md'), 'utf8');
      expect(readme).toContain(`<!-- options:start -->\n${renderAdapterOptions(spec)}<!-- options:end -->`);
      for (const key of Object.keys(spec.options)) expect(readme).toContain(`| \`${key}\` |`);
    },
  );

  it('every package has a README that npm will ship', () => {
    for (const name of [
      'core',
      'plugin-kit',
      'plugin-logs',
      'plugin-metrics',
      'plugin-traces',
      'adapter-testing',
    ]) {
      const readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8');
      expect(readme.startsWith(`# @lakerunner/${name}\n`), name).toBe(true);
    }
    for (const { dir } of packages) {
      const name = dir.replace('packages/', '');
      expect(readFileSync(join(root, dir, 'README.md'), 'utf8').startsWith(`# @lakerunner/${name}\n`)).toBe(
        true,
      );
    }
  });
});

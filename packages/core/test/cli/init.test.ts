import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { cli } from './run.js';

describe('lakerunner init', () => {
  it('writes a lakerunner.yaml that loads as exactly the embedded default, and will not overwrite it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lakerunner-init-'));
    const first = await cli(['init'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('next: lakerunner topics sync, then lakerunner run --all');
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.file).toBe(join(cwd, 'lakerunner.yaml'));
    expect(loaded.config).toEqual(configSchema.parse({}));
    // Commented for a reader, not only for the parser.
    expect(readFileSync(join(cwd, 'lakerunner.yaml'), 'utf8')).toMatch(/# .*docs\/configuration\.md/);

    const again = await cli(['init'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'error LR_CONFIG_EXISTS: lakerunner.yaml exists; pass --force to overwrite it',
    );
    expect((await cli(['init', '--force'], { cwd })).code).toBe(0);
    expect((await cli(['init', '--file', 'other.yaml'], { cwd })).code).toBe(0);
    expect((await loadConfig({ cwd, env: {}, file: 'other.yaml' })).config).toEqual(configSchema.parse({}));
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakerunnerError } from '../../src/errors.js';
import { loadSignalPlugins } from '../../src/plugin/load.js';
import { registerSignalPlugins } from '../../src/plugin/register.js';
import { defineSignalPlugin, type SignalPluginDeclaration } from '../../src/plugin/signal-plugin.js';
import { logs, metrics, traces } from '../fixtures.js';

const plugin = (overrides: Partial<SignalPluginDeclaration>) =>
  defineSignalPlugin({
    name: 'p',
    signal: 'events',
    core: '*',
    stages: { ingest: { feeds: ['compact'] }, compact: { feeds: [] } },
    ...overrides,
  });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    return (err as LakerunnerError).code;
  }
  return undefined;
}

describe('registerSignalPlugins', () => {
  it('accepts the official signals in order', () => {
    expect(registerSignalPlugins([logs, metrics, traces]).map((p) => p.signal)).toEqual([
      'logs',
      'metrics',
      'traces',
    ]);
  });

  it('rejects two plugins for one signal, naming both', () => {
    expect(() => registerSignalPlugins([logs, plugin({ name: 'other', signal: 'logs' })])).toThrow(
      'signal "logs" is declared by both test-logs and other',
    );
  });

  it('requires the ingest and compact stages', () => {
    expect(codeOf(() => registerSignalPlugins([plugin({ stages: { ingest: { feeds: [] } } })]))).toBe(
      'LR_PLUGIN_MISSING_STAGE',
    );
  });

  it('rejects feeding an undeclared stage or ingest', () => {
    const unknown = plugin({ stages: { ingest: { feeds: ['rollup'] }, compact: { feeds: [] } } });
    expect(codeOf(() => registerSignalPlugins([unknown]))).toBe('LR_PLUGIN_UNKNOWN_STAGE');
    const loop = plugin({ stages: { ingest: { feeds: [] }, compact: { feeds: ['ingest'] } } });
    expect(() => registerSignalPlugins([loop])).toThrow('only pubsub feeds ingest');
  });

  it('checks the core range against the running core', () => {
    const old = plugin({ core: '^2.0.0' });
    expect(() => registerSignalPlugins([old], '1.4.0')).toThrow(
      'plugin p needs @lakerunner/core ^2.0.0, but 1.4.0 is installed',
    );
    expect(registerSignalPlugins([plugin({ core: '^1.2.0' })], '1.4.0')).toHaveLength(1);
  });

  it('rejects signal names that cannot be part of a topic name', () => {
    expect(codeOf(() => registerSignalPlugins([plugin({ signal: 'My.Events' })]))).toBe('LR_PLUGIN_INVALID');
  });
});

describe('loadSignalPlugins', () => {
  it('loads the official plugin packages by name', async () => {
    const loaded = await loadSignalPlugins(['@lakerunner/plugin-metrics'], process.cwd());
    expect(loaded.map((p) => [p.signal, Object.keys(p.stages)])).toEqual([
      ['metrics', ['ingest', 'compact', 'rollup']],
    ]);
  });

  it('loads a plugin module by path relative to the config directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-plugin-'));
    writeFileSync(
      join(dir, 'events.mjs'),
      `const p = { name: 'events', signal: 'events', core: '*', stages: { ingest: { feeds: [] }, compact: { feeds: [] } }, kind: 'lakerunner/signal-plugin' };
       export default p; export const eventsPlugin = p;`,
    );
    const [loaded] = await loadSignalPlugins(['./events.mjs'], dir);
    expect(loaded?.signal).toBe('events');
  });

  it('explains a missing package', async () => {
    await expect(loadSignalPlugins(['@acme/no-such-plugin'], process.cwd())).rejects.toThrow(
      /cannot load signal plugin "@acme\/no-such-plugin" \(install it with "npm install @acme\/no-such-plugin"/,
    );
  });

  it('rejects a module that exports no plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-plugin-'));
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;');
    await expect(loadSignalPlugins(['./empty.mjs'], dir)).rejects.toThrow(
      'module "./empty.mjs" exports no signal plugin',
    );
  });
});

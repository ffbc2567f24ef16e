import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics } from '../../packages/core/src/index.js';
import { createDirectoryWatchSource } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { collector, counterValue, type LogLine, recordingLogger, sleep, tempDir } from './support.js';

describe('storage-fs watcher: scan failures are logged, not swallowed', () => {
  it('a directory replaced by a file between listing and reading is logged with its path and error', async () => {
    const root = tempDir('fs-scan-race');
    writeFileSync(join(root, 'a.json'), '{}');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'x.json'), '{}');
    const { log, about } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const c = collector();
    let swapped = false;
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 0, log, metrics });
    await source.start(async (event) => {
      await c.onObject(event);
      // The scan announces a.json before it reads sub/ (key order), so sub/ is swapped for a
      // file after the root was listed and before sub/ is read.
      if (event.key === 'a.json' && !swapped) {
        swapped = true;
        rmSync(join(root, 'sub'), { recursive: true });
        writeFileSync(join(root, 'sub'), 'now a file');
      }
    });
    try {
      await until('the failure to be logged', () => about('sub').length > 0, 10_000, 50);
      const [line] = about('sub');
      expect(line).toMatchObject({ level: 'warn', fields: { reason: 'unreadable', code: 'ENOTDIR' } });
      expect(String(line?.fields.error)).toContain(join(root, 'sub'));
      expect(
        await counterValue(metrics.sourceSkipped, { source: 'directory-watch', reason: 'unreadable' }),
      ).toBe(1);
      // The next scans see sub as the file it now is.
      await until('sub announced as a file', () => c.keys().includes('sub'), 10_000, 50);
      expect(c.keys()).toEqual(['a.json', 'sub']);
    } finally {
      await source.stop();
    }
  });

  it('a root that stops being a directory fails the scan: logged once with the path and error, then recovers', async () => {
    const root = tempDir('fs-scan-root');
    writeFileSync(join(root, 'a.json'), '{}');
    const { log, lines } = recordingLogger();
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 0, log });
    await source.start(c.onObject);
    try {
      await until('a.json', () => c.events.length === 1, 10_000, 50);
      rmSync(root, { recursive: true });
      writeFileSync(root, 'not a directory');
      const failed = (l: LogLine) => l.level === 'error' && l.message.startsWith('directory scan failed');
      await until('the failure', () => lines.some(failed), 10_000, 50);
      await sleep(600); // several more failing rescans
      expect(lines.filter(failed)).toHaveLength(1);
      expect(lines.find(failed)?.fields).toMatchObject({ root, code: 'ENOTDIR' });
      rmSync(root);
      mkdirSync(root);
      writeFileSync(join(root, 'b.json'), '{}');
      await until('b.json', () => c.keys().includes('b.json'), 10_000, 50);
      expect(lines.some((l) => l.level === 'info' && l.message === 'directory scan recovered')).toBe(true);
    } finally {
      await source.stop();
    }
  });

  // Permission bits do not stop root, so this runs the watcher in a child process as `nobody`
  // (setpriv, util-linux), from the built packages as `npm test` builds them first.
  const FS_DIST = fileURLToPath(new URL('../../packages/storage-fs/dist/index.js', import.meta.url));
  const CORE_DIST = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
  const canDropPrivileges =
    process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 && existsSync(FS_DIST);

  it.skipIf(!canDropPrivileges)(
    'an unreadable directory or file (EACCES) is logged once, the rest announced',
    async () => {
      const base = tempDir('fs-eacces');
      const root = join(base, 'bucket');
      const stateDir = join(base, 'state');
      mkdirSync(join(root, 'open'), { recursive: true });
      mkdirSync(join(root, 'locked'));
      mkdirSync(stateDir);
      writeFileSync(join(root, 'open', 'ok.json'), '{}');
      writeFileSync(join(root, 'open', 'private.json'), '{}');
      writeFileSync(join(root, 'locked', 'x.json'), '{}');
      chmodSync(base, 0o755);
      chmodSync(stateDir, 0o777);
      chmodSync(join(root, 'locked'), 0o700);
      chmodSync(join(root, 'open', 'private.json'), 0o600);
      const probe = join(base, 'probe.mjs');
      writeFileSync(probe, PROBE);

      const result = await run('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        probe,
        FS_DIST,
        CORE_DIST,
        root,
        join(stateDir, 'delivered.json'),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as {
        events: { key: string }[];
        lines: LogLine[];
        skipped: { value: number; labels: Record<string, string> }[];
        listError?: string;
      };
      expect(out.events.map((e) => e.key)).toEqual(['open/ok.json']);
      const unreadable = out.lines.filter((l) => l.fields.reason === 'unreadable');
      expect(unreadable.map((l) => [l.level, l.fields.key, l.fields.code]).sort()).toEqual([
        ['warn', 'locked', 'EACCES'],
        ['warn', 'open/private.json', 'EACCES'],
      ]);
      expect(out.skipped).toEqual([
        { value: 2, labels: { source: 'directory-watch', reason: 'unreadable' } },
      ]);
      // A listing cannot skip what it cannot read without lying about "every object": it fails.
      expect(out.listError).toBe('LR_STORAGE_UNAVAILABLE');
    },
  );
});

/** Runs the watcher for a few scans and prints what it announced, logged and counted. */
const PROBE = `
import { pathToFileURL } from 'node:url';
const [fsDist, coreDist, root, stateFile] = process.argv.slice(2);
const { createDirectoryWatchSource, createFsStore } = await import(pathToFileURL(fsDist).href);
const { createRuntimeMetrics } = await import(pathToFileURL(coreDist).href);
const lines = [];
const at = (level) => (message, fields = {}) => lines.push({ level, message, fields });
const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
const metrics = createRuntimeMetrics();
const events = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const source = createDirectoryWatchSource({ root, stateFile, pollIntervalMs: 100, settleMs: 100, log, metrics });
await source.start(async (e) => { events.push(e); });
for (let i = 0; i < 200 && events.length === 0; i++) await sleep(50);
await sleep(800);
await source.stop();
let listError;
try { for await (const _ of createFsStore({ root }).list()) {} } catch (e) { listError = e.code; }
const skipped = (await metrics.sourceSkipped.get()).values;
process.stdout.write(JSON.stringify({ events, lines, skipped, listError }));
`;

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

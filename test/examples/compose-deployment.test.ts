import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { until } from '../support/wait.js';

const run = promisify(execFile);
const brokers = inject('kafkaBrokers');
const repo = new URL('../../', import.meta.url).pathname;
const PACKAGES = ['core', 'catalog-postgres', 'plugin-kit', 'plugin-logs', 'storage-fs'];

/**
 * examples/compose-deployment as a user gets it: the packages packed as they would be published,
 * installed into a project outside the repository (so nothing resolves through the workspace),
 * and the example run there against the test broker.
 */
describe('examples/compose-deployment from the packed packages', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('ingests a dropped file, dead-letters a corrupt one, and stops cleanly on SIGTERM', {
    timeout: 480_000,
  }, async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'lakerunner-compose-'));
    const tarballs = join(scratch, 'tarballs');
    mkdirSync(tarballs);
    await run(
      'npm',
      [
        'pack',
        '--silent',
        '--pack-destination',
        tarballs,
        ...PACKAGES.flatMap((p) => ['-w', `@lakerunner/${p}`]),
      ],
      { cwd: repo },
    );
    const packed = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
    expect(packed).toHaveLength(PACKAGES.length);
    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed.map((f) => join(tarballs, f))],
      { cwd: project, timeout: 300_000 },
    );
    copyFileSync(join(repo, 'examples/compose-deployment/compose.mjs'), join(project, 'compose.mjs'));

    let out = '';
    let err = '';
    child = spawn(process.execPath, ['compose.mjs'], {
      cwd: project,
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    await until('the example to run', () => out.includes('running ') || child?.exitCode !== null, 120_000);
    expect(out, err).toMatch(/running .*\bboxer-ingest-logs\b/);

    // Files appear whole, as an uploader's rename makes them appear.
    const drop = (name: string, body: Buffer | string) => {
      const dir = join(project, 'data/bucket/otel-raw/acme/collector-1');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(project, 'data', `.${name}`), body);
      renameSync(join(project, 'data', `.${name}`), join(dir, name));
    };
    const rows = Array.from({ length: 240 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 10, 29, 10) + i * 1000).toISOString(),
        level: 'info',
        message: `hello ${i}`,
      }),
    );
    drop('logs_hello.jsonl', `${rows.join('\n')}\n`);
    // A gzip cut short (an interrupted upload): the trailer with its checksum is missing.
    const whole = gzipSync(`${rows.join('\n')}\n`);
    drop('logs_broken.jsonl.gz', whole.subarray(0, whole.length - 12));

    await until(
      'the ingest of both files',
      () => /ingest-logs: \d+ rows/.test(out) && /dead letter from ingest-logs/.test(err),
      90_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n--- stdout\n${out}\n--- stderr\n${err.slice(-4000)}`);
    });
    expect(out).toMatch(/ingest-logs: 240 rows from [12] inputs \(acme\)/);
    expect(err).toMatch(/dead letter from ingest-logs: LR_[A-Z_]+ \S/);
    expect(out).not.toMatch(/ingest-logs: 480 rows/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('the READMEs show the example as it is', () => {
  it.each(['README.md', 'packages/core/README.md'])('%s', (readme) => {
    const text = readFileSync(join(repo, readme), 'utf8');
    const block =
      /<!-- compose-deployment:start -->\n```js\n([\s\S]*?)```\n<!-- compose-deployment:end -->/.exec(text);
    expect(block?.[1]).toBe(readFileSync(join(repo, 'examples/compose-deployment/compose.mjs'), 'utf8'));
  });
});

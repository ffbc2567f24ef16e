#!/usr/bin/env node
// bench/idle: what `lakerunner run --all` costs while nothing arrives. The embedded default
// (local directory, PGlite) with every service of every official signal, against a real broker:
// after BENCH_IDLE_WARMUP_S seconds (default 60) its CPU over the next BENCH_IDLE_S seconds
// (default 30) and its RSS. The reference, measured in the same run, is a bare Node.js process
// doing nothing; the target is at most 1% of one core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withKafkaAdmin } from '@lakerunner/core';
import { benchBroker, deleteTopics } from './broker.mjs';
import { processUsage as usage } from './proc.mjs';

const WARMUP_S = Number(process.env.BENCH_IDLE_WARMUP_S ?? 60);
const SAMPLE_S = Number(process.env.BENCH_IDLE_S ?? 30);
const TARGET_CPU = 0.01;
const cli = fileURLToPath(new URL('../packages/core/dist/cli.js', import.meta.url));
async function idleCost(child) {
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} during warm-up`);
  const before = usage(child.pid);
  const t = performance.now();
  await new Promise((r) => setTimeout(r, SAMPLE_S * 1000));
  const after = usage(child.pid);
  return { cpu: (after.cpu - before.cpu) / ((performance.now() - t) / 1000), rss: after.rss };
}

const broker = await benchBroker();
const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-idle-'));
const prefix = `bench-idle-${Date.now().toString(36)}`;
writeFileSync(
  join(work, 'lakerunner.yaml'),
  `kafka:\n  brokers: [${broker.brokers.join(', ')}]\nkafkaTopics:\n  topicPrefix: ${prefix}\n`,
);
const env = { ...process.env, LAKERUNNER_CONFIG: join(work, 'lakerunner.yaml') };
const run = (args, options = {}) => spawn(process.execPath, [cli, ...args], { cwd: work, env, ...options });
await new Promise((resolve, reject) =>
  run(['topics', 'sync'], { stdio: 'ignore' }).on('exit', (code) =>
    code === 0 ? resolve() : reject(new Error(`topics sync exited with ${code}`)),
  ),
);

let exitCode = 0;
const lake = run(['run', '--all'], { stdio: 'ignore' });
const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
try {
  console.log(`idle: run --all for ${WARMUP_S} s, then measured for ${SAMPLE_S} s`);
  const [ours, reference] = await Promise.all([idleCost(lake), idleCost(bare)]);
  const line = (label, u) =>
    console.log(
      `${label.padEnd(58)} ${(u.cpu * 100).toFixed(2).padStart(6)}% of a core ${u.rss.toFixed(0).padStart(6)} MiB RSS`,
    );
  line('(a) lakerunner run --all, idle (every service, every signal)', ours);
  line('(b) node, an empty event loop (reference)', reference);
  const verdict = ours.cpu <= TARGET_CPU ? 'meets' : 'misses';
  console.log(`    ${verdict} the target of ≤ ${TARGET_CPU * 100}% of a core`);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  bare.kill();
  lake.kill('SIGTERM');
  await new Promise((r) => lake.once('exit', r));
  await withKafkaAdmin(broker.kafka, (admin) => deleteTopics(admin, prefix)).catch(() => {});
  rmSync(work, { recursive: true, force: true });
  await broker.stop();
}
process.exit(exitCode);

#!/usr/bin/env node
// S3 + SQS emulator (moto's server mode) for development and tests: node scripts/moto.mjs start|stop|status
import { motoStatus, startMoto, stopMoto } from './services/moto.mjs';
import { runServiceCli } from './services/process.mjs';

const usage = `usage: node scripts/moto.mjs <start|stop|status> [--port N] [--json]

Runs moto's server (S3 and SQS, with bucket notifications to SQS) on 127.0.0.1 (a free port
unless --port is given). moto is installed from PyPI once, into a virtualenv under
.lakerunner/cache (needs python3 with venv). Any access key works; use region us-east-1.`;

await runServiceCli({
  name: 'moto',
  usage,
  options: { port: { type: 'string' } },
  commands: {
    start: async (values) => {
      const port = values.port === undefined ? undefined : Number(values.port);
      const moto = await startMoto({ port, log: console.error });
      return {
        human: `${moto.alreadyRunning ? 'already running' : 'started'}: moto ${moto.version} at ${moto.endpoint}`,
        data: moto,
      };
    },
    stop: async () => {
      const stopped = await stopMoto();
      return { human: stopped ? 'stopped moto' : 'no moto of ours was running', data: { stopped } };
    },
    status: async () => {
      const s = await motoStatus();
      return {
        human: s.running ? `running: ${s.endpoint} (pid ${s.pid})` : 'not running',
        data: s,
        exitCode: s.running ? 0 : 3,
      };
    },
  },
});

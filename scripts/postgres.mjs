#!/usr/bin/env node
// Throwaway PostgreSQL for development and tests: node scripts/postgres.mjs start|stop|status
import { parseArgs } from 'node:util';
import { postgresStatus, startPostgres, stopPostgres } from './services/postgres.mjs';

const usage = `usage: node scripts/postgres.mjs <start|stop|status> [--port N] [--json]

Runs a disposable PostgreSQL cluster on 127.0.0.1 (a free port unless --port is given) with a
database "lakerunner"; stop removes it. Installs the Debian postgresql package when missing
and running as root. Prints the connection URL to use as DATABASE_URL.`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error(`${err.message}\n\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const command = positionals[0];
if (values.help || !command) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const print = (human, data) => console.log(values.json ? JSON.stringify(data) : human);

try {
  if (command === 'start') {
    const port = values.port === undefined ? undefined : Number(values.port);
    const pg = await startPostgres({ port, log: (l) => console.error(l) });
    print(`${pg.alreadyRunning ? 'already running' : 'started'}: export DATABASE_URL=${pg.url}`, pg);
  } else if (command === 'stop') {
    const stopped = await stopPostgres();
    print(stopped ? 'stopped and removed the PostgreSQL cluster' : 'no PostgreSQL of ours was running', {
      stopped,
    });
  } else if (command === 'status') {
    const s = await postgresStatus();
    print(s.running ? `running: ${s.url} (pid ${s.pid})` : 'not running', s);
    process.exitCode = s.running ? 0 : 3;
  } else {
    console.error(`unknown command "${command}"\n\n${usage}`);
    process.exit(2);
  }
} catch (err) {
  console.error(`postgres ${command} failed: ${err.message}`);
  process.exit(1);
}

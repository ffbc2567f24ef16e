#!/usr/bin/env node
// Throwaway PostgreSQL for development and tests: node scripts/postgres.mjs start|stop|status
import { postgresStatus, startPostgres, stopPostgres } from './services/postgres.mjs';
import { runServiceCli } from './services/process.mjs';

const usage = `usage: node scripts/postgres.mjs <start|stop|status> [--port N] [--json]

Runs a disposable PostgreSQL cluster on 127.0.0.1 (a free port unless --port is given) with a
database "lakerunner"; stop removes it. Installs the Debian postgresql package when missing
and running as root. Prints the connection URL to use as DATABASE_URL.`;

await runServiceCli({
  name: 'postgres',
  usage,
  options: { port: { type: 'string' } },
  commands: {
    start: async (values) => {
      const port = values.port === undefined ? undefined : Number(values.port);
      const pg = await startPostgres({ port, log: console.error });
      return {
        human: `${pg.alreadyRunning ? 'already running' : 'started'}: export DATABASE_URL=${pg.url}`,
        data: pg,
      };
    },
    stop: async () => {
      const stopped = await stopPostgres();
      const human = stopped
        ? 'stopped and removed the PostgreSQL cluster'
        : 'no PostgreSQL of ours was running';
      return { human, data: { stopped } };
    },
    status: async () => {
      const s = await postgresStatus();
      return {
        human: s.running ? `running: ${s.url} (pid ${s.pid})` : 'not running',
        data: s,
        exitCode: s.running ? 0 : 3,
      };
    },
  },
});

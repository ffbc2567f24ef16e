#!/usr/bin/env node
// Azure Blob + Queue Storage emulator (Azurite) for development and tests: node scripts/azurite.mjs start|stop|status
import { azuriteStatus, startAzurite, stopAzurite } from './services/azurite.mjs';
import { runServiceCli } from './services/process.mjs';

const usage = `usage: node scripts/azurite.mjs <start|stop|status> [--blob-port N] [--queue-port N] [--json]

Runs Azurite's Blob and Queue services on 127.0.0.1 (free ports unless given), in memory. Azurite
is the npm package in the root devDependencies. Its one account is devstoreaccount1 with the
well-known key; \`start\` prints the connection string. Azurite has no Event Grid: nothing sends
blob events to a queue by itself.`;

await runServiceCli({
  name: 'azurite',
  usage,
  options: { 'blob-port': { type: 'string' }, 'queue-port': { type: 'string' } },
  commands: {
    start: async (values) => {
      const port = (v) => (v === undefined ? undefined : Number(v));
      const azurite = await startAzurite({
        blobPort: port(values['blob-port']),
        queuePort: port(values['queue-port']),
        log: console.error,
      });
      return {
        human: [
          `${azurite.alreadyRunning ? 'already running' : 'started'}: Azurite ${azurite.version}`,
          `  blob:  ${azurite.blobEndpoint}`,
          `  queue: ${azurite.queueEndpoint}`,
          `  AZURE_STORAGE_CONNECTION_STRING='${azurite.connectionString}'`,
        ].join('\n'),
        data: azurite,
      };
    },
    stop: async () => {
      const stopped = await stopAzurite();
      return { human: stopped ? 'stopped Azurite' : 'no Azurite of ours was running', data: { stopped } };
    },
    status: async () => {
      const s = await azuriteStatus();
      return {
        human: s.running
          ? `running: blob ${s.blobEndpoint}, queue ${s.queueEndpoint} (pid ${s.pid})`
          : 'not running',
        data: s,
        exitCode: s.running ? 0 : 3,
      };
    },
  },
});

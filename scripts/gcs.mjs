#!/usr/bin/env node
// GCS + Pub/Sub emulators (fake-gcs-server and pstest) for development and tests: node scripts/gcs.mjs start|stop|status
import { gcsStatus, startGcsEmulators, stopGcsEmulators } from './services/gcs.mjs';
import { runServiceCli } from './services/process.mjs';

const usage = `usage: node scripts/gcs.mjs <start|stop|status> [--port N] [--pubsub-port N] [--project ID] [--topic NAME] [--json]

Runs fake-gcs-server (the GCS JSON API) and pstest (Pub/Sub, from Google's Go client) on
127.0.0.1 (free ports unless given). fake-gcs-server publishes every bucket's finalize and delete
notifications to --topic (default gcs-events) in --project (default lakerunner-test); buckets may
also get notification configurations of their own. Both are built once with go (1.26+) from the
Go module proxy into .lakerunner/cache. No credentials are needed: point the Storage client's
apiEndpoint at the endpoint and PUBSUB_EMULATOR_HOST at the Pub/Sub host.`;

await runServiceCli({
  name: 'gcs',
  usage,
  options: {
    port: { type: 'string' },
    'pubsub-port': { type: 'string' },
    project: { type: 'string' },
    topic: { type: 'string' },
  },
  commands: {
    start: async (values) => {
      const num = (v) => (v === undefined ? undefined : Number(v));
      const gcs = await startGcsEmulators({
        port: num(values.port),
        pubsubPort: num(values['pubsub-port']),
        projectId: values.project,
        topic: values.topic,
        log: console.error,
      });
      return {
        human:
          `${gcs.alreadyRunning ? 'already running' : 'started'}: fake-gcs-server ${gcs.version} at ` +
          `${gcs.endpoint}, pstest at ${gcs.pubsubHost} (project ${gcs.projectId}, topic ${gcs.topic})`,
        data: gcs,
      };
    },
    stop: async () => {
      const stopped = await stopGcsEmulators();
      return {
        human: stopped ? 'stopped the GCS emulators' : 'no GCS emulators of ours were running',
        data: { stopped },
      };
    },
    status: async () => {
      const s = await gcsStatus();
      return {
        human: s.running
          ? `running: ${s.endpoint}, PUBSUB_EMULATOR_HOST=${s.pubsubHost} (pids ${s.pids.fakeGcs}, ${s.pids.pstest})`
          : 'not running',
        data: s,
        exitCode: s.running ? 0 : 3,
      };
    },
  },
});

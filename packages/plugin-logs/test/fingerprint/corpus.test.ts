import { describe, expect, it } from 'vitest';
import { fingerprint, messageTemplate } from '../../src/fingerprint/index.js';
import { corpusLines, goldenJson } from './golden.js';

const corpus = corpusLines();

/** A line of the corpus, so every grouping below is asserted on real output. */
function real(line: string): string {
  expect(corpus, `not in corpus.txt: ${line}`).toContain(line);
  return line;
}

function expectOneGroup(messages: readonly string[]): void {
  const templates = new Set(messages.map(messageTemplate));
  expect([...templates]).toHaveLength(1);
  expect(new Set(messages.map(fingerprint)).size).toBe(1);
}

function expectApart(a: string, b: string): void {
  expect(messageTemplate(a)).not.toBe(messageTemplate(b));
  expect(fingerprint(a)).not.toBe(fingerprint(b));
}

describe('corpus of real log lines', () => {
  it('holds enough lines from enough sources', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
  });

  it('matches the golden templates and fingerprints', async () => {
    await expect(goldenJson(corpus)).toMatchFileSnapshot('./corpus.golden.json');
  });

  it('gives every distinct template a distinct fingerprint', () => {
    const byFingerprint = new Map<bigint, string>();
    for (const line of corpus) {
      const template = messageTemplate(line);
      const seen = byFingerprint.get(fingerprint(line));
      if (seen !== undefined) expect(seen).toBe(template);
      byFingerprint.set(fingerprint(line), template);
    }
  });
});

describe('lines of one log statement share a fingerprint', () => {
  it('dpkg: the same step at different times', () => {
    expectOneGroup([
      real('2025-06-24 14:36:25 startup archives unpack'),
      real('2025-06-24 14:36:29 startup archives unpack'),
      real('2025-06-24 14:36:33 startup archives unpack'),
    ]);
  });

  it('dpkg: the same package state at another version', () => {
    expectOneGroup([
      real('2025-06-24 14:36:25 status half-configured libsystemd0:amd64 252.36-1~deb12u1'),
      real('2025-06-24 14:36:25 status half-configured libsystemd0:amd64 252.38-1~deb12u1'),
    ]);
  });

  it('dpkg: a trigger run again later', () => {
    expectOneGroup([
      real('2025-06-24 14:36:25 trigproc libc-bin:amd64 2.36-9+deb12u10 <none>'),
      real('2025-06-24 14:37:03 trigproc libc-bin:amd64 2.36-9+deb12u10 <none>'),
      real('2025-06-24 14:39:43 trigproc libc-bin:amd64 2.36-9+deb12u10 <none>'),
    ]);
  });

  it('apt: session start and end stamps (two spaces between date and time)', () => {
    expectOneGroup([real('End-Date: 2025-06-24  14:36:25'), real('End-Date: 2025-06-24  14:42:17')]);
    expectOneGroup([real('Log started: 2025-06-24  14:36:25'), real('Log started: 2025-06-24  14:36:29')]);
  });

  it('apt: a quoted name and a number', () => {
    expectOneGroup([
      real("Creating group 'systemd-journal' with GID 999."),
      real("Creating group 'systemd-network' with GID 998."),
    ]);
  });

  it('ca-certificates: a numbered file name', () => {
    expectOneGroup([real('Adding debian:Amazon_Root_CA_1.pem'), real('Adding debian:Amazon_Root_CA_2.pem')]);
  });

  it('npm: fetches of different packages, durations and URLs', () => {
    expectOneGroup([
      real('18 http fetch GET 200 https://registry.npmjs.org/fast-check 120ms (cache updated)'),
      real('26 http fetch GET 200 https://registry.npmjs.org/@opentelemetry%2fapi 11ms (cache updated)'),
      real(
        '13 http fetch GET 200 https://registry.npmjs.org/@opentelemetry%2fotlp-transformer 66ms (cache updated)',
      ),
    ]);
  });

  it('npm: cache bookkeeping with sizes', () => {
    expectOneGroup([
      real(
        '19 silly packumentCache full:https://registry.npmjs.org/fast-check set size:471988 disposed:false',
      ),
      real(
        '23 silly packumentCache full:https://registry.npmjs.org/@duckdb%2fnode-api set size:32625 disposed:false',
      ),
    ]);
  });

  it('npm: exit codes and log file names with embedded times', () => {
    expectOneGroup([real('18 verbose exit 0'), real('18 verbose exit 2')]);
    expectOneGroup([
      real('9 verbose logfile logs-max:10 dir:/var/lib/app/.npm/_logs/2026-11-29T12_23_48_545Z-'),
      real('9 verbose logfile logs-max:10 dir:/var/lib/app/.npm/_logs/2026-11-29T12_23_58_825Z-'),
    ]);
  });

  it('jtreg: totals with thousands separators', () => {
    expectOneGroup([
      real('Test results: passed: 2,625'),
      real('Test results: passed: 4,254'),
      real('Test results: passed: 467'),
    ]);
  });

  it('Kafka: the same broker line from another broker at another time', () => {
    expectOneGroup([
      real('[2026-11-29 12:17:10,694] INFO [BrokerServer id=1] Starting broker (kafka.server.BrokerServer)'),
      '[2026-12-01 03:04:05,006] INFO [BrokerServer id=12] Starting broker (kafka.server.BrokerServer)',
    ]);
  });

  it('Kafka: a node that cannot be reached, whichever node and address', () => {
    expectOneGroup([
      '[2026-11-29 12:17:12,001] WARN [Producer clientId=p-1] Connection to node 3 (/127.0.0.1:19092) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2026-11-29 12:18:40,512] WARN [Producer clientId=p-7] Connection to node 1 (/10.0.0.7:9092) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)',
    ]);
  });

  it('vitest: a coloured line and the same line without colour', () => {
    const coloured = real(
      ' \u001b[32m✓\u001b[39m \u001b[30m\u001b[42m unit \u001b[49m\u001b[39m packages/core/test/runtime/routing.test.ts \u001b[2m(\u001b[22m\u001b[2m3 tests\u001b[22m\u001b[2m)\u001b[22m\u001b[32m 4\u001b[2mms\u001b[22m\u001b[39m',
    );
    expectOneGroup([coloured, '✓  unit  packages/core/test/runtime/routing.test.ts (9 tests) 31ms']);
  });

  it('structured logs of one shape and message', () => {
    expectOneGroup([
      '{"level":"info","msg":"user 42 logged in from 10.1.2.3","ts":1795000000}',
      '{"ts":1795000123,"msg":"user 7 logged in from 10.1.2.9","level":"warn"}',
    ]);
  });
});

describe('different log statements keep different fingerprints', () => {
  it('Kafka: waiting for a step and having finished it', () => {
    expectApart(
      real(
        '[2026-11-29 12:17:11,225] INFO [BrokerServer id=1] Waiting for the broker to be unfenced (kafka.server.BrokerServer)',
      ),
      real(
        '[2026-11-29 12:17:11,262] INFO [BrokerServer id=1] Finished waiting for the broker to be unfenced (kafka.server.BrokerServer)',
      ),
    );
  });

  it('a partition going offline and coming online', () => {
    expectApart('Partition foo-1 is offline', 'Partition foo-1 is online');
  });

  it('dpkg: different package states', () => {
    expectApart(
      real('2025-06-24 14:36:25 status half-configured libsystemd0:amd64 252.36-1~deb12u1'),
      real('2025-06-24 14:36:25 status half-installed libsystemd0:amd64 252.36-1~deb12u1'),
    );
  });

  it('apt: the start and the end of a session', () => {
    expectApart(real('Log started: 2025-06-24  14:36:25'), real('Log ended: 2025-06-24  14:36:25'));
  });

  it('npm: a cache miss and a cache update', () => {
    expectApart(
      real('22 http fetch GET 200 https://registry.npmjs.org/@duckdb%2fnode-api 14ms (cache miss)'),
      real('18 http fetch GET 200 https://registry.npmjs.org/fast-check 120ms (cache updated)'),
    );
    expectApart(
      real('21 silly packumentCache full:https://registry.npmjs.org/@duckdb%2fnode-api cache-miss'),
      real('37 silly packumentCache full:https://registry.npmjs.org/@opentelemetry%2fapi cache-hit'),
    );
  });

  it('jtreg: a clean total and one with failures', () => {
    expectApart(
      real('Test results: passed: 2,625'),
      real('Test results: passed: 5,973; failed: 9; error: 4'),
    );
  });

  it('debconf: giving up on a frontend and falling back to another', () => {
    expectApart(
      real('debconf: unable to initialize frontend: Dialog'),
      real('debconf: falling back to frontend: Readline'),
    );
  });

  it('structured logs of another shape', () => {
    expectApart(
      '{"level":"info","msg":"user 42 logged in from 10.1.2.3","ts":1795000000}',
      '{"level":"info","msg":"user 42 logged in from 10.1.2.3","ts":1795000000,"trace":"a1"}',
    );
  });
});

describe('stability', () => {
  // Hard-coded once: any change to the template rules or the hash that touches these fails here.
  it.each([
    ['', -3750763034362895579n],
    [
      '[2026-11-29 12:17:10,694] INFO [BrokerServer id=1] Starting broker (kafka.server.BrokerServer)',
      -2284857140563505927n,
    ],
    ['2025-06-24 14:36:25 trigproc libc-bin:amd64 2.36-9+deb12u10 <none>', 5972761285866818300n],
    [
      '18 http fetch GET 200 https://registry.npmjs.org/fast-check 120ms (cache updated)',
      -2020707414092668943n,
    ],
    ['{"level":"info","msg":"user 42 logged in from 10.1.2.3","ts":1795000000}', 680239522821578268n],
    ['Überweisung 3 fehlgeschlagen: Konto gesperrt 🚫', 8974234008357577264n],
  ])('%j', (message, expected) => {
    expect(fingerprint(message)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_CHARS, messageTemplate } from '../../src/fingerprint/index.js';

describe('numbers', () => {
  it.each([
    ['retry 3 of 5', 'retry <NUM> of <NUM>'],
    ['took 12ms, then 3.5s, read 10KB at 200% load', 'took <NUM>, then <NUM>, read <NUM> at <NUM> load'],
    ['offset -1 delta +7 ratio -0.25', 'offset <NUM> delta <NUM> ratio <NUM>'],
    ['moved 1,234,567 rows', 'moved <NUM> rows'],
    ['epoch 1795000000123', 'epoch <NUM>'],
    ['Partition foo-1 is offline', 'Partition foo-<NUM> is offline'],
    ['[BrokerServer id=1] started', '[BrokerServer id=<NUM>] started'],
    ['[pool-1-thread-3] done', '[pool-<NUM>-thread-<NUM>] done'],
    ['partition_12 of x86_64', 'partition_<NUM> of x86_<NUM>'],
    ['node v20.20.2 and lib 2.36-9+deb12u10', 'node <NUM> and lib <NUM>-<NUM>+deb12u10'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('keeps digits that are part of a name', () => {
    expect(messageTemplate('amd64 sha256 libsystemd0 python3 ssh2')).toBe(
      'amd64 sha256 libsystemd0 python3 ssh2',
    );
  });
});

describe('hex and ids', () => {
  it.each([
    ['ptr=0x7ffd1234 flags 0XFF', 'ptr=<HEX> flags <HEX>'],
    ['trace 4bf92f3577b34da6a3ce929d0e0e4736 span a3ce929d', 'trace <HEX> span <HEX>'],
    ['request 550e8400-e29b-41d4-a716-446655440000 done', 'request <UUID> done'],
    ['REQUEST 550E8400-E29B-41D4-A716-446655440000', 'REQUEST <UUID>'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('leaves words that only look hex, and short runs', () => {
    expect(messageTemplate('deadbeef facade cafe12 added')).toBe('deadbeef facade cafe12 added');
  });

  it('treats a run of digits as a number even where it is long', () => {
    expect(messageTemplate('id 12345678901234')).toBe('id <NUM>');
  });
});

describe('addresses', () => {
  it.each([
    ['Connection to node 3 (/127.0.0.1:19092) failed', 'Connection to node <NUM> (/<IP>:<NUM>) failed'],
    ['from 192.168.1.20 port 52211.', 'from <IP> port <NUM>.'],
    ['listen [::1]:8080', 'listen [<IP>]:<NUM>'],
    ['peer fe80::1%eth0 up', 'peer <IP>%eth0 up'],
    ['peer 2001:db8::8a2e:370:7334 up', 'peer <IP> up'],
    ['peer 2001:0db8:0000:0000:0000:ff00:0042:8329 up', 'peer <IP> up'],
    ['unreachable: fe80::1: timed out', 'unreachable: <IP>: timed out'],
    ['mail to alice.smith+tag@example.co.uk failed', 'mail to <EMAIL> failed'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('does not take clock times, MAC addresses or scopes for IPv6', () => {
    expect(messageTemplate('at 12:17:10 mac 00:1a:2b:3c:4d:5e std::vector Face::add')).toBe(
      'at <TS> mac <NUM>:<NUM>:<NUM>:<NUM>:<NUM>:<NUM> std::vector Face::add',
    );
  });

  it('does not take versions, hosts without a domain or paths for e-mail addresses', () => {
    expect(messageTemplate('npm@11.19.1 root@localhost wants/getty@tty1.service')).toBe(
      'npm@<NUM> root@localhost wants/getty@tty1.service',
    );
  });
});

describe('URLs keep scheme and host; the path, query and fragment become one placeholder', () => {
  it.each([
    ['GET https://registry.npmjs.org/fast-check 200', 'GET https://registry.npmjs.org/<PATH> <NUM>'],
    ['GET https://registry.npmjs.org/ 200', 'GET https://registry.npmjs.org/<PATH> <NUM>'],
    ['GET https://api.example.com/v1/users/42?token=abc#top', 'GET https://api.example.com/<PATH>'],
    ['GET http://10.0.0.1:8080/health', 'GET http://<IP>:<NUM>/<PATH>'],
    ['GET https://user:secret@example.com/x', 'GET https://<STR>@example.com/<PATH>'],
    ['see https://example.com/a/b).', 'see https://example.com/<PATH>).'],
    [
      'cache full:https://registry.npmjs.org/@opentelemetry%2fapi hit',
      'cache full:https://registry.npmjs.org/<PATH> hit',
    ],
    ['open s3://bucket-7/key', 'open s3://bucket-<NUM>/<PATH>'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });
});

describe('dates and times', () => {
  it.each([
    ['[2026-11-29 12:17:10,607] WARN x', '[<TS>] WARN x'],
    ['at 2026-11-29T12:17:10.607Z x', 'at <TS> x'],
    ['at 2026-11-29T12:17:10.123456789+01:00 x', 'at <TS> x'],
    ['at 2026-11-29T12:17:10-0500 x', 'at <TS> x'],
    ['at 2026-11-29 12:17:10 UTC x', 'at <TS> x'],
    ['Start-Date: 2025-06-24  14:36:25', 'Start-Date: <TS>'],
    ['at 2026/11/29 12:17:10 x', 'at <TS> x'],
    ['on 2026-11-29, x', 'on <TS>, x'],
    ['Nov 29 12:17:10 host sshd[1234]: x', '<TS> host sshd[<NUM>]: x'],
    ['Dec  1 02:03:04 host cron[5]: x', '<TS> host cron[<NUM>]: x'],
    ['at Sat Nov 29 12:17:10 2026 x', 'at <TS> x'],
    ['at Sat Nov 29 12:17:10 UTC 2026 x', 'at <TS> x'],
    ['Date: Sat, 29 Nov 2026 12:17:10 GMT', 'Date: <TS>'],
    ['127.0.0.1 - - [29/Nov/2026:12:17:10 +0000] "GET / HTTP/1.1" 200', '<IP> - - [<TS>] "<STR>" <NUM>'],
    ['Start at 12:17:00', 'Start at <TS>'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('masks the month with the time, so each month is not a template of its own', () => {
    expect(messageTemplate('Jan 2 03:04:05 h x')).toBe(messageTemplate('Oct 30 23:59:59 h x'));
  });

  it('leaves month names in prose alone', () => {
    expect(messageTemplate('May I retry in Jan 2027?')).toBe('May I retry in Jan <NUM>?');
  });
});

describe('quoted values', () => {
  it.each([
    [`bootstrap source 'the binary bootstrap metadata file'.`, `bootstrap source '<STR>'.`],
    ['key "a b c" and "" too', 'key "<STR>" and "<STR>" too'],
    ['say "he said \\"hi\\"" now', 'say "<STR>" now'],
    ["don't stop, it's 'fine'", "don't stop, it's '<STR>'"],
    ['a 5" screen and a "dangling quote', 'a <NUM>" screen and a "dangling quote'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });
});

describe('common line formats', () => {
  it.each([
    [
      '2026/11/29 12:17:10 http: TLS handshake error from 10.0.0.1:52311: EOF',
      '<TS> http: TLS handshake error from <IP>:<NUM>: EOF',
    ],
    [
      'E1129 12:17:10.123456    1234 reflector.go:138] Failed to watch *v1.Pod',
      'E<TS> <NUM> reflector.go:<NUM>] Failed to watch *<NUM>.Pod',
    ],
    [
      '2026-11-29 12:17:10.123 UTC [1234] LOG:  checkpoint starting: time',
      '<TS> [<NUM>] LOG: checkpoint starting: time',
    ],
    ['INFO:root:Processed 12 items in 0.53s', 'INFO:root:Processed <NUM> items in <NUM>'],
    [
      'GC(12) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms',
      'GC(<NUM>) Pause Young (Normal) (G1 Evacuation Pause) <NUM>-><NUM>(<NUM>) <NUM>',
    ],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('masks the message of a logfmt line like a line, not as one quoted value', () => {
    expect(messageTemplate('time="2026-11-29T12:17:10Z" level=warning msg="retrying in 5s" attempt=3')).toBe(
      'time="<STR>" level=warning msg="retrying in <NUM>" attempt=<NUM>',
    );
    expect(messageTemplate(String.raw`level=info message="user \"bob\" has 3 'open' carts"`)).toBe(
      String.raw`level=info message="user \"bob\" has <NUM> '<STR>' carts"`,
    );
  });
});

describe('normalisation', () => {
  it('drops terminal colours and other escape sequences', () => {
    expect(
      messageTemplate('\u001b[32mok\u001b[39m \u001b]8;;https://x\u0007link\u001b]8;;\u0007 \u001b(Bdone'),
    ).toBe('ok link done');
  });

  it('collapses whitespace runs and trims', () => {
    expect(messageTemplate('  a \t b    c  ')).toBe('a b c');
  });

  it('keeps only the first line, so a stack trace groups by its message', () => {
    const a = 'java.lang.IllegalStateException: boom 1\n\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:20)';
    const b = 'java.lang.IllegalStateException: boom 2\r\n\tat x.Y.z(Y.java:99)';
    expect(messageTemplate(a)).toBe('java.lang.IllegalStateException: boom <NUM>');
    expect(messageTemplate(b)).toBe(messageTemplate(a));
  });

  it('skips leading blank lines', () => {
    expect(messageTemplate('\n\n  \n first 1\nsecond')).toBe('first <NUM>');
  });

  it(`looks at no more than the first ${MAX_CHARS} characters`, () => {
    const head = 'word '.repeat(MAX_CHARS / 5);
    expect(messageTemplate(`${head}tail one`)).toBe(messageTemplate(`${head}another tail`));
    expect(messageTemplate(`${head}tail`)).toBe(head.trimEnd());
  });

  it('gives an empty template to an empty or blank message', () => {
    expect(messageTemplate('')).toBe('');
    expect(messageTemplate(' \n\t ')).toBe('');
  });
});

describe('JSON messages', () => {
  it('reduce to their sorted top-level keys and the template of their message', () => {
    expect(
      messageTemplate('{"ts":1,"level":"info","message":"user 42 from 10.1.2.3","user":{"id":42}}'),
    ).toBe('json:["level","message","ts","user"] user <NUM> from <IP>');
  });

  it('take msg when there is no message, and nothing when neither is a string', () => {
    expect(messageTemplate('{"msg":"retry 3","level":"warn"}')).toBe('json:["level","msg"] retry <NUM>');
    expect(messageTemplate('{"message":7,"b":1}')).toBe('json:["b","message"]');
  });

  it('mask the message like any other (first line, escapes)', () => {
    expect(messageTemplate('{"msg":"\\u001b[31mboom 7\\u001b[0m\\n\\tat x"}')).toBe(
      'json:["msg"] boom <NUM>',
    );
  });

  it('may span lines', () => {
    expect(messageTemplate('{\n  "msg": "done 5",\n  "a": 1\n}')).toBe('json:["a","msg"] done <NUM>');
  });

  it('are only read when they are objects within the length cap', () => {
    expect(messageTemplate('{"a": 1')).toBe('{"<STR>": <NUM>');
    expect(messageTemplate('[1, 2]')).toBe('[<NUM>, <NUM>]');
    const long = `{"msg":"x","pad":"${'p'.repeat(MAX_CHARS)}"}`;
    expect(messageTemplate(long)).toMatch(/^\{"<STR>":"<STR>"/);
  });
});

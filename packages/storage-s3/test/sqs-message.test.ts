import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSqsMessage } from '../src/sqs-message.js';

/** An S3 event notification record as S3 writes it to SQS (key URL-encoded, '+' for spaces). */
const s3Record = (eventName: string, key: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
  eventTime: '2026-11-29T10:00:00.000Z',
  eventName,
  s3: {
    s3SchemaVersion: '1.0',
    bucket: { name: 'telemetry', arn: 'arn:aws:s3:::telemetry' },
    object: {
      key,
      size: 42,
      eTag: '0123456789abcdef0123456789abcdef',
      sequencer: '0055AED6DCD90281E5',
      ...extra,
    },
  },
});

const eventBridge = (detailType: string, key: string) => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': detailType,
  source: 'aws.s3',
  account: '111122223333',
  time: '2026-11-29T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::telemetry'],
  detail: {
    version: '0',
    bucket: { name: 'telemetry' },
    object: { key, size: 42, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '617f08299329d189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    reason: 'PutObject',
  },
});

describe('SQS message bodies', () => {
  it('reads an S3 notification sent to the queue directly, decoding the key', () => {
    const body = JSON.stringify({
      Records: [s3Record('ObjectCreated:Put', 'otel-raw/acme/logs+1%C3%A9.json.gz')],
    });
    expect(parseSqsMessage(body)).toEqual({
      events: [
        {
          bucket: 'telemetry',
          key: 'otel-raw/acme/logs 1é.json.gz',
          size: 42,
          version: '0123456789abcdef0123456789abcdef',
        },
      ],
      ignored: [],
    });
  });

  it('reads an S3 notification wrapped by SNS', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'a1b2',
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:telemetry',
      Message: JSON.stringify({ Records: [s3Record('ObjectCreated:CompleteMultipartUpload', 'a/b.binpb')] }),
    });
    expect(parseSqsMessage(body).events.map((e) => e.key)).toEqual(['a/b.binpb']);
  });

  it('reads an EventBridge Object Created event, whose key is not URL-encoded', () => {
    const { events } = parseSqsMessage(JSON.stringify(eventBridge('Object Created', 'a/b c+d.json')));
    expect(events).toEqual([
      { bucket: 'telemetry', key: 'a/b c+d.json', size: 42, version: 'b1946ac92492d2347c6235b4d2611184' },
    ]);
  });

  it('ingests nothing from removals, test events and other EventBridge events', () => {
    expect(parseSqsMessage(JSON.stringify({ Records: [s3Record('ObjectRemoved:Delete', 'a/b')] }))).toEqual({
      events: [],
      ignored: ['ObjectRemoved:Delete'],
    });
    const test = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-29T10:00:00Z',
      Bucket: 'telemetry',
    };
    expect(parseSqsMessage(JSON.stringify(test)).events).toEqual([]);
    expect(parseSqsMessage(JSON.stringify(eventBridge('Object Deleted', 'a/b')))).toEqual({
      events: [],
      ignored: ['Object Deleted'],
    });
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['JSON that is no event', '{"hello":1}', /not an S3 event/],
    [
      'a key with ..',
      JSON.stringify({ Records: [s3Record('ObjectCreated:Put', 'a/../../etc/passwd')] }),
      /\.\./,
    ],
    ['a key with NUL', JSON.stringify({ Records: [s3Record('ObjectCreated:Put', 'a/%00b')] }), /NUL|control/],
    ['an EventBridge key with ..', JSON.stringify(eventBridge('Object Created', '../x')), /\.\./],
    [
      'an EventBridge event without a key',
      JSON.stringify({ ...eventBridge('Object Created', 'a'), detail: {} }),
      /lacks/,
    ],
    [
      'a negative size',
      JSON.stringify({ Records: [s3Record('ObjectCreated:Put', 'a', { size: -1 })] }),
      /size/,
    ],
    ['a body over 256 KiB', 'x'.repeat(300_000), /longer than/],
  ])('rejects %s with a reason', (_, body, reason) => {
    expect(() => parseSqsMessage(body)).toThrow(reason);
  });

  it('never throws anything but a rejection, and every event it returns has a safe key (fuzzed)', () => {
    const record = fc.record({
      eventName: fc.oneof(fc.constantFrom('ObjectCreated:Put', 'ObjectRemoved:Delete'), fc.string()),
      s3: fc.record({
        bucket: fc.record({ name: fc.oneof(fc.constant('telemetry'), fc.string()) }),
        object: fc.record({
          key: fc.oneof(fc.webPath(), fc.string()),
          size: fc.oneof(fc.nat(), fc.double()),
        }),
      }),
    });
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.array(record, { maxLength: 4 }).map((Records) => JSON.stringify({ Records })),
      fc
        .record({ 'detail-type': fc.string(), key: fc.string() })
        .map((e) => JSON.stringify(eventBridge(e['detail-type'], e.key))),
    );
    fc.assert(
      fc.property(body, (b) => {
        try {
          for (const e of parseSqsMessage(b).events) {
            expect(e.key.split('/')).not.toContain('..');
            expect(e.key).not.toMatch(/[\p{Cc}]/u);
            expect(Number.isSafeInteger(e.size) && e.size >= 0).toBe(true);
          }
        } catch (err) {
          expect((err as Error).name).toBe('WebhookRejection');
        }
      }),
      { numRuns: 500 },
    );
  });
});

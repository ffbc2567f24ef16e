import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGcsNotification } from '../src/gcs-notification.js';

/**
 * A Cloud Storage notification as GCS publishes it to Pub/Sub with payloadFormat JSON_API_V1:
 * which object and what happened in the attributes, the object's resource as the data.
 */
const notification = (
  eventType: string,
  objectId: string,
  resource: Record<string, unknown> = {},
  attributes: Record<string, string> = {},
) => ({
  attributes: {
    notificationConfig: 'projects/_/buckets/telemetry/notificationConfigs/3',
    eventType,
    payloadFormat: 'JSON_API_V1',
    bucketId: 'telemetry',
    objectId,
    objectGeneration: '1764410400123456',
    eventTime: '2026-11-29T10:00:00.123456Z',
    ...attributes,
  },
  data: Buffer.from(
    JSON.stringify({
      kind: 'storage#object',
      id: `telemetry/${objectId}/1764410400123456`,
      selfLink: `https://www.googleapis.com/storage/v1/b/telemetry/o/${encodeURIComponent(objectId)}`,
      name: objectId,
      bucket: 'telemetry',
      generation: '1764410400123456',
      metageneration: '1',
      contentType: 'application/json',
      timeCreated: '2026-11-29T10:00:00.120Z',
      updated: '2026-11-29T10:00:00.120Z',
      storageClass: 'STANDARD',
      timeStorageClassUpdated: '2026-11-29T10:00:00.120Z',
      size: '42',
      md5Hash: 'XUFAKrxLKna5cZ2REBfFkg==',
      mediaLink: 'https://storage.googleapis.com/download/storage/v1/b/telemetry/o/x?alt=media',
      crc32c: 'mnG7TA==',
      etag: 'CODs0NWt/JEDEAE=',
      ...resource,
    }),
  ),
});

describe('Cloud Storage Pub/Sub notifications', () => {
  it('reads an OBJECT_FINALIZE notification: object from the attributes, size and md5 from the data', () => {
    expect(parseGcsNotification(notification('OBJECT_FINALIZE', 'otel-raw/acme/logs 1é+x.json.gz'))).toEqual({
      events: [
        {
          bucket: 'telemetry',
          key: 'otel-raw/acme/logs 1é+x.json.gz',
          size: 42,
          version: 'XUFAKrxLKna5cZ2REBfFkg==',
        },
      ],
      ignored: [],
    });
  });

  it('takes the generation as the version of a composite object, which has no md5Hash', () => {
    const composite = notification('OBJECT_FINALIZE', 'a/b.binpb', {
      md5Hash: undefined,
      componentCount: 2,
    });
    expect(parseGcsNotification(composite).events[0]?.version).toBe('1764410400123456');
  });

  it('reads a payloadFormat NONE notification as an object to look up: size 0, no version', () => {
    const bare = {
      attributes: { ...notification('OBJECT_FINALIZE', 'a/b.json').attributes, payloadFormat: 'NONE' },
    };
    expect(parseGcsNotification(bare)).toEqual({
      events: [{ bucket: 'telemetry', key: 'a/b.json', size: 0, version: '' }],
      ignored: [],
    });
  });

  it('ingests nothing from deletions, archivals and metadata updates', () => {
    // An overwrite sends OBJECT_DELETE for the old generation along with the new one's finalize.
    const overwritten = notification('OBJECT_DELETE', 'a/b.json', {}, { overwrittenByGeneration: '2' });
    expect(parseGcsNotification(overwritten)).toEqual({ events: [], ignored: ['OBJECT_DELETE'] });
    for (const type of ['OBJECT_ARCHIVE', 'OBJECT_METADATA_UPDATE']) {
      expect(parseGcsNotification(notification(type, 'a/b.json'))).toEqual({ events: [], ignored: [type] });
    }
    // A deletion of a key that would be unsafe to read is still only a deletion.
    expect(parseGcsNotification(notification('OBJECT_DELETE', '../x')).ignored).toEqual(['OBJECT_DELETE']);
  });

  it.each([
    ['a message without attributes', { data: Buffer.from('{"hello":1}') }, /no eventType/],
    ['garbage', { attributes: {}, data: Buffer.from('not json at all') }, /no eventType/],
    [
      'attributes that are no notification',
      { attributes: { eventType: 'OBJECT_FINALIZE', source: 'me' }, data: Buffer.from('{}') },
      /no eventType, bucketId and objectId/,
    ],
    ['an object name with ..', notification('OBJECT_FINALIZE', 'a/../../etc/passwd'), /\.\./],
    ['an object name with NUL', notification('OBJECT_FINALIZE', 'a/\0b'), /NUL|control character/],
    ['an object name with a control character', notification('OBJECT_FINALIZE', 'a/\u001bb'), /control/],
    ['an absolute object name', notification('OBJECT_FINALIZE', '/etc/passwd'), /absolute/],
    [
      'data that is not JSON',
      { ...notification('OBJECT_FINALIZE', 'a'), data: Buffer.from('{"kind":') },
      /not JSON/,
    ],
    [
      'data that is no object resource',
      { ...notification('OBJECT_FINALIZE', 'a'), data: Buffer.from('[1,2]') },
      /storage#object/,
    ],
    ['no data', { ...notification('OBJECT_FINALIZE', 'a'), data: Buffer.alloc(0) }, /no data/],
    [
      'a resource for another object',
      notification('OBJECT_FINALIZE', 'a/b.json', { name: 'a/c.json' }),
      /another object/,
    ],
    ['a negative size', notification('OBJECT_FINALIZE', 'a', { size: '-1' }), /size/],
    ['a fractional size', notification('OBJECT_FINALIZE', 'a', { size: 1.5 }), /size/],
    [
      'an unknown payload format',
      notification('OBJECT_FINALIZE', 'a', {}, { payloadFormat: 'XML_V2' }),
      /payloadFormat/,
    ],
    [
      'a body over 256 KiB',
      notification('OBJECT_FINALIZE', 'a', { metadata: { big: 'x'.repeat(300_000) } }),
      /longer than/,
    ],
  ])('rejects %s with a reason', (_, message, reason) => {
    expect(() => parseGcsNotification(message)).toThrow(reason);
  });

  it('never throws anything but a rejection, and every event it returns is safe (fuzzed)', () => {
    const attributes = fc.record(
      {
        eventType: fc.oneof(
          fc.constantFrom('OBJECT_FINALIZE', 'OBJECT_DELETE', 'OBJECT_ARCHIVE', 'OBJECT_METADATA_UPDATE'),
          fc.string(),
        ),
        payloadFormat: fc.oneof(fc.constantFrom('JSON_API_V1', 'NONE'), fc.string()),
        bucketId: fc.oneof(fc.constant('telemetry'), fc.string()),
        objectId: fc.oneof(fc.webPath(), fc.string(), fc.constant('a/../b')),
        objectGeneration: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String), fc.string()),
      },
      { requiredKeys: [] },
    );
    const resource = fc.record(
      {
        kind: fc.oneof(fc.constant('storage#object'), fc.string()),
        name: fc.oneof(fc.webPath(), fc.string()),
        bucket: fc.oneof(fc.constant('telemetry'), fc.string()),
        size: fc.oneof(fc.nat().map(String), fc.nat(), fc.double(), fc.string()),
        md5Hash: fc.oneof(fc.base64String(), fc.string()),
        generation: fc.oneof(fc.nat().map(String), fc.string(), fc.integer()),
      },
      { requiredKeys: [] },
    );
    const data = fc.oneof(
      fc.string(),
      fc.json(),
      resource.map((r) => JSON.stringify(r)),
      fc.constant(undefined),
    );
    const message = fc.oneof(
      fc.record({ attributes, data: data.map((d) => (d === undefined ? d : Buffer.from(d))) }),
      // Attributes and resource that agree on the object, so the deeper checks are reached.
      fc.record({ attributes, resource }).map(({ attributes: a, resource: r }) => ({
        attributes: a,
        data: Buffer.from(JSON.stringify({ ...r, name: a.objectId, bucket: a.bucketId })),
      })),
    );
    fc.assert(
      fc.property(message, (m) => {
        try {
          for (const e of parseGcsNotification(m).events) {
            expect(e.key.split('/')).not.toContain('..');
            expect(e.key).not.toMatch(/[\p{Cc}]/u);
            expect(e.key.startsWith('/')).toBe(false);
            expect(Number.isSafeInteger(e.size) && e.size >= 0).toBe(true);
            expect(typeof e.version).toBe('string');
          }
        } catch (err) {
          expect((err as Error).name).toBe('WebhookRejection');
        }
      }),
      { numRuns: 500 },
    );
  });
});

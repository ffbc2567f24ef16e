import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventGridMessage } from '../src/event-grid-message.js';

/**
 * The Microsoft.Storage.BlobCreated example of "Azure Blob Storage as an Event Grid source"
 * (learn.microsoft.com/azure/event-grid/event-schema-blob-storage), Event Grid schema, verbatim.
 * Its subject and url disagree on the container (test-container / testcontainer): the subject
 * is what names the blob.
 */
const DOCS_EVENT_GRID = `[{
  "topic": "/subscriptions/{subscription-id}/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/my-storage-account",
  "subject": "/blobServices/default/containers/test-container/blobs/new-file.txt",
  "eventType": "Microsoft.Storage.BlobCreated",
  "eventTime": "2017-06-26T18:41:00.9584103Z",
  "id": "831e1650-001e-001b-66ab-eeb76e069631",
  "data": {
    "api": "PutBlockList",
    "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
    "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
    "eTag": "\\"0x8D4BCC2E4835CD0\\"",
    "contentType": "text/plain",
    "contentLength": 524288,
    "blobType": "BlockBlob",
    "url": "https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt",
    "sequencer": "00000000000004420000000000028963",
    "storageDiagnostics": {
      "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0"
    }
  },
  "dataVersion": "",
  "metadataVersion": "1"
}]`;

/** The same page's CloudEvents 1.0 form of the example. */
const DOCS_CLOUD_EVENT = `[{
  "source": "/subscriptions/{subscription-id}/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/my-storage-account",
  "subject": "/blobServices/default/containers/test-container/blobs/new-file.txt",
  "type": "Microsoft.Storage.BlobCreated",
  "time": "2017-06-26T18:41:00.9584103Z",
  "id": "831e1650-001e-001b-66ab-eeb76e069631",
  "data": {
    "api": "PutBlockList",
    "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
    "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
    "eTag": "\\"0x8D4BCC2E4835CD0\\"",
    "contentType": "text/plain",
    "contentLength": 524288,
    "blobType": "BlockBlob",
    "url": "https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt",
    "sequencer": "00000000000004420000000000028963",
    "storageDiagnostics": {
      "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0"
    }
  },
  "specversion": "1.0"
}]`;

/** The page's BlobDeleted example, Event Grid schema. */
const DOCS_BLOB_DELETED = `[{
  "topic": "/subscriptions/{subscription-id}/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/my-storage-account",
  "subject": "/blobServices/default/containers/testcontainer/blobs/file-to-delete.txt",
  "eventType": "Microsoft.Storage.BlobDeleted",
  "eventTime": "2017-11-07T20:09:22.5674003Z",
  "id": "4c2359fe-001e-00ba-0e04-58586806d298",
  "data": {
    "api": "DeleteBlob",
    "requestId": "4c2359fe-001e-00ba-0e04-585868000000",
    "contentType": "text/plain",
    "blobType": "BlockBlob",
    "url": "https://my-storage-account.blob.core.windows.net/testcontainer/file-to-delete.txt",
    "sequencer": "0000000000000281000000000002F5CA",
    "storageDiagnostics": {
      "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0"
    }
  },
  "dataVersion": "",
  "metadataVersion": "1"
}]`;

/** The SubscriptionValidationEvent example of "Webhook event delivery" (sent to webhooks only). */
const SUBSCRIPTION_VALIDATION = `[
  {
    "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
    "topic": "/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    "subject": "",
    "data": {
      "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
      "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/estest/validate?id=512d38b6-c7b8-40c8-89fe-f46f9e9622b6&t=2018-04-26T20:30:54.4538837Z&apiVersion=2018-05-01-preview&token=1A1A1A1A"
    },
    "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
    "eventTime": "2018-01-25T22:12:19.4556811Z",
    "metadataVersion": "1",
    "dataVersion": "1"
  }
]`;

/** An event as Event Grid writes it into a Storage queue: one event, JSON, base64-encoded. */
const queued = (event: unknown) => Buffer.from(JSON.stringify(event)).toString('base64');

const blobCreated = (subject: string, extra: Record<string, unknown> = {}) => ({
  topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct',
  subject,
  eventType: 'Microsoft.Storage.BlobCreated',
  eventTime: '2026-11-29T10:00:00.0000000Z',
  id: 'e1',
  data: {
    api: 'PutBlob',
    eTag: '0x8DC0000000000AB',
    contentType: 'application/json',
    contentLength: 42,
    blobType: 'BlockBlob',
    url: 'https://acct.blob.core.windows.net/telemetry/x',
    sequencer: '0000000000000000000000000001',
    ...extra,
  },
  dataVersion: '',
  metadataVersion: '1',
});

const docsEvent = {
  bucket: 'test-container',
  key: 'new-file.txt',
  size: 524288,
  version: '0x8D4BCC2E4835CD0',
};

describe('Event Grid messages from an Azure Storage queue', () => {
  it('reads the documented BlobCreated example (Event Grid schema), plain or base64-encoded', () => {
    expect(parseEventGridMessage(DOCS_EVENT_GRID)).toEqual({ events: [docsEvent], ignored: [] });
    const base64 = Buffer.from(DOCS_EVENT_GRID).toString('base64');
    expect(parseEventGridMessage(base64)).toEqual({ events: [docsEvent], ignored: [] });
  });

  it('reads the documented CloudEvents 1.0 form', () => {
    expect(parseEventGridMessage(DOCS_CLOUD_EVENT).events).toEqual([docsEvent]);
    expect(parseEventGridMessage(Buffer.from(DOCS_CLOUD_EVENT).toString('base64')).events).toEqual([
      docsEvent,
    ]);
  });

  it('reads one event, or an array of several, and takes the blob name from the subject as it is', () => {
    const one = blobCreated('/blobServices/default/containers/telemetry/blobs/otel-raw/acme/logs 1é%20.json');
    expect(parseEventGridMessage(queued(one)).events).toEqual([
      { bucket: 'telemetry', key: 'otel-raw/acme/logs 1é%20.json', size: 42, version: '0x8DC0000000000AB' },
    ]);
    const many = [
      blobCreated('/blobServices/default/containers/telemetry/blobs/a/1.json'),
      JSON.parse(DOCS_BLOB_DELETED)[0],
      blobCreated('/blobServices/default/containers/telemetry/blobs/a/2.json'),
    ];
    expect(parseEventGridMessage(queued(many))).toEqual({
      events: [expect.objectContaining({ key: 'a/1.json' }), expect.objectContaining({ key: 'a/2.json' })],
      ignored: ['Microsoft.Storage.BlobDeleted'],
    });
  });

  it('falls back to the percent-encoded data.url when there is no subject', () => {
    const { subject: _, ...event } = blobCreated('', {
      url: 'https://acct.blob.core.windows.net/telemetry/otel-raw/a%20b/c%25d.json',
    });
    expect(parseEventGridMessage(queued(event)).events).toEqual([
      { bucket: 'telemetry', key: 'otel-raw/a b/c%d.json', size: 42, version: '0x8DC0000000000AB' },
    ]);
  });

  it('ingests nothing from removals, validation events, other types and Data Lake CreateFile', () => {
    expect(parseEventGridMessage(DOCS_BLOB_DELETED)).toEqual({
      events: [],
      ignored: ['Microsoft.Storage.BlobDeleted'],
    });
    expect(parseEventGridMessage(SUBSCRIPTION_VALIDATION)).toEqual({
      events: [],
      ignored: ['Microsoft.EventGrid.SubscriptionValidationEvent'],
    });
    // A CreateFile announces an empty file; its FlushWithClose announces the content.
    const create = blobCreated('/blobServices/default/containers/telemetry/blobs/f.json', {
      api: 'CreateFile',
      contentLength: 0,
    });
    const flush = blobCreated('/blobServices/default/containers/telemetry/blobs/f.json', {
      api: 'FlushWithClose',
    });
    expect(parseEventGridMessage(queued([create, flush]))).toEqual({
      events: [expect.objectContaining({ key: 'f.json', size: 42 })],
      ignored: ['Microsoft.Storage.BlobCreated (CreateFile)'],
    });
    expect(parseEventGridMessage(queued({ ...create, eventType: 'made up <script>' })).ignored).toEqual([
      'unnamed event',
    ]);
  });

  it.each([
    ['plain text', 'not json at all', /neither JSON nor base64/],
    ['base64 of something that is not JSON', Buffer.from('hello').toString('base64'), /not JSON/],
    ['base64 of bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'), /UTF-8/],
    ['JSON that is no event', '{"hello":1}', /no eventType or type/],
    ['an empty array', '[]', /empty array/],
    ['an array of numbers', '[1,2]', /not an object/],
    ['a BlobCreated without data', queued({ ...blobCreated('/x'), data: undefined }), /no data object/],
    [
      'a subject that names no blob',
      queued(blobCreated('/blobServices/default/containers/c')),
      /does not name a blob/,
    ],
    [
      'a blob path with ..',
      queued(blobCreated('/blobServices/default/containers/telemetry/blobs/a/../../etc/passwd')),
      /\.\./,
    ],
    [
      'a blob name with NUL',
      queued(blobCreated('/blobServices/default/containers/telemetry/blobs/a/\u0000b')),
      /control character/,
    ],
    [
      'a data.url whose name decodes to NUL',
      queued({
        ...blobCreated(''),
        subject: undefined,
        data: { url: 'https://a.blob.core.windows.net/c1x/a%00' },
      }),
      /control character/,
    ],
    [
      'an invalid container',
      queued(blobCreated('/blobServices/default/containers/Not_A_Container/blobs/a')),
      /container name/,
    ],
    [
      'a negative size',
      queued(blobCreated('/blobServices/default/containers/telemetry/blobs/a', { contentLength: -1 })),
      /contentLength/,
    ],
    [
      'a huge eTag',
      queued(blobCreated('/blobServices/default/containers/telemetry/blobs/a', { eTag: 'e'.repeat(2000) })),
      /eTag/,
    ],
    [
      'a body over 64 KiB',
      queued(blobCreated(`/blobServices/default/containers/t/blobs/${'x'.repeat(70_000)}`)),
      /longer than/,
    ],
  ])('rejects %s with a reason', (_, body, reason) => {
    expect(() => parseEventGridMessage(body)).toThrow(reason);
  });

  it('never throws anything but a rejection, and every event it returns has a safe key (fuzzed)', () => {
    const event = fc.record({
      eventType: fc.oneof(
        fc.constantFrom('Microsoft.Storage.BlobCreated', 'Microsoft.Storage.BlobDeleted'),
        fc.string(),
      ),
      subject: fc.oneof(
        fc
          .oneof(fc.webPath(), fc.string())
          .map((p) => `/blobServices/default/containers/telemetry/blobs/${p}`),
        fc.string(),
      ),
      data: fc.record({
        api: fc.constantFrom('PutBlob', 'PutBlockList', 'CreateFile', 'FlushWithClose'),
        contentLength: fc.oneof(fc.nat(), fc.double(), fc.string()),
        eTag: fc.oneof(fc.string(), fc.nat()),
        url: fc.oneof(fc.webUrl(), fc.string()),
      }),
    });
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.base64String(),
      event.map((e) => JSON.stringify(e)),
      event.map(queued),
      fc.array(event, { maxLength: 4 }).map(queued),
      fc
        .string()
        .map((s) =>
          queued({ specversion: '1.0', type: 'Microsoft.Storage.BlobCreated', subject: s, data: {} }),
        ),
    );
    fc.assert(
      fc.property(body, (b) => {
        try {
          for (const e of parseEventGridMessage(b).events) {
            expect(e.key.split('/')).not.toContain('..');
            expect(e.key).not.toMatch(/[\p{Cc}\p{Cs}]/u);
            expect(e.key.length).toBeGreaterThan(0);
            expect(Number.isSafeInteger(e.size) && e.size >= 0).toBe(true);
            expect(e.version.length).toBeGreaterThan(0);
          }
        } catch (err) {
          expect((err as Error).name).toBe('WebhookRejection');
        }
      }),
      { numRuns: 500 },
    );
  });
});

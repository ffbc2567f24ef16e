import { createHash } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createRuntimeMetrics,
  type NotificationSource,
  type ObjectEvent,
  type ObjectStore,
} from '../../packages/core/src/index.js';
import {
  azureStorageAdapter,
  createAzureBlobStore,
  createAzureQueueSource,
} from '../../packages/storage-azure/src/index.js';
import { notificationSourceConformance } from '../conformance/notification-source.js';
import { objectStoreConformance } from '../conformance/object-store.js';
import {
  announcingStore,
  type EventSchema,
  enqueueEvent,
  queueLength,
  storageEvent,
} from '../support/event-grid.js';
import { azuriteConnectionString } from '../support/stores/azure.js';
import { until } from '../support/wait.js';
import { codeOf, counterValue, recordingLogger, sleep } from './support.js';

/**
 * The Azure adapter against Azurite (Blob and Queue services, started by the test setup): the
 * object store conformance suite on a real container, and the notification source on a real
 * queue. Azurite has no Event Grid, so nothing links the two by itself: the test backend's store
 * puts the blob in Azurite AND enqueues the event Event Grid would deliver for it — the
 * documented Microsoft.Storage.BlobCreated payload ("Azure Blob Storage as an Event Grid
 * source", Event Grid schema) filled in with the blob's real name, ETag and length, one event
 * per message, base64-encoded as Event Grid writes it into a Storage queue — and a BlobDeleted
 * on delete. The blob, the queue, receiving, visibility, deleting and the head lookups are real;
 * the event's delivery is the documented payload.
 */
const azurite = inject('azurite');
const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
const blobService = new BlobServiceClient(azurite.blobEndpoint, credential);
const queueService = new QueueServiceClient(azurite.queueEndpoint, credential);
let names = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++names}`;
/** A container and a queue, and a store that announces its puts and deletes on the queue. */
async function containerWithQueue() {
  const container = unique('lake');
  const containerClient = blobService.getContainerClient(container);
  await containerClient.create();
  const queue = queueService.getQueueClient(unique('events'));
  await queue.create();
  const store = createAzureBlobStore({ containerClient });
  const properties = (key: string) => containerClient.getBlockBlobClient(key).getProperties();
  const event = (
    type: Parameters<typeof storageEvent>[0],
    key: string,
    blob?: Parameters<typeof storageEvent>[4],
    schema?: EventSchema,
    inContainer = container,
  ) => storageEvent(type, azurite.accountName, inContainer, key, blob, schema);
  const makeSource = (extra: Partial<Parameters<typeof createAzureQueueSource>[0]> = {}) =>
    createAzureQueueSource({
      queueClient: queueService.getQueueClient(queue.name),
      store,
      pollIntervalMs: 200,
      visibilityTimeoutSeconds: 10,
      ...extra,
    });
  return {
    container,
    queue,
    store,
    announcing: announcingStore(store, queue, azurite.accountName, properties),
    properties,
    event,
    send: (payload: unknown) => enqueueEvent(queue, payload),
    makeSource,
  };
}

const pending = (env: { queue: QueueClient }) => queueLength(env.queue);

objectStoreConformance('storage-azure (Azurite)', async () => {
  const container = unique('conformance');
  await blobService.getContainerClient(container).create();
  // Small listing pages, so 1100 objects take several.
  return createAzureBlobStore({ serviceClient: blobService, container, listPageSize: 400 });
});

notificationSourceConformance(
  'storage-azure queue source (Azurite, documented Event Grid payloads)',
  async () => {
    const env = await containerWithQueue();
    return {
      store: env.announcing,
      makeSource: () => env.makeSource(),
      sendGarbage: async () => {
        await env.queue.sendMessage('not json at all');
      },
    };
  },
);

describe('storage-azure: object store specifics (Azurite)', () => {
  let container: string;
  let store: ObjectStore;
  beforeAll(async () => {
    container = unique('specifics');
    await blobService.getContainerClient(container).create();
    store = createAzureBlobStore({ serviceClient: blobService, container });
  });

  it('the version is the MD5 of the bytes, however they were uploaded (one request or blocks)', async () => {
    const bytes = Buffer.concat(Array.from({ length: 7 }, (_, i) => Buffer.alloc(512 * 1024, i)));
    const md5 = createHash('md5').update(bytes).digest('hex');
    const whole = await store.put('md5/whole.bin', bytes);
    expect(whole.version).toBe(md5);
    // 1 MiB blocks: the 3.5 MiB stream is staged in four blocks and committed with its MD5.
    const blocks = createAzureBlobStore({
      serviceClient: blobService,
      container,
      blockSizeBytes: 1024 * 1024,
    });
    const chunks = Array.from({ length: 14 }, (_, i) => bytes.subarray(i * 262_144, (i + 1) * 262_144));
    const streamed = await blocks.put('md5/blocks.bin', Readable.from(chunks));
    expect(streamed).toMatchObject({ size: bytes.length, version: md5 });
    const blockList = await blobService
      .getContainerClient(container)
      .getBlockBlobClient('md5/blocks.bin')
      .getBlockList('committed');
    expect(blockList.committedBlocks?.length).toBe(4);
    expect(await blocks.head('md5/blocks.bin')).toMatchObject({ size: bytes.length, version: md5 });
    expect((await blocks.getBytes('md5/blocks.bin')).equals(bytes)).toBe(true);
    // A conditional commit of blocks refuses an existing blob too.
    expect(await codeOf(blocks.put('md5/blocks.bin', Readable.from(chunks), { ifNoneMatch: true }))).toBe(
      'LR_STORAGE_PRECONDITION',
    );
  });

  it('falls back to the ETag for a blob another writer stored without an MD5', async () => {
    const blob = blobService.getContainerClient(container).getBlockBlobClient('no-md5.bin');
    const id = Buffer.from('block-0').toString('base64');
    await blob.stageBlock(id, Buffer.from('abc'), 3);
    const out = await blob.commitBlockList([id]);
    expect(await store.head('no-md5.bin')).toMatchObject({ size: 3, version: out.etag?.replace(/"/g, '') });
  });

  it('keeps keys with spaces, percent signs, ? and # and non-ASCII as they are', async () => {
    const keys = ['odd/a b.json', 'odd/100%.json', 'odd/a%20b.json', 'odd/q?x#y.json', 'odd/é漢.json'];
    for (const key of keys) await store.put(key, Buffer.from(key));
    for (const key of keys) expect((await store.getBytes(key)).toString()).toBe(key);
    const listed: string[] = [];
    for await (const o of store.list('odd/')) listed.push(o.key);
    expect(listed.sort()).toEqual([...keys].sort());
  });

  it('a missing container or refused credentials are retried until fixed, never missing objects', async () => {
    const gone = createAzureBlobStore({ serviceClient: blobService, container: unique('missing') });
    for (const op of [
      () => gone.head('a'),
      () => gone.getBytes('a'),
      () => gone.put('a', Buffer.from('x')),
      () => gone.delete('a'),
    ]) {
      await expect(op()).rejects.toMatchObject({ code: 'LR_STORAGE_UNAVAILABLE', retriable: true });
    }
    await expect(
      (async () => {
        for await (const _ of gone.list('')) break;
      })(),
    ).rejects.toMatchObject({ code: 'LR_STORAGE_UNAVAILABLE', retriable: true });
    const wrongKey = new StorageSharedKeyCredential(
      azurite.accountName,
      Buffer.from('wrong').toString('base64'),
    );
    const refused = createAzureBlobStore({
      serviceClient: new BlobServiceClient(azurite.blobEndpoint, wrongKey),
      container,
    });
    await expect(refused.head('a')).rejects.toMatchObject({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
    await expect(refused.put('a', Buffer.from('x'))).rejects.toMatchObject({ retriable: true });
  });

  it('an unreachable endpoint is a retriable error', async () => {
    const nowhere = createAzureBlobStore({
      serviceClient: new BlobServiceClient(`http://127.0.0.1:1/${azurite.accountName}`, credential, {
        retryOptions: { maxTries: 1 },
      }),
      container,
    });
    await expect(nowhere.head('a')).rejects.toMatchObject({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
  });

  it('a store that accepts connections but never answers fails as a retriable outage, as does its queue', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/${azurite.accountName}`;
    try {
      const stuck = createAzureBlobStore({
        serviceClient: new BlobServiceClient(url, credential),
        container,
        requestTimeoutMs: 500,
      });
      const started = Date.now();
      for (const op of [
        () => stuck.head('a'),
        () => stuck.getBytes('a'),
        () => stuck.put('a', Buffer.from('x')),
        () => stuck.delete('a'),
        async () => {
          for await (const _ of stuck.list('')) break;
        },
      ]) {
        await expect(op()).rejects.toMatchObject({
          code: 'LR_STORAGE_UNAVAILABLE',
          retriable: true,
          message: expect.stringMatching(/no answer within 500 ms/),
        });
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      const { log, lines } = recordingLogger();
      const source = createAzureQueueSource({
        queueClient: new QueueServiceClient(url, credential).getQueueClient('events'),
        requestTimeoutMs: 500,
        log,
      });
      await source.start(async () => {});
      await until(
        'a failed receive',
        () => lines.some((l) => l.message === 'queue receive failed; retrying'),
        10_000,
      );
      await source.stop();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('storage-azure: queue notifications (Azurite, documented Event Grid payloads)', () => {
  let env: Awaited<ReturnType<typeof containerWithQueue>>;
  let source: NotificationSource | undefined;
  const events: ObjectEvent[] = [];
  const metrics = createRuntimeMetrics();
  const keys = () => events.map((e) => e.key);
  const start = async () => {
    source = env.makeSource({ metrics });
    await source.start(async (event) => {
      events.push(event);
    });
  };

  beforeAll(async () => {
    env = await containerWithQueue();
    await start();
  });
  afterAll(async () => {
    await source?.stop();
  });

  it('announces a created object with its size and the version the store reports, then deletes the message', async () => {
    const put = await env.announcing.put('otel-raw/acme/logs 1é.json', Buffer.from('{"a":1}\n'));
    await until('the event', () => keys().includes('otel-raw/acme/logs 1é.json'), 20_000);
    // The event carried the blob's ETag; the version is the store's (the MD5 of the bytes).
    expect(events.find((e) => e.key === 'otel-raw/acme/logs 1é.json')).toEqual({
      bucket: env.container,
      key: 'otel-raw/acme/logs 1é.json',
      size: 8,
      version: put.version,
    });
    await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
  });

  it('reads the CloudEvents schema, and arrays of events in one message', async () => {
    await env.store.put('otel-raw/acme/ce.json', Buffer.from('{}\n'));
    await env.store.put('otel-raw/acme/arr-1.json', Buffer.from('{"n":1}\n'));
    await env.store.put('otel-raw/acme/arr-2.json', Buffer.from('{"n":2}\n'));
    const created = async (key: string, schema?: EventSchema) =>
      env.event('Microsoft.Storage.BlobCreated', key, await env.properties(key), schema);
    await env.send(await created('otel-raw/acme/ce.json', 'cloud-events'));
    await env.send([
      await created('otel-raw/acme/arr-1.json'),
      env.event('Microsoft.Storage.BlobDeleted', 'otel-raw/acme/other.json'),
      await created('otel-raw/acme/arr-2.json'),
    ]);
    await until(
      'the three objects',
      () => ['ce', 'arr-1', 'arr-2'].every((n) => keys().includes(`otel-raw/acme/${n}.json`)),
      20_000,
    );
    await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
    expect(
      await counterValue(metrics.sourceSkipped, { source: 'azure-queue', reason: 'not a create event' }),
    ).toBe(1);
  });

  it('ingests nothing from events for another container', async () => {
    const before = events.length;
    await env.send(
      env.event(
        'Microsoft.Storage.BlobCreated',
        'x.json',
        { etag: '"0x1"', contentLength: 1 },
        undefined,
        'someone-elses',
      ),
    );
    // A marker after it: once that is announced, the other was handled.
    await env.announcing.put('otel-raw/acme/marker.json', Buffer.from('{}\n'));
    await until('the marker', () => keys().includes('otel-raw/acme/marker.json'), 20_000);
    await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
    expect(events.slice(before).map((e) => e.key)).toEqual(['otel-raw/acme/marker.json']);
    expect(
      await counterValue(metrics.sourceSkipped, { source: 'azure-queue', reason: 'unknown bucket' }),
    ).toBe(1);
  });

  it('an object deleted before its event is read is skipped', async () => {
    await source?.stop();
    await env.announcing.put('otel-raw/acme/gone.json', Buffer.from('{}\n'));
    await env.announcing.delete('otel-raw/acme/gone.json');
    await env.announcing.put('otel-raw/acme/after-gone.json', Buffer.from('{}\n'));
    await start();
    await until('the later object', () => keys().includes('otel-raw/acme/after-gone.json'), 20_000);
    await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
    expect(keys()).not.toContain('otel-raw/acme/gone.json');
    expect(await counterValue(metrics.sourceSkipped, { source: 'azure-queue', reason: 'object gone' })).toBe(
      1,
    );
  });

  it('an identical re-upload is announced with the same version, a changed one with another', async () => {
    const key = 'otel-raw/acme/same.json';
    const announced = async (n: number) => {
      await until(`event ${n} of ${key}`, () => keys().filter((k) => k === key).length === n, 20_000);
      return events.filter((e) => e.key === key).at(-1)?.version;
    };
    const first = await env.announcing.put(key, Buffer.from('{"same":1}\n'));
    expect(await announced(1)).toBe(first.version);
    await env.announcing.put(key, Buffer.from('{"same":1}\n'));
    expect(await announced(2)).toBe(first.version);
    const changed = await env.announcing.put(key, Buffer.from('{"same":2}\n'));
    expect(changed.version).not.toBe(first.version);
    expect(await announced(3)).toBe(changed.version);
  });
});

describe('storage-azure: a slow hand-over (Azurite)', () => {
  it('keeps its message invisible past the visibility timeout, so a second reader never sends it too', async () => {
    const env = await containerWithQueue();
    const delivered: string[] = [];
    // Each visibility extension replaces the message's pop receipt; the delete must use the last.
    const slow = env.makeSource({ visibilityTimeoutSeconds: 2 });
    const other = env.makeSource({ visibilityTimeoutSeconds: 2 });
    const onObject = async (e: ObjectEvent) => {
      await sleep(5000);
      delivered.push(e.key);
    };
    await slow.start(onObject);
    try {
      await env.announcing.put('otel-raw/acme/slow.json', Buffer.from('{}\n'));
      await sleep(500);
      await other.start(onObject);
      await until('the delivery', () => delivered.length > 0, 20_000);
      await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
      await sleep(1000);
      expect(delivered).toEqual(['otel-raw/acme/slow.json']);
    } finally {
      await Promise.all([slow.stop(), other.stop()]);
    }
  });
});

describe('storage-azure: a hand-over that keeps failing (Azurite)', () => {
  it('is kept past maxDequeues, logged at error level on every further failure, and delivered once it succeeds', async () => {
    const env = await containerWithQueue();
    const { log, lines } = recordingLogger();
    let failures = 0;
    const delivered: string[] = [];
    const source = env.makeSource({ maxDequeues: 1, log });
    await source.start(async (e) => {
      if (failures < 2) {
        failures++;
        throw new Error('Kafka is down (test)');
      }
      delivered.push(e.key);
    });
    try {
      await env.announcing.put('otel-raw/acme/stubborn.json', Buffer.from('{}\n'));
      await until('the delivery after two failures', () => delivered.length > 0, 30_000);
      expect(delivered).toEqual(['otel-raw/acme/stubborn.json']);
      const failed = lines.filter((l) => l.fields.dequeueCount !== undefined);
      expect(failed.map((l) => [l.level, l.fields.dequeueCount])).toEqual([
        ['warn', 1],
        ['error', 2],
      ]);
      await until('an empty queue', async () => (await pending(env)) === 0, 20_000);
    } finally {
      await source.stop();
    }
  });

  it('a store that refuses the lookup for good (a missing container) leaves the message in the queue', async () => {
    const env = await containerWithQueue();
    const { log, lines } = recordingLogger();
    const missing = unique('missing');
    const source = createAzureQueueSource({
      queueClient: env.queue,
      store: createAzureBlobStore({ serviceClient: blobService, container: missing }),
      pollIntervalMs: 200,
      visibilityTimeoutSeconds: 10,
      log,
    });
    await env.send(
      env.event(
        'Microsoft.Storage.BlobCreated',
        'a.json',
        { etag: '"0x1"', contentLength: 1 },
        undefined,
        missing,
      ),
    );
    await source.start(async () => {
      throw new Error('not reached');
    });
    try {
      await until('two failed attempts', () => lines.filter((l) => l.level === 'warn').length >= 2, 30_000);
    } finally {
      await source.stop();
    }
    expect(lines.filter((l) => l.level === 'warn')[0]?.fields.error).toMatch(/ContainerNotFound/);
    expect(await pending(env)).toBe(1);
  });
});

describe('storage-azure adapter (Azurite)', () => {
  const connectionString = azuriteConnectionString(azurite);

  it('makes the store and the source from a connection string in the environment variable it names', async () => {
    const container = unique('adapter');
    await blobService.getContainerClient(container).create();
    const queueName = unique('adapter');
    await queueService.getQueueClient(queueName).create();
    process.env.LAKERUNNER_TEST_AZURE_CS = connectionString;
    try {
      const { store, sources } = await azureStorageAdapter.create({
        container,
        queueName,
        connectionStringEnv: 'LAKERUNNER_TEST_AZURE_CS',
        pollIntervalMs: 200,
      });
      const put = await store.put('a/b.json', Buffer.from('{}'));
      expect(await store.head('a/b.json')).toMatchObject({ version: put.version });
      expect(sources.map((s) => s.name)).toEqual([`azure-queue:${azurite.accountName}/${queueName}`]);
      const noQueue = await azureStorageAdapter.create({
        container,
        connectionStringEnv: 'LAKERUNNER_TEST_AZURE_CS',
      });
      expect(noQueue.sources).toEqual([]);
    } finally {
      delete process.env.LAKERUNNER_TEST_AZURE_CS;
    }
  });

  it('makes them from an account URL with the key in the environment', async () => {
    const container = unique('adapter');
    await blobService.getContainerClient(container).create();
    process.env.LAKERUNNER_TEST_AZURE_KEY = azurite.accountKey;
    process.env.AZURE_STORAGE_ACCOUNT = azurite.accountName;
    try {
      const { store, sources } = await azureStorageAdapter.create({
        container,
        accountUrl: azurite.blobEndpoint,
        queueAccountUrl: azurite.queueEndpoint,
        accountKeyEnv: 'LAKERUNNER_TEST_AZURE_KEY',
        queueName: 'events',
      });
      expect((await store.put('k', Buffer.from('v'))).size).toBe(1);
      expect(sources).toHaveLength(1);
    } finally {
      delete process.env.LAKERUNNER_TEST_AZURE_KEY;
      delete process.env.AZURE_STORAGE_ACCOUNT;
    }
  });

  it.each([
    [{}, /storage\.options\.container: the container name is required/],
    [{ container: 'Bad_Name' }, /storage\.options\.container: expected a container name/],
    [{ container: 'lake', bucket: 'x' }, /storage\.options\.bucket: unknown option/],
    [
      { container: 'lake', connectionStringEnv: 'LAKERUNNER_TEST_UNSET' },
      /set LAKERUNNER_TEST_UNSET to the storage account's connection string/,
    ],
    [
      {
        container: 'lake',
        accountUrl: 'https://acct.blob.core.windows.net',
        accountKeyEnv: 'LAKERUNNER_TEST_UNSET',
      },
      /set LAKERUNNER_TEST_UNSET to the key of storage account acct/,
    ],
    [
      { container: 'lake', visibilityTimeoutSeconds: 5 },
      /visibilityTimeoutSeconds: expected a whole number of seconds from 10/,
    ],
  ])('refuses %j', async (options, message) => {
    // As a config file's untyped options would arrive.
    await expect(azureStorageAdapter.create(options as never)).rejects.toMatchObject({
      code: 'LR_CONFIG_INVALID',
      message: expect.stringMatching(message),
    });
  });

  it('never needs a secret in the options: a missing connection string says which variable to set', async () => {
    const saved = process.env.AZURE_STORAGE_CONNECTION_STRING;
    delete process.env.AZURE_STORAGE_CONNECTION_STRING;
    try {
      await expect(azureStorageAdapter.create({ container: 'lake' })).rejects.toThrow(
        /AZURE_STORAGE_CONNECTION_STRING/,
      );
    } finally {
      if (saved !== undefined) process.env.AZURE_STORAGE_CONNECTION_STRING = saved;
    }
  });

  it('waits between polls of an empty queue instead of spinning', async () => {
    const env = await containerWithQueue();
    let receives = 0;
    const queueClient = queueService.getQueueClient(env.queue.name);
    const receive = queueClient.receiveMessages.bind(queueClient);
    queueClient.receiveMessages = (options) => {
      receives++;
      return receive(options);
    };
    const source = createAzureQueueSource({ queueClient, pollIntervalMs: 500 });
    await source.start(async () => {});
    await sleep(1600);
    await source.stop();
    expect(receives).toBeGreaterThanOrEqual(2);
    expect(receives).toBeLessThanOrEqual(5);
  });
});

/**
 * The same contract against real Azure Blob Storage when the environment names a container to use:
 * LAKERUNNER_TEST_AZURE_CONTAINER with AZURE_STORAGE_CONNECTION_STRING.
 */
const realContainer = process.env.LAKERUNNER_TEST_AZURE_CONTAINER;
const realConnection = process.env.AZURE_STORAGE_CONNECTION_STRING;
if (realContainer && realConnection) {
  objectStoreConformance(`storage-azure (container ${realContainer})`, async () =>
    createAzureBlobStore({
      serviceClient: BlobServiceClient.fromConnectionString(realConnection),
      container: realContainer,
    }),
  );
} else {
  describe.skip('storage-azure on real Azure: set LAKERUNNER_TEST_AZURE_CONTAINER and AZURE_STORAGE_CONNECTION_STRING to run', () => {
    it('object store conformance', () => {});
  });
}

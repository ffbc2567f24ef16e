import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobServiceClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import {
  LakerunnerError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  readAll,
  validateObjectKey,
} from '@lakerunner/core';
import { isAlreadyExists, isBlobNotFound, storageError, withDeadline } from './errors.js';

export type AzureBlobStoreOptions = (
  | { containerClient: ContainerClient }
  | { serviceClient: BlobServiceClient; container: string }
) & {
  /**
   * Objects up to this size are uploaded in one request (Put Blob), larger ones as blocks of
   * this size (default 64 MiB, at most 256 MiB). A stream is held in memory up to this size
   * before it is known which. Either way the blob's Content-MD5 is the MD5 of all its bytes,
   * so the version does not depend on how it was uploaded.
   */
  blockSizeBytes?: number;
  /** Blobs per listing request (default and Azure's maximum: 5000). */
  listPageSize?: number;
  /**
   * How long one request may wait for its answer, the SDK's retries included (default 120 s);
   * then it fails as a retriable outage. A block of `blockSizeBytes` must upload within it.
   */
  requestTimeoutMs?: number;
};

const MiB = 1024 * 1024;

/**
 * An Azure Blob Storage container as the object store. The version of an object is the hex MD5
 * of its bytes (the blob's Content-MD5, which every put sets), or its ETag for a blob some other
 * writer stored without one.
 */
export function createAzureBlobStore(options: AzureBlobStoreOptions): ObjectStore {
  const container =
    'containerClient' in options
      ? options.containerClient
      : options.serviceClient.getContainerClient(options.container);
  const bucket = container.containerName;
  const blockSize = Math.min(256 * MiB, Math.max(MiB, options.blockSizeBytes ?? 64 * MiB));
  const pageSize = options.listPageSize ?? 5000;
  const timeout = options.requestTimeoutMs ?? 120_000;
  const timed = <T>(what: string, run: (abortSignal: AbortSignal) => Promise<T>) =>
    withDeadline(timeout, `${what} (container ${bucket})`, run);

  /**
   * Uploads `chunks` hashing them as they pass: in one request when they fit in a block, else
   * as staged blocks committed in one list. Block IDs are unique per upload, so two writers of
   * one key never commit each other's blocks: the last commit wins whole. Blocks staged by a
   * failed or refused upload are never committed; Azure discards them within a week.
   */
  async function upload(
    blob: BlockBlobClient,
    chunks: AsyncIterable<unknown> | Iterable<unknown>,
    put: PutOptions,
  ): Promise<{ md5: Buffer; size: number; lastModified?: Date }> {
    const hash = createHash('md5');
    const uploadId = randomUUID();
    const blockIds: string[] = [];
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    /** The first `n` pending bytes, copied only when they span chunks. */
    const take = (n: number): Buffer => {
      const parts: Buffer[] = [];
      for (let need = n; need > 0; ) {
        const head = pending[0] as Buffer;
        if (head.length <= need) {
          parts.push(head);
          pending.shift();
          need -= head.length;
        } else {
          parts.push(head.subarray(0, need));
          pending[0] = head.subarray(need);
          need = 0;
        }
      }
      pendingBytes -= n;
      return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    };
    let size = 0;
    const stage = async (block: Buffer) => {
      // IDs are base64 of equal-length strings, as Azure requires within one blob.
      const id = Buffer.from(`${uploadId}-${String(blockIds.length).padStart(6, '0')}`).toString('base64');
      await timed(`PUT ${blob.name} (block ${blockIds.length})`, (abortSignal) =>
        blob.stageBlock(id, block, block.length, { abortSignal }),
      );
      blockIds.push(id);
    };
    for await (const raw of chunks) {
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as string);
      hash.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Strictly more than a block: an object of exactly one block still goes in one request.
      while (pendingBytes > blockSize) await stage(take(blockSize));
    }
    const md5 = hash.digest();
    const headers = { blobContentMD5: md5, blobContentType: put.contentType };
    const conditions = put.ifNoneMatch ? { ifNoneMatch: '*' } : undefined;
    const rest = take(pendingBytes);
    if (blockIds.length === 0) {
      const out = await timed(`PUT ${blob.name}`, (abortSignal) =>
        blob.upload(rest, rest.length, { blobHTTPHeaders: headers, conditions, abortSignal }),
      );
      return { md5, size, lastModified: out.lastModified };
    }
    if (rest.length > 0) await stage(rest);
    // Put Block List stores the MD5 given here as the blob's Content-MD5 (each block's bytes
    // were checked as it was staged).
    const out = await timed(`PUT ${blob.name} (commit)`, (abortSignal) =>
      blob.commitBlockList(blockIds, { blobHTTPHeaders: headers, conditions, abortSignal }),
    );
    return { md5, size, lastModified: out.lastModified };
  }

  const versionOf = (md5: Uint8Array | undefined, etag: string | undefined) =>
    md5 && md5.length > 0 ? Buffer.from(md5).toString('hex') : (etag ?? '').replace(/^"|"$/g, '');

  return {
    bucket,

    async get(key) {
      validateObjectKey(key);
      // The deadline covers the answer, not the body: a large object may take longer to read.
      const answered = new AbortController();
      const timer = setTimeout(() => answered.abort(), timeout);
      try {
        const out = await container.getBlockBlobClient(key).download(0, undefined, {
          abortSignal: answered.signal,
        });
        // In Node the body is a stream that resumes a broken download where it stopped, pinned
        // to the ETag it started with, so a concurrent replacement cannot mix two versions.
        return out.readableStreamBody as Readable;
      } catch (err) {
        if (isBlobNotFound(err))
          throw new LakerunnerError('LR_STORAGE_NOT_FOUND', `object ${key} does not exist`);
        if (answered.signal.aborted) {
          throw new LakerunnerError(
            'LR_STORAGE_UNAVAILABLE',
            `GET ${key} (container ${bucket}) failed: no answer within ${timeout} ms`,
            { retriable: true, cause: err },
          );
        }
        throw storageError(`GET ${key} (container ${bucket})`, err);
      } finally {
        clearTimeout(timer);
      }
    },

    async getBytes(key) {
      return readAll(await this.get(key), (err) => storageError(`reading ${key} (container ${bucket})`, err));
    },

    async put(key, body, put = {}) {
      validateObjectKey(key);
      const blob = container.getBlockBlobClient(key);
      try {
        const out = await upload(blob, Buffer.isBuffer(body) ? [body] : body, put);
        return {
          key,
          size: out.size,
          version: out.md5.toString('hex'),
          modifiedAt: out.lastModified ?? new Date(),
        };
      } catch (err) {
        if (put.ifNoneMatch && isAlreadyExists(err)) {
          throw new LakerunnerError('LR_STORAGE_PRECONDITION', `object ${key} already exists`);
        }
        if (err instanceof LakerunnerError) throw err;
        throw storageError(`PUT ${key} (container ${bucket})`, err);
      }
    },

    async head(key) {
      validateObjectKey(key);
      try {
        const out = await timed(`HEAD ${key}`, (abortSignal) =>
          container.getBlockBlobClient(key).getProperties({ abortSignal }),
        );
        return {
          key,
          size: out.contentLength ?? 0,
          version: versionOf(out.contentMD5, out.etag),
          modifiedAt: out.lastModified ?? new Date(),
        };
      } catch (err) {
        // A missing container answers 404 to HEAD as well: that is configuration, not a missing object.
        if (isBlobNotFound(err)) return undefined;
        if (err instanceof LakerunnerError) throw err;
        throw storageError(`HEAD ${key} (container ${bucket})`, err);
      }
    },

    async *list(prefix = '', listOptions = {}) {
      const versions = listOptions.versions ?? true;
      let continuationToken: string | undefined;
      do {
        // One request per page, each under its own deadline.
        const page = await timed(`LIST ${prefix}`, async (abortSignal) => {
          const pages = container
            .listBlobsFlat({ prefix: prefix || undefined, abortSignal })
            .byPage({ continuationToken, maxPageSize: pageSize });
          return (await pages.next()).value;
        }).catch((err) => {
          throw err instanceof LakerunnerError
            ? err
            : storageError(`LIST ${prefix} (container ${bucket})`, err);
        });
        if (!page) return;
        // Azure lists a container's blobs in name order, one page after another.
        for (const item of page.segment.blobItems) {
          const info: ObjectInfo = {
            key: item.name,
            size: item.properties.contentLength ?? 0,
            version: versions ? versionOf(item.properties.contentMD5, item.properties.etag) : '',
            modifiedAt: item.properties.lastModified ?? new Date(),
          };
          yield info;
        }
        continuationToken = page.continuationToken || undefined;
      } while (continuationToken);
    },

    async delete(key) {
      validateObjectKey(key);
      try {
        // Snapshots go with their blob: Azure refuses to delete a blob that still has some.
        await timed(`DELETE ${key}`, (abortSignal) =>
          container.getBlockBlobClient(key).delete({ deleteSnapshots: 'include', abortSignal }),
        );
      } catch (err) {
        if (isBlobNotFound(err)) return;
        if (err instanceof LakerunnerError) throw err;
        throw storageError(`DELETE ${key} (container ${bucket})`, err);
      }
    },

    // The SDK's clients hold no connections of their own (Node's shared agent does).
    async close() {},
  };
}

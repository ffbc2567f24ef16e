import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { File, FileMetadata, Storage } from '@google-cloud/storage';
import {
  LakerunnerError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  readAll,
  validateObjectKey,
} from '@lakerunner/core';
import { isNotFound, isPreconditionFailed, objectVersion, storageError } from './errors.js';

export interface GcsStoreOptions {
  storage: Storage;
  bucket: string;
  /**
   * Streams up to this size are read into memory and uploaded in one request, larger ones in a
   * resumable upload (default 10 MiB, where Google stops recommending single-request uploads).
   * Either way GCS computes the object's MD5, so the version does not depend on it.
   */
  resumableThresholdBytes?: number;
  /**
   * An upload that makes no progress this long fails as an outage (default 60 s): the client
   * gives uploads no timeout of its own. Give the Storage client the same `timeout` for every
   * other request (the adapter does), or a silent store holds a worker forever.
   */
  requestTimeoutMs?: number;
}

const MiB = 1024 * 1024;

/** GCS writes sizes as decimal strings (int64 in JSON). */
const toSize = (size: unknown) => {
  const n = Number(size ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

function toInfo(key: string, metadata: FileMetadata, versions = true): ObjectInfo {
  return {
    key,
    size: toSize(metadata.size),
    version: versions ? objectVersion(metadata) : '',
    modifiedAt: metadata.updated ? new Date(metadata.updated) : new Date(),
  };
}

/**
 * A Google Cloud Storage bucket as the object store. The version of an object is its md5Hash,
 * as GCS's Pub/Sub notifications report it; a conditional put is `ifGenerationMatch: 0` (only
 * if no live object has the name).
 */
export function createGcsStore(options: GcsStoreOptions): ObjectStore {
  const { storage, bucket } = options;
  const gcsBucket = storage.bucket(bucket);
  const threshold = Math.max(0, options.resumableThresholdBytes ?? 10 * MiB);
  const timeoutMs = options.requestTimeoutMs ?? 60_000;

  const uploadOptions = (put: PutOptions, resumable: boolean) => ({
    resumable,
    contentType: put.contentType,
    // With a precondition the client also retries the upload itself: it cannot apply twice.
    preconditionOpts: put.ifNoneMatch ? { ifGenerationMatch: 0 } : undefined,
    // One request with the whole body (at most the threshold): it has this long to be answered.
    timeout: resumable ? undefined : timeoutMs,
  });

  async function putBuffer(file: File, body: Buffer, put: PutOptions): Promise<FileMetadata> {
    await file.save(body, uploadOptions(put, false));
    return file.metadata;
  }

  /**
   * Reads up to the threshold first: a stream that ends there goes up in one request, one that
   * does not is sent on (what was read, then the rest) in a resumable upload.
   */
  async function putStream(file: File, body: Readable, put: PutOptions): Promise<FileMetadata> {
    const source = body[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let read = 0;
    while (read <= threshold) {
      const next = await source.next();
      if (next.done) return putBuffer(file, Buffer.concat(head, read), put);
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      head.push(chunk);
      read += chunk.length;
    }
    // Resumable uploads have no timeout in the client: one that stops taking bytes (or, once
    // it has them all, answering) is cut off here. Waiting for the caller's stream does not count.
    const upload = file.createWriteStream(uploadOptions(put, true));
    let idle: NodeJS.Timeout | undefined;
    const waitForUpload = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => upload.destroy(new Error(`the resumable upload made no progress for ${timeoutMs} ms`)),
        timeoutMs,
      );
    };
    upload.on('progress', waitForUpload);
    async function* rest() {
      try {
        for (const chunk of head) {
          waitForUpload();
          yield chunk;
        }
        for (;;) {
          clearTimeout(idle);
          const next = await source.next();
          if (next.done) break;
          waitForUpload();
          yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        }
        waitForUpload();
      } finally {
        // A failed upload stops reading: the caller's stream is released, not left paused.
        await source.return?.();
      }
    }
    try {
      await pipeline(Readable.from(rest()), upload);
    } finally {
      clearTimeout(idle);
    }
    return file.metadata;
  }

  /** `get` resolves once GCS answered: a missing object fails here, not in the first read. */
  async function opened(key: string, stream: Readable): Promise<Readable> {
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        stream.off('response', onResponse);
        stream.off('error', onError);
      };
      const onResponse = (res: { statusCode?: number }) => {
        // An error status is followed by the error, which carries GCS's message.
        if ((res.statusCode ?? 0) < 300) {
          cleanup();
          resolve();
        }
      };
      const onError = (err: unknown) => {
        cleanup();
        reject(err);
      };
      stream.on('response', onResponse);
      stream.on('error', onError);
      // The client sends the request on the first read.
      stream.read(0);
    }).catch((err) => {
      if (isNotFound(err)) throw new LakerunnerError('LR_STORAGE_NOT_FOUND', `object ${key} does not exist`);
      throw storageError(`GET ${key} (bucket ${bucket})`, err);
    });
    return stream;
  }

  return {
    bucket,

    async get(key) {
      validateObjectKey(key);
      return opened(key, gcsBucket.file(key).createReadStream());
    },

    async getBytes(key) {
      return readAll(await this.get(key), (err) => storageError(`reading ${key} (bucket ${bucket})`, err));
    },

    async put(key, body, put = {}) {
      validateObjectKey(key);
      const file = gcsBucket.file(key);
      try {
        const metadata = Buffer.isBuffer(body)
          ? await putBuffer(file, body, put)
          : await putStream(file, body, put);
        return toInfo(key, metadata);
      } catch (err) {
        if (put.ifNoneMatch && isPreconditionFailed(err)) {
          throw new LakerunnerError('LR_STORAGE_PRECONDITION', `object ${key} already exists`);
        }
        if (err instanceof LakerunnerError) throw err;
        throw storageError(`PUT ${key} (bucket ${bucket})`, err);
      }
    },

    async head(key) {
      validateObjectKey(key);
      try {
        const [metadata] = await gcsBucket.file(key).getMetadata();
        return toInfo(key, metadata);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw storageError(`HEAD ${key} (bucket ${bucket})`, err);
      }
    },

    async *list(prefix = '', listOptions = {}) {
      const versions = listOptions.versions ?? true;
      let pageToken: string | undefined;
      do {
        let files: File[];
        let next: { pageToken?: string } | null | undefined;
        try {
          // GCS lists in lexicographic order of names, which is key order.
          [files, next] = await gcsBucket.getFiles({
            prefix: prefix || undefined,
            autoPaginate: false,
            maxResults: 1000,
            pageToken,
          });
        } catch (err) {
          throw storageError(`LIST ${prefix} (bucket ${bucket})`, err);
        }
        for (const file of files) yield toInfo(file.name, file.metadata, versions);
        pageToken = next?.pageToken;
      } while (pageToken);
    },

    async delete(key) {
      validateObjectKey(key);
      try {
        await gcsBucket.file(key).delete();
      } catch (err) {
        if (isNotFound(err)) return;
        throw storageError(`DELETE ${key} (bucket ${bucket})`, err);
      }
    },

    async close() {
      // The Storage client holds no connections of its own to release (its HTTP agent is shared).
    },
  };
}

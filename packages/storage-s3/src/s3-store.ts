import { PassThrough, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  LakerunnerError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  readAll,
  validateObjectKey,
} from '@lakerunner/core';
import { isNotFound, isPreconditionFailed, storageError, versionOf } from './errors.js';

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /**
   * Streams up to this size are uploaded in one request, larger ones in parts of this size
   * (default 64 MiB). A one-request object's ETag is the MD5 of its bytes, so the same bytes get
   * the same version however they were put; a multipart object's ETag depends on the part size.
   */
  partSizeBytes?: number;
  /** Close the client on `close()` (default true: the adapter made it). */
  ownsClient?: boolean;
}

const MiB = 1024 * 1024;

/**
 * An S3 bucket (or any S3-compatible store) as the object store. The version of an object is its
 * ETag, as S3 event notifications report it.
 */
export function createS3Store(options: S3StoreOptions): ObjectStore {
  const { client, bucket } = options;
  const partSize = Math.max(5 * MiB, options.partSizeBytes ?? 64 * MiB);

  async function send<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw storageError(`${what} (bucket ${bucket})`, err);
    }
  }

  async function putBuffer(key: string, body: Buffer, put: PutOptions): Promise<string | undefined> {
    const out = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: put.contentType,
        IfNoneMatch: put.ifNoneMatch ? '*' : undefined,
      }),
    );
    return out.ETag;
  }

  async function putStream(
    key: string,
    body: Readable,
    put: PutOptions,
  ): Promise<{ etag?: string; size: number }> {
    let size = 0;
    const counted = body.pipe(
      new PassThrough({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    body.once('error', (err) => counted.destroy(err));
    try {
      const upload = new Upload({
        client,
        partSize,
        queueSize: 1,
        leavePartsOnError: false,
        params: {
          Bucket: bucket,
          Key: key,
          Body: counted,
          ContentType: put.contentType,
          IfNoneMatch: put.ifNoneMatch ? '*' : undefined,
        },
      });
      const out = await upload.done();
      return { etag: out.ETag, size };
    } catch (err) {
      // Release the caller's stream (a file, a socket) instead of leaving it open and paused.
      body.unpipe(counted);
      body.destroy();
      throw err;
    }
  }

  /**
   * A HEAD has no body, so S3 cannot say whether the object or the bucket is missing: one
   * HeadBucket tells, so that a wrong bucket or endpoint is an outage, never "object gone"
   * (which would drop its notification).
   */
  async function bucketExists(): Promise<boolean> {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw storageError(`HEAD bucket ${bucket}`, err);
    }
  }

  return {
    bucket,

    async get(key) {
      validateObjectKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body as Readable;
      } catch (err) {
        if (isNotFound(err))
          throw new LakerunnerError('LR_STORAGE_NOT_FOUND', `object ${key} does not exist`);
        throw storageError(`GET ${key} (bucket ${bucket})`, err);
      }
    },

    async getBytes(key) {
      return readAll(await this.get(key), (err) => storageError(`reading ${key} (bucket ${bucket})`, err));
    },

    async put(key, body, put = {}) {
      validateObjectKey(key);
      try {
        if (Buffer.isBuffer(body)) {
          const etag = await putBuffer(key, body, put);
          return { key, size: body.length, version: versionOf(etag, body.length), modifiedAt: new Date() };
        }
        const { etag, size } = await putStream(key, body, put);
        return { key, size, version: versionOf(etag, size), modifiedAt: new Date() };
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
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          key,
          size: out.ContentLength ?? 0,
          version: versionOf(out.ETag, out.ContentLength ?? 0, out.LastModified),
          modifiedAt: out.LastModified ?? new Date(),
        };
      } catch (err) {
        if (isNotFound(err) && (await bucketExists())) return undefined;
        throw storageError(`HEAD ${key} (bucket ${bucket})`, err);
      }
    },

    async *list(prefix = '', listOptions = {}) {
      const versions = listOptions.versions ?? true;
      let token: string | undefined;
      do {
        const page = await send(`LIST ${prefix}`, () =>
          client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix || undefined,
              ContinuationToken: token,
            }),
          ),
        );
        for (const o of page.Contents ?? []) {
          if (!o.Key) continue;
          const info: ObjectInfo = {
            key: o.Key,
            size: o.Size ?? 0,
            version: versions ? versionOf(o.ETag, o.Size ?? 0, o.LastModified) : '',
            modifiedAt: o.LastModified ?? new Date(),
          };
          yield info;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },

    async delete(key) {
      validateObjectKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (err) {
        if (isNotFound(err)) return;
        throw storageError(`DELETE ${key} (bucket ${bucket})`, err);
      }
    },

    async close() {
      if (options.ownsClient ?? true) client.destroy();
    },
  };
}

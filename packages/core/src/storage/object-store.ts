import type { Readable } from 'node:stream';

/**
 * The storage port: what lakerunner needs from an object store. Adapters (local directory, S3,
 * GCS, Azure) implement it; the shared conformance suite (test/conformance) runs each against a
 * real backend. Errors are LakerunnerErrors: LR_STORAGE_NOT_FOUND, LR_STORAGE_PRECONDITION,
 * LR_STORAGE_KEY_INVALID (permanent) and LR_STORAGE_UNAVAILABLE (retriable).
 */
export interface ObjectInfo {
  key: string;
  size: number;
  /**
   * Identifies the content: the same bytes give the same version, other bytes another (a
   * content hash, or the ETag / generation / CRC the backend keeps). Empty when a listing was
   * asked for no versions.
   */
  version: string;
  modifiedAt: Date;
}

export interface ListOptions {
  /** Default true. */
  versions?: boolean;
}

export interface PutOptions {
  /** Fail with LR_STORAGE_PRECONDITION instead of replacing an existing object. */
  ifNoneMatch?: boolean;
  contentType?: string;
}

export interface ObjectStore {
  /** Bucket / container / directory name, as notifications and catalog rows refer to it. */
  readonly bucket: string;
  get(key: string): Promise<Readable>;
  getBytes(key: string): Promise<Buffer>;
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<ObjectInfo>;
  /** undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /**
   * Every object whose key starts with `prefix`, in key order. `versions: false` says the caller
   * needs no versions (a store that must read an object to know it may skip that work).
   */
  list(prefix?: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  close?(): Promise<void>;
}

/** "This object now exists", as a notification source reports it. */
export interface ObjectEvent {
  bucket: string;
  key: string;
  size: number;
  version: string;
}

/**
 * Delivers object-created events. `onObject` resolving means the event is safely handed over
 * (pubsub resolves only after Kafka acknowledged); a source must not acknowledge or forget an
 * event before that, and should redeliver what was pending when it stopped.
 */
export interface NotificationSource {
  readonly name: string;
  start(onObject: (event: ObjectEvent) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Blob storage behind one small interface: the local filesystem by default (`fs-blob-store.ts`), an S3-compatible
 * object store for scaled deployments (`s3-blob-store.ts`). Keys are write-once: content is addressed by its SHA-256,
 * previews by the SHA-256 of their source, so writing an existing key keeps the stored copy.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { createFsBlobStore } from './fs-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/**
 * A blob being written. Bytes go to a private staging file (never visible under a key); `commit` makes them the blob
 * durably (fsync + rename, or a completed PUT) and only then resolves, so nothing references bytes that could be lost.
 */
export interface BlobWriter {
  /**
   * Appends bytes. When it returns a promise, wait for it before writing more (the disk is behind): memory stays
   * bounded. When it returns nothing, the bytes are taken and the next chunk can follow at once.
   */
  write(chunk: Uint8Array): Promise<void> | undefined;
  readonly size: number;
  /** Ends writing and flushes the staged bytes to disk; the hash is then known. */
  finish(): Promise<{ size: number; sha256: string }>;
  /** Stores the finished bytes under `key` (default: the content address). An existing key is kept and the copy dropped. */
  commit(key?: string): Promise<StoredBlob>;
  /** Drops the staged bytes. Safe at any time, twice, and after commit. */
  abort(): Promise<void>;
  /** The staged file, readable after `finish` and before `commit`/`abort` (previews are made from it). */
  readonly stagedPath: string;
}

export interface BlobStore {
  readonly driver: 'fs' | 's3';
  create(): Promise<BlobWriter>;
  /** Writes a whole stream or buffer durably under `key` (default: its content address). */
  put(source: AsyncIterable<Uint8Array> | Uint8Array, key?: string): Promise<StoredBlob>;
  get(key: string): Promise<{ body: Readable; size: number } | null>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** The local file holding a blob, when the store keeps one (previews then decode it in place). */
  localPath?(key: string): string;
}

/**
 * The blob store cannot serve now: it answered 5xx or 429 (S3's 503 SlowDown), did not answer in time, or could not be
 * reached. A condition of the moment, not a bug: the API answers 503 with Retry-After (`BLOB_STORE_UNAVAILABLE`).
 */
export class BlobStoreUnavailableError extends Error {
  readonly code = 'BLOB_STORE_UNAVAILABLE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlobStoreUnavailableError';
  }
}

/** The key content is stored under: sharded by the first byte of its hash. */
export const contentKey = (sha256: string) => `content/${sha256.slice(0, 2)}/${sha256}`;

const keyPattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Keys are built by the server from hashes and fixed names; anything else (`..`, absolute paths) is a bug. */
export function assertBlobKey(key: string): string {
  if (key.length > 512 || !keyPattern.test(key)) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
}

/** The store the configuration names: S3-compatible when `LISTO_S3_BUCKET` is set, else files under the data directory. */
export function openBlobStore(config: Pick<Config, 'dataDir' | 's3'>): BlobStore {
  if (config.s3) return createS3BlobStore(config.s3, { stagingDir: path.join(config.dataDir, 'tmp', 'uploads') });
  return createFsBlobStore(path.join(config.dataDir, 'blobs'));
}

export async function writeAll(writer: BlobWriter, source: AsyncIterable<Uint8Array> | Uint8Array): Promise<void> {
  if (source instanceof Uint8Array) {
    await writer.write(source);
    return;
  }
  for await (const chunk of source) await writer.write(chunk);
}

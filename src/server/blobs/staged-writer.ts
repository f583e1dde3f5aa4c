/** The part of a blob store that both drivers share: bytes staged in a local file while hashed, then stored under their key. */
import { contentKey, writeAll, type BlobWriter, type StoredBlob } from './blob-store.js';
import { StagingFile } from './staging-file.js';

/**
 * A writer that stages bytes in `stagingDir` and, on commit, hands the staged file to `store` under the caller's key or
 * its content key. `store` leaves the staged file gone (moved into place or discarded). Commit is idempotent; abort
 * after a commit does nothing.
 */
export async function createStagedWriter(stagingDir: string, store: (staged: StagingFile, blob: StoredBlob) => Promise<void>): Promise<BlobWriter> {
  const staged = await StagingFile.open(stagingDir);
  let committed: StoredBlob | null = null;
  return {
    write: (chunk) => staged.write(chunk),
    get size() {
      return staged.size;
    },
    finish: () => staged.finish(),
    stagedPath: staged.path,
    async commit(key) {
      if (committed) return committed;
      const { size, sha256 } = await staged.finish();
      const blob = { key: key ?? contentKey(sha256), size, sha256 };
      await store(staged, blob);
      committed = blob;
      return committed;
    },
    abort: () => (committed ? Promise.resolve() : staged.discard()),
  };
}

/** `BlobStore.put` over a store's `create`: writes everything, commits, and aborts whatever did not commit. */
export async function putThroughWriter(create: () => Promise<BlobWriter>, source: AsyncIterable<Uint8Array> | Uint8Array, key?: string): Promise<StoredBlob> {
  const writer = await create();
  try {
    await writeAll(writer, source);
    return await writer.commit(key);
  } finally {
    await writer.abort();
  }
}

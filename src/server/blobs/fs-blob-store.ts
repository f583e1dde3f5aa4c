/** Blobs as files under the data directory: staged in `.tmp/`, fsynced, renamed into place, directory fsynced. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, contentKey, writeAll, type BlobStore, type BlobWriter, type StoredBlob } from './blob-store.js';
import { StagingFile, sweepStagingDir } from './staging-file.js';

const staleStagingMs = 3_600_000;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

export function createFsBlobStore(root: string): BlobStore & { pathOf(key: string): string; stagingDir: string } {
  const stagingDir = path.join(root, '.tmp');
  void sweepStagingDir(stagingDir, staleStagingMs);
  const pathOf = (key: string) => path.join(root, ...assertBlobKey(key).split('/'));

  async function create(): Promise<BlobWriter> {
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
        const finalKey = key ?? contentKey(sha256);
        const target = pathOf(finalKey);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        if (await exists(target)) {
          await staged.discard(); // identical bytes are stored once
        } else {
          await fsp.rename(staged.path, target);
          await fsyncDir(path.dirname(target));
        }
        committed = { key: finalKey, size, sha256 };
        return committed;
      },
      abort: () => (committed ? Promise.resolve() : staged.discard()),
    };
  }

  return {
    driver: 'fs',
    stagingDir,
    pathOf,
    localPath: pathOf,
    create,
    async put(source, key) {
      const writer = await create();
      try {
        await writeAll(writer, source);
        return await writer.commit(key);
      } finally {
        await writer.abort();
      }
    },
    async get(key) {
      const file = pathOf(key);
      try {
        const stat = await fsp.stat(file);
        return { body: fs.createReadStream(file), size: stat.size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    has: (key) => exists(pathOf(key)),
    async delete(key) {
      await fsp.rm(pathOf(key), { force: true });
    },
  };
}

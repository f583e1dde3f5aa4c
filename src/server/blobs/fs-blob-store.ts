/** Blobs as files under the data directory: staged in `.tmp/`, fsynced, renamed into place, directory fsynced. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore, type BlobWriter } from './blob-store.js';
import { createStagedWriter, putThroughWriter } from './staged-writer.js';
import { sweepStagingDir } from './staging-file.js';

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

  /** Makes the directories up to `dir` that are missing, each durably (its parent fsynced once it is in it). */
  async function makeDirs(dir: string): Promise<void> {
    const first = await fsp.mkdir(dir, { recursive: true });
    if (!first) return;
    for (let made = dir; made !== path.dirname(made); made = path.dirname(made)) {
      await fsyncDir(path.dirname(made));
      if (made === first) break;
    }
  }

  const create = (): Promise<BlobWriter> =>
    createStagedWriter(stagingDir, async (staged, { key }) => {
      const target = pathOf(key);
      if (await exists(target)) {
        await staged.discard(); // identical bytes are stored once
        return;
      }
      // The directory usually exists already (content is sharded in 256): it is made only when the rename says not.
      try {
        await fsp.rename(staged.path, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await makeDirs(path.dirname(target));
        await fsp.rename(staged.path, target);
      }
      await fsyncDir(path.dirname(target));
    });

  return {
    driver: 'fs',
    stagingDir,
    pathOf,
    localPath: pathOf,
    create,
    put: (source, key) => putThroughWriter(create, source, key),
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

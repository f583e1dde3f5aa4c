import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from '../../../test/support/blob-store-contract.js';
import { createFsBlobStore } from './fs-blob-store.js';

describe('filesystem blob store', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-blobs-'));
  const store = createFsBlobStore(root);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  blobStoreContract(() => store);

  it('stages under .tmp and leaves no staging file after commit or abort', async () => {
    const writer = await store.create();
    await writer.write(Buffer.from('abc'));
    expect(fs.readdirSync(store.stagingDir)).toHaveLength(1);
    const stored = await writer.commit();
    expect(fs.readdirSync(store.stagingDir)).toHaveLength(0);
    expect(fs.readFileSync(store.pathOf(stored.key), 'utf8')).toBe('abc');
    expect(store.pathOf(stored.key).startsWith(root)).toBe(true);
  });
});

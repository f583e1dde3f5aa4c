/** The behaviour every blob store must have; each implementation's test runs it. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { contentKey, type BlobStore } from '../../src/server/blobs/blob-store.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function blobStoreContract(store: () => BlobStore) {
  it('puts a stream under its content address and reads it back', async () => {
    const bytes = Buffer.from('hello, blob '.repeat(10_000));
    const stored = await store().put(Readable.from([bytes.subarray(0, 5000), bytes.subarray(5000)]));
    expect(stored).toEqual({ key: contentKey(sha(bytes)), size: bytes.length, sha256: sha(bytes) });
    expect(await store().has(stored.key)).toBe(true);
    const got = await store().get(stored.key);
    expect(got?.size).toBe(bytes.length);
    expect((await readAll(got!.body)).equals(bytes)).toBe(true);
  });

  it('stores identical bytes once and keeps the first copy', async () => {
    const bytes = Buffer.from(`same ${Math.random()}`);
    const first = await store().put(bytes);
    const second = await store().put(Readable.from([bytes]));
    expect(second.key).toBe(first.key);
    expect((await readAll((await store().get(first.key))!.body)).equals(bytes)).toBe(true);
  });

  it('an aborted writer leaves nothing behind; a missing key is null / false', async () => {
    const writer = await store().create();
    await writer.write(Buffer.from('partial'));
    await writer.abort();
    await writer.abort();
    expect(await store().has(contentKey(sha(Buffer.from('partial'))))).toBe(false);
    expect(await store().get('content/00/nothing')).toBeNull();
  });

  it('commits to an explicit key, and deletes', async () => {
    const bytes = Buffer.from('preview bytes');
    const stored = await store().put(bytes, 'preview/abc/thumbnail.webp');
    expect(stored.key).toBe('preview/abc/thumbnail.webp');
    expect(await store().has(stored.key)).toBe(true);
    await store().delete(stored.key);
    await store().delete(stored.key);
    expect(await store().has(stored.key)).toBe(false);
  });

  it('refuses keys that could escape the store', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'A.png', 'x/.hidden', '']) {
      await expect(store().put(Buffer.from('x'), key)).rejects.toThrow(/invalid blob key/);
    }
  });
}

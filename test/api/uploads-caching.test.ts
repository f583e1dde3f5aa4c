/** Revalidating a served upload: the access check and the ETag come from the database, so a 304 reads no bytes from the store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../src/server/blobs/s3-blob-store.js';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startFakeS3, type FakeS3 } from '../support/fake-s3.js';
import { makePng } from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { shareList } from '../support/sharing.js';
import { download, upload } from '../support/uploads.js';

describe.each(testDialects())('conditional GETs of uploads on an S3 store, on %s', (dialect) => {
  let s3: FakeS3;
  let server: TestServer;
  /** While true, every request to the object store fails as an unreachable host does. */
  let storeDown = false;
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-s3-caching-'));

  /** Reads of stored bytes (object GETs and HEADs) since `from`. */
  const readsSince = (from: number) => s3.requests.slice(from).filter((request) => request.method === 'GET' || request.method === 'HEAD');

  beforeAll(async () => {
    s3 = await startFakeS3();
    const blobs = createS3BlobStore(
      { endpoint: s3.url, bucket: s3.bucket, region: s3.region, ...s3.credentials },
      { stagingDir, fetch: (input, init) => (storeDown ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init)) },
    );
    server = await startTestServer(dialect, {}, { blobs });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
    fs.rmSync(stagingDir, { recursive: true, force: true });
  });

  it('answers repeated conditional GETs with 304 and no object read, and a removed member with 404', async () => {
    const owner = await createUser(server.url);
    const member = await createUser(server.url);
    const leaver = await createUser(server.url);
    const png = await makePng(64, 48);
    const photo = (await upload(owner.client, png, 'team.png')).body;
    const list = await createList(owner.client, 'Team photos');
    await shareList(owner.client, list.id, member, 'viewer');
    await shareList(owner.client, list.id, leaver, 'viewer');
    await createTask(owner.client, list.id, 'Photo', { blocks: [{ type: 'image', uploadId: photo.id }] });

    const etags = new Map<string, string>();
    for (const url of [photo.url, photo.thumbnailUrl] as string[]) {
      const served = await download(member.client, url);
      expect(served.status).toBe(200);
      expect(served.bytes.length).toBeGreaterThan(0);
      const etag = served.headers.get('etag')!;
      etags.set(url, etag);

      const before = s3.requests.length;
      for (let i = 0; i < 10; i++) {
        const revalidated = await download(i % 2 ? leaver.client : member.client, url, { 'if-none-match': etag });
        expect(revalidated.status).toBe(304);
        expect(revalidated.bytes).toHaveLength(0);
        expect(revalidated.headers.get('etag')).toBe(etag);
        expect(revalidated.headers.get('cache-control')).toBe('private, no-cache');
        expect(revalidated.headers.get('content-disposition')).toBe(served.headers.get('content-disposition'));
      }
      expect(readsSince(before)).toEqual([]);
    }

    // HEAD of the content needs no bytes either: its size is the upload's.
    let before = s3.requests.length;
    const head = await member.client.request('HEAD', photo.url);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(png.length));
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('etag')).toBe(etags.get(photo.url));
    expect(readsSince(before)).toEqual([]);
    const thumbnail = await download(member.client, photo.thumbnailUrl);
    const headThumbnail = await member.client.request('HEAD', photo.thumbnailUrl);
    expect(headThumbnail.status).toBe(200);
    expect(headThumbnail.headers.get('content-length')).toBe(String(thumbnail.bytes.length));

    // The store briefly unreachable: a revalidation still gets its 304, since it needs no bytes.
    storeDown = true;
    try {
      for (const url of [photo.url, photo.thumbnailUrl] as string[]) {
        expect((await download(member.client, url, { 'if-none-match': etags.get(url)! })).status).toBe(304);
      }
      expect((await download(member.client, photo.url)).status).not.toBe(200);
    } finally {
      storeDown = false;
    }

    // Removed from the list meanwhile: the access check still runs first, so no 304 (and no bytes read).
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${leaver.user.id}`)).status).toBe(204);
    before = s3.requests.length;
    for (const url of [photo.url, photo.thumbnailUrl] as string[]) {
      for (const ifNoneMatch of [etags.get(url)!, '*']) {
        const refused = await download(leaver.client, url, { 'if-none-match': ifNoneMatch });
        expect(refused.status).toBe(404);
        expect(refused.headers.get('etag')).toBeNull();
      }
      expect((await download(member.client, url, { 'if-none-match': etags.get(url)! })).status).toBe(304);
    }
    expect(readsSince(before)).toEqual([]);
  });

  it('a preview an upload cannot have is 404 for a conditional GET too', async () => {
    const owner = await createUser(server.url);
    const notes = (await upload(owner.client, Buffer.from('plain notes\n'), 'notes.txt')).body;
    const served = await download(owner.client, notes.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    const before = s3.requests.length;
    expect((await download(owner.client, notes.url, { 'if-none-match': served.headers.get('etag')! })).status).toBe(304);
    expect(readsSince(before)).toEqual([]);
    for (const variant of ['thumbnail', 'poster']) {
      expect((await download(owner.client, `/api/v1/uploads/${notes.id}/${variant}`, { 'if-none-match': '*' })).status).toBe(404);
    }
  });
});

/**
 * Deleting stored bytes whose last upload went (`content_deletions`) on an S3 store that is slow or refuses: nothing
 * is left behind for good, the rest of the node does not wait for the store, and bytes a new upload needs stay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../src/server/blobs/s3-blob-store.js';
import { runMaintenance } from '../../src/server/jobs/maintenance.js';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startFakeS3, type FakeS3 } from '../support/fake-s3.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { upload } from '../support/uploads.js';

/** A PNG of more than 4 megapixels: its thumbnail is made in the background, from the stored blob. */
const largePng = (seed: number) =>
  sharp({ create: { width: 2100, height: 2100, channels: 3, background: { r: seed % 256, g: 5, b: 7 } } })
    .png()
    .toBuffer();

/** A promise the test settles when it chooses: what a held store request waits for. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const waitUntil = async (condition: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.each(testDialects())('deleting stored bytes on a slow or refusing S3 store, on %s', (dialect) => {
  let s3: FakeS3;
  let server: TestServer;
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-s3-deletions-'));

  beforeAll(async () => {
    s3 = await startFakeS3();
    // Long enough for the requests these tests hold: the store answers late, it does not time out.
    const blobs = createS3BlobStore(
      { endpoint: s3.url, bucket: s3.bucket, region: s3.region, ...s3.credentials },
      { stagingDir, timeouts: { headersMs: 30_000, idleMs: 30_000 } },
    );
    server = await startTestServer(dialect, {}, { blobs });
  });
  beforeEach(() => {
    s3.fault = null;
  });
  afterAll(async () => {
    if (s3) s3.fault = null;
    await server?.close();
    await s3?.close();
    fs.rmSync(stagingDir, { recursive: true, force: true });
  });

  const shaOf = async (uploadId: string) =>
    (await server.app.listo.db.kysely.selectFrom('uploads').select('sha256').where('id', '=', uploadId).executeTakeFirstOrThrow()).sha256;
  /** The stored objects of this content: its bytes and previews. */
  const objectsOf = (sha256: string) => [...s3.objects.keys()].filter((key) => key.includes(sha256));

  it('a preview finishing after its upload was deleted does not forget the bytes a refused delete left behind', async () => {
    const { client } = await createUser(server.url);
    const png = await largePng(11);
    // The background preview's read of the stored bytes waits until the test lets it go.
    const read = gate();
    s3.fault = ({ method, key }) => (method === 'GET' && key.startsWith('content/') ? { holdUntil: read.opened } : undefined);
    const created = await upload(client, png, 'late.png');
    expect(created.status).toBe(201);
    const sha = await shaOf(created.body.id);
    await waitUntil(() => s3.held.some((request) => request.method === 'GET' && request.key.includes(sha)), 'the preview read reaching the store');

    // Deleted while the store refuses DELETE: the bytes stay, recorded for the sweep.
    s3.fault = ({ method, key }) =>
      method === 'DELETE'
        ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' }
        : method === 'GET' && key.startsWith('content/')
          ? { holdUntil: read.opened }
          : undefined;
    expect((await client.delete(`/api/v1/uploads/${created.body.id}`)).status).toBe(204);
    expect(objectsOf(sha)).toEqual([expect.stringContaining('content/')]);

    // The store recovers, and only then does the preview finish, for bytes no upload has any more.
    s3.fault = null;
    read.open();
    await server.app.uploads.drain();
    await runMaintenance(server.app.listo, server.app.uploads);
    expect(objectsOf(sha)).toEqual([]);
  });
});

/** Uploads on an S3 store that misbehaves: reads cut mid-way, slow or stalled bodies, error answers, refused deletes. */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runMaintenance } from '../../src/server/jobs/maintenance.js';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { serverOnFakeS3 } from '../support/server-on-fake-s3.js';
import { makePng } from '../support/images.js';
import { download, upload } from '../support/uploads.js';

/** A PNG of more than 4 megapixels: its thumbnail is made in the background, from the stored blob. */
const largePng = (seed: number) =>
  sharp({ create: { width: 2100, height: 2100, channels: 3, background: { r: seed % 256, g: 2, b: 3 } } })
    .png()
    .toBuffer();

/** `promise`, or a rejection once `ms` have passed: a hang fails the test instead of holding it until its timeout. */
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms))]);

describe.each(testDialects())('uploads on a failing S3 store, on %s', (dialect) => {
  // Short timeouts, so that what the defaults (2 min for headers, 30 s without a byte) would do shows in seconds.
  const context = serverOnFakeS3(dialect, { headersMs: 1_000, idleMs: 1_000 });
  const { shaOf, objectsOf } = context;

  const previewFailedAt = async (uploadId: string) =>
    (await context.server.app.listo.db.kysely.selectFrom('uploads').select('preview_failed_at').where('id', '=', uploadId).executeTakeFirstOrThrow())
      .preview_failed_at;

  it('a blob read cut off while making a preview neither crashes the server nor marks the image undecodable, and the job settles', async () => {
    const { client } = await createUser(context.server.url);
    const png = await largePng(1);
    // Every read of stored content breaks after 100 bytes, as a connection reset does.
    context.s3.fault = ({ method, key }) => (method === 'GET' && key.startsWith('content/') ? { cutAfterBytes: 100 } : undefined);
    const created = await upload(client, png, 'photo.png');
    expect(created.status).toBe(201);
    // The background job fails on the read, and settles: the queue empties.
    await within(context.server.app.uploads.drain(), 10_000, 'the preview queue');
    // Asked for while the store still fails: made on demand, fails the same way, and answers.
    const during = await within(download(client, created.body.thumbnailUrl), 10_000, 'the thumbnail request');
    expect(during.status).not.toBe(200);
    expect(await previewFailedAt(created.body.id)).toBeNull();

    // The server is still up, and once the store reads again, the thumbnail is made.
    context.s3.fault = null;
    expect((await fetch(`${context.server.url}/healthz`)).status).toBe(200);
    const after = await download(client, created.body.thumbnailUrl);
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('image/webp');
  });

  it('a download that keeps coming is not cut off, however long it takes; one that stops coming is', async () => {
    const { client } = await createUser(context.server.url);
    const data = randomBytes(2 * 1024 * 1024);
    const created = await upload(client, data, 'data.bin');
    expect(created.status).toBe(201);

    // 128 KiB every 150 ms: about 2.4 s in all, more than twice the time allowed for the store's headers.
    context.s3.fault = ({ method, key }) => (method === 'GET' && key.startsWith('content/') ? { chunkBytes: 128 * 1024, everyMs: 150 } : undefined);
    const slow = await download(client, created.body.url);
    expect(slow.status).toBe(200);
    expect(slow.bytes.length).toBe(data.length);
    expect(slow.bytes.equals(data)).toBe(true);

    // The store sends 64 KiB, then nothing: the download is cut a second later instead of hanging for good.
    context.s3.fault = ({ method, key }) => (method === 'GET' && key.startsWith('content/') ? { stallAfterBytes: 64 * 1024 } : undefined);
    const stalled = await within(
      download(client, created.body.url).then(
        (answer) => answer.bytes.length,
        () => 'cut',
      ),
      8_000,
      'the stalled download',
    );
    expect(stalled).not.toBe(data.length);
    context.s3.fault = null;
    expect((await download(client, created.body.url)).bytes.equals(data)).toBe(true);
  });

  it('a store that refuses (503 SlowDown, 500) or does not answer makes a 503 problem with Retry-After, not a 500', async () => {
    const { client } = await createUser(context.server.url);
    const data = randomBytes(4096);
    const created = await upload(client, data, 'notes.bin');
    expect(created.status).toBe(201);
    const expectUnavailable = (answer: { status: number; headers: Headers; body: unknown }) => {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toMatchObject({ code: 'service_unavailable' });
    };
    const downloaded = async () => {
      const answer = await download(client, created.body.url);
      return { ...answer, body: JSON.parse(answer.bytes.toString()) as unknown };
    };

    context.s3.fault = ({ method }) => (method === 'GET' ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } : undefined);
    expectUnavailable(await downloaded());
    context.s3.fault = ({ method }) => (method === 'GET' ? { status: 500, body: '<Error><Code>InternalError</Code></Error>' } : undefined);
    expectUnavailable(await downloaded());
    // No answer at all: given up after the time allowed for the headers (1 s here).
    context.s3.fault = ({ method }) => (method === 'GET' ? { hang: true } : undefined);
    expectUnavailable(await within(downloaded(), 8_000, 'the download from a store that does not answer'));
    // An upload the store refuses to take.
    context.s3.fault = ({ method }) => (method === 'HEAD' || method === 'PUT' ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } : undefined);
    const refused = await upload(client, randomBytes(4096), 'more.bin');
    expectUnavailable(refused);
    context.s3.fault = null;
    expect((await download(client, created.body.url)).bytes.equals(data)).toBe(true);
  });

  it('deleting an upload while the store refuses DELETE answers 204, and its bytes go once the store takes deletes again', async () => {
    const { client } = await createUser(context.server.url);
    const png = await makePng(37, 23); // small: its thumbnail is made before answering
    const created = await upload(client, png, 'drop.png');
    expect(created.status).toBe(201);
    const sha = await shaOf(created.body.id);
    const keysOf = () => objectsOf(sha);
    const storage = async () => (await client.get(`/api/v1/workspaces/${created.body.workspaceId}/storage`)).body.usedBytes as number;
    expect(keysOf().length).toBe(2); // the content and its thumbnail

    context.s3.fault = ({ method }) => (method === 'DELETE' ? { status: 500, body: '<Error><Code>InternalError</Code></Error>' } : undefined);
    const deleted = await client.delete(`/api/v1/uploads/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await client.delete(`/api/v1/uploads/${created.body.id}`)).status).toBe(404);
    expect(await storage()).toBe(0);
    // The hourly maintenance while the store still refuses: nothing fails, nothing is lost track of.
    await runMaintenance(context.server.app.listo, context.server.app.uploads);
    expect(keysOf().length).toBe(2);

    context.s3.fault = null;
    await runMaintenance(context.server.app.listo, context.server.app.uploads);
    expect(keysOf()).toEqual([]);
  });

  it('the sweep of unused uploads goes on past one whose bytes the store refuses to delete', async () => {
    const { client } = await createUser(context.server.url);
    const first = await upload(client, randomBytes(3000), 'one.bin');
    const second = await upload(client, randomBytes(3000), 'two.bin');
    const shas = [await shaOf(first.body.id), await shaOf(second.body.id)];
    context.server.clock.advance(25 * 3_600_000); // past the grace period of uploads no task shows
    context.s3.fault = ({ method }) => (method === 'DELETE' ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } : undefined);
    await runMaintenance(context.server.app.listo, context.server.app.uploads);
    expect((await client.get(`/api/v1/uploads/${first.body.id}`)).status).toBe(404);
    expect((await client.get(`/api/v1/uploads/${second.body.id}`)).status).toBe(404);
    const left = () => shas.filter((sha) => objectsOf(sha).length > 0).length;
    expect(left()).toBe(2);
    context.s3.fault = null;
    await runMaintenance(context.server.app.listo, context.server.app.uploads);
    expect(left()).toBe(0);
  });
});

/**
 * Deleting stored bytes whose last upload went (`content_deletions`) on an S3 store that is slow or refuses: nothing
 * is left behind for good, the rest of the node does not wait for the store, and bytes a new upload needs stay.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runMaintenance } from '../../src/server/jobs/maintenance.js';
import { createList, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { serverOnFakeS3 } from '../support/server-on-fake-s3.js';
import { download, upload } from '../support/uploads.js';

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
  // Long enough for the requests these tests hold: the store answers late, it does not time out.
  const context = serverOnFakeS3(dialect, { headersMs: 30_000, idleMs: 30_000 });
  const { shaOf, objectsOf } = context;

  it('a preview finishing after its upload was deleted does not forget the bytes a refused delete left behind', async () => {
    const { client } = await createUser(context.server.url);
    const png = await largePng(11);
    // The background preview's read of the stored bytes waits until the test lets it go.
    const read = gate();
    context.s3.fault = ({ method, key }) => (method === 'GET' && key.startsWith('content/') ? { holdUntil: read.opened } : undefined);
    const created = await upload(client, png, 'late.png');
    expect(created.status).toBe(201);
    const sha = await shaOf(created.body.id);
    await waitUntil(() => context.s3.held.some((request) => request.method === 'GET' && request.key.includes(sha)), 'the preview read reaching the store');

    // Deleted while the store refuses DELETE: the bytes stay, recorded for the sweep.
    context.s3.fault = ({ method, key }) =>
      method === 'DELETE'
        ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' }
        : method === 'GET' && key.startsWith('content/')
          ? { holdUntil: read.opened }
          : undefined;
    expect((await client.delete(`/api/v1/uploads/${created.body.id}`)).status).toBe(204);
    expect(objectsOf(sha)).toEqual([expect.stringContaining('content/')]);

    // The store recovers, and only then does the preview finish, for bytes no upload has any more.
    context.s3.fault = null;
    read.open();
    await context.server.app.uploads.drain();
    await runMaintenance(context.server.app.listo, context.server.app.uploads);
    expect(objectsOf(sha)).toEqual([]);
  });

  it("another user's task write answers at once while the store takes its time to delete bytes", async () => {
    const { client: owner } = await createUser(context.server.url);
    const { client: other } = await createUser(context.server.url);
    const list = await createList(other, 'Elsewhere');
    const data = randomBytes(5000);
    const created = await upload(owner, data, 'slow-delete.bin');
    expect(created.status).toBe(201);
    const sha = await shaOf(created.body.id);

    const deletes = gate();
    context.s3.fault = ({ method }) => (method === 'DELETE' ? { holdUntil: deletes.opened } : undefined);
    // Let the store go in any case after 4 s, so that a node that waits for it fails the timing, not the suite.
    const letGo = setTimeout(deletes.open, 4_000);
    try {
      const deleting = owner.delete(`/api/v1/uploads/${created.body.id}`);
      await waitUntil(() => context.s3.held.some((request) => request.method === 'DELETE' && request.key.includes(sha)), 'the DELETE reaching the store');

      const started = performance.now();
      const task = await other.post(`/api/v1/lists/${list.id}/tasks`, { title: 'Not held up' });
      const elapsed = performance.now() - started;
      expect(task.status).toBe(201);
      expect(elapsed).toBeLessThan(1_000);

      deletes.open();
      expect((await deleting).status).toBe(204);
      expect(objectsOf(sha)).toEqual([]);
    } finally {
      clearTimeout(letGo);
      deletes.open();
    }
  });

  it("the sweep's retried deletes do not hold up other writes either", async () => {
    const { client: owner } = await createUser(context.server.url);
    const { client: other } = await createUser(context.server.url);
    const list = await createList(other, 'Elsewhere');
    const created = await upload(owner, randomBytes(4000), 'sweep.bin');
    const sha = await shaOf(created.body.id);
    // Left for the sweep: the store refuses the first delete.
    context.s3.fault = ({ method }) => (method === 'DELETE' ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } : undefined);
    expect((await owner.delete(`/api/v1/uploads/${created.body.id}`)).status).toBe(204);
    expect(objectsOf(sha).length).toBe(1);

    const deletes = gate();
    context.s3.fault = ({ method }) => (method === 'DELETE' ? { holdUntil: deletes.opened } : undefined);
    const letGo = setTimeout(deletes.open, 4_000);
    try {
      const heldBefore = context.s3.held.length;
      const sweeping = runMaintenance(context.server.app.listo, context.server.app.uploads);
      await waitUntil(
        () => context.s3.held.slice(heldBefore).some((request) => request.method === 'DELETE' && request.key.includes(sha)),
        'the DELETE reaching the store',
      );

      const started = performance.now();
      const task = await other.post(`/api/v1/lists/${list.id}/tasks`, { title: 'Not held up by the sweep' });
      const elapsed = performance.now() - started;
      expect(task.status).toBe(201);
      expect(elapsed).toBeLessThan(1_000);

      deletes.open();
      await sweeping;
      expect(objectsOf(sha)).toEqual([]);
    } finally {
      clearTimeout(letGo);
      deletes.open();
    }
  });

  it('the same bytes uploaded again while they are being deleted are kept, and stay readable', async () => {
    const { client } = await createUser(context.server.url);
    const data = randomBytes(6000);
    const first = await upload(client, data, 'again.bin');
    const sha = await shaOf(first.body.id);

    const deletes = gate();
    context.s3.fault = ({ method }) => (method === 'DELETE' ? { holdUntil: deletes.opened } : undefined);
    const letGo = setTimeout(deletes.open, 4_000);
    try {
      const deleting = client.delete(`/api/v1/uploads/${first.body.id}`);
      await waitUntil(() => context.s3.held.some((request) => request.method === 'DELETE' && request.key.includes(sha)), 'the DELETE reaching the store');
      // Uploaded again while the store has the DELETE of the content in hand.
      const again = upload(client, data, 'again.bin');
      await new Promise((resolve) => setTimeout(resolve, 300));
      deletes.open();
      expect((await deleting).status).toBe(204);
      const second = await again;
      expect(second.status).toBe(201);
      context.s3.fault = null;
      const read = await download(client, second.body.url);
      expect(read.status).toBe(200);
      expect(read.bytes.equals(data)).toBe(true);
      // And a later sweep leaves them too.
      await runMaintenance(context.server.app.listo, context.server.app.uploads);
      expect(objectsOf(sha).some((key) => key.startsWith('content/'))).toBe(true);
      expect((await download(client, second.body.url)).bytes.equals(data)).toBe(true);
    } finally {
      clearTimeout(letGo);
      deletes.open();
    }
  });
});

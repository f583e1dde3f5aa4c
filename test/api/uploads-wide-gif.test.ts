/** GIFs wider or taller than WebP allows (16,383 px): accepted, with a poster that fits inside that and a thumbnail. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gifServer } from '../../src/server/content-types/gif.server.js';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { makeGif, makeNoisyGif } from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { download, upload } from '../support/uploads.js';

describe.each(testDialects())('a GIF beyond WebP dimensions, on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const previewsOf = async (client: Awaited<ReturnType<typeof createUser>>['client'], created: { thumbnailUrl: string; posterUrl: string }) => {
    const sizes: Record<string, { width: number; height: number } | number> = {};
    for (const [variant, url] of [
      ['thumbnail', created.thumbnailUrl],
      ['poster', created.posterUrl],
    ] as const) {
      const answer = await download(client, url);
      if (answer.status !== 200) sizes[variant] = answer.status;
      else {
        const { width, height } = await sharp(answer.bytes).metadata();
        sizes[variant] = { width: width!, height: height! };
      }
    }
    return sizes;
  };

  it('a small banner 17,000 px wide is accepted (not refused as corrupt), its poster fitting in 16,383 px', async () => {
    const { client } = await createUser(server.url);
    const banner = await makeGif(1, 17_000, 40); // small: its previews are made before answering
    const created = await upload(client, banner, 'banner.gif');
    expect(created.status).toBe(201);
    expect(await previewsOf(client, created.body)).toEqual({ thumbnail: { width: 480, height: 1 }, poster: { width: 16_383, height: 39 } });
  });

  it('a large one 17,000 px wide gets both previews in the background, and is not marked undecodable', async () => {
    const { client } = await createUser(server.url);
    const banner = await makeNoisyGif(1, 17_000, 80); // over 1 MiB: its previews are made later
    expect(banner.length).toBeGreaterThan(1024 * 1024);
    const created = await upload(client, banner, 'wide.gif');
    expect(created.status).toBe(201);
    await server.app.uploads.drain();
    expect(await previewsOf(client, created.body)).toEqual({ thumbnail: { width: 480, height: 2 }, poster: { width: 16_383, height: 77 } });
  });

  it('one preview that cannot be made does not lose the other, nor mark the bytes undecodable', async () => {
    const { client } = await createUser(server.url);
    const gif = await makeNoisyGif(1, 900, 1200); // over 1 MiB: made in the background
    const poster = vi.spyOn(gifServer.previews, 'poster').mockRejectedValueOnce(new Error('WebP encoder refused'));
    try {
      const created = await upload(client, gif, 'tall.gif');
      expect(created.status).toBe(201);
      await server.app.uploads.drain();
      expect(poster).toHaveBeenCalledTimes(1);
      const row = await server.app.listo.db.kysely.selectFrom('uploads').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
      expect(row.thumbnail_key).not.toBeNull();
      expect(row.preview_failed_at).toBeNull();
      // The poster is made on demand now.
      expect(await previewsOf(client, created.body)).toEqual({ thumbnail: { width: 360, height: 480 }, poster: { width: 900, height: 1200 } });
    } finally {
      poster.mockRestore();
    }
  });
});

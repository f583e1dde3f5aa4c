/** Previews of an image that does not decode: the failure is remembered, and no request decodes the bytes again. */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { imageServer } from '../../src/server/content-types/image.server.js';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { corruptLargePng } from '../support/images.js';
import { download, upload } from '../support/uploads.js';

describe.each(testDialects())('an image that does not decode, on %s', (dialect) => {
  let server: TestServer;
  let decodes: MockInstance;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    decodes = vi.spyOn(imageServer.previews, 'thumbnail');
  });
  afterAll(async () => {
    decodes.mockRestore();
    await server.close();
  });

  const thumbnail = async (client: Awaited<ReturnType<typeof createUser>>['client'], uploadId: string) => {
    const answer = await download(client, `/api/v1/uploads/${uploadId}/thumbnail`);
    return { status: answer.status, body: JSON.parse(answer.bytes.toString('utf8')) as { code: string; reason?: string; detail: string } };
  };

  it('is tried once: every thumbnail request then answers 404 "undecodable" without decoding it again', async () => {
    const owner = await createUser(server.url, 'Owner');
    const png = corruptLargePng(2100, 2000);
    const created = await upload(owner.client, png, 'big.png');
    expect(created.status).toBe(201); // too large to decode before answering
    await server.app.uploads.drain(); // the background attempt, which fails
    decodes.mockClear();

    for (let i = 0; i < 3; i++) {
      const answer = await thumbnail(owner.client, created.body.id);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'not_found', reason: 'undecodable' });
    }
    expect(decodes).not.toHaveBeenCalled();

    // Another upload of the same bytes knows it too.
    const again = await upload(owner.client, png, 'again.png');
    expect(again.status).toBe(201);
    await server.app.uploads.drain();
    expect((await thumbnail(owner.client, again.body.id)).body.reason).toBe('undecodable');
    expect(decodes).not.toHaveBeenCalled();
  });

  it('asked for before the background attempt, decodes once and remembers', async () => {
    const owner = await createUser(server.url, 'Owner 2');
    const png = corruptLargePng(2000, 2100);
    decodes.mockClear();
    const created = await upload(owner.client, png, 'early.png');
    expect(created.status).toBe(201);
    const answers = await Promise.all([thumbnail(owner.client, created.body.id), thumbnail(owner.client, created.body.id)]);
    await server.app.uploads.drain();
    expect(answers.map((answer) => answer.status)).toEqual([404, 404]);
    expect(await thumbnail(owner.client, created.body.id)).toMatchObject({ status: 404, body: { reason: 'undecodable' } });
    expect(decodes.mock.calls.length).toBeLessThanOrEqual(2); // the background job and a request may each start one
    decodes.mockClear();
    await thumbnail(owner.client, created.body.id);
    expect(decodes).not.toHaveBeenCalled();
  });
});

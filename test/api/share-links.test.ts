import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { shareList, tokenOf } from '../support/sharing.js';

describe.each(testDialects())('share links on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  /** A owns a list shared with B as editor, and makes an editor link; then hands ownership to B. */
  async function handedOver() {
    const a = await createUser(server.url, 'A');
    const b = await createUser(server.url, 'B');
    const list = await createList(a.client, 'L');
    await shareList(a.client, list.id, b, 'editor');
    const link = await a.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'editor' });
    expect(link.status).toBe(201);
    expect((await a.client.patch(`/api/v1/lists/${list.id}/members/${b.user.id}`, { role: 'owner' })).status).toBe(200);
    return { a, b, list, token: tokenOf(link.body.url) };
  }

  it('a link made by someone since removed from the list lets nobody in, its maker included', async () => {
    const { a, b, list, token } = await handedOver();
    expect((await b.client.delete(`/api/v1/lists/${list.id}/members/${a.user.id}`)).status).toBe(204);
    const back = await a.client.post('/api/v1/share-links/join', { token });
    expect([back.status, back.body.code]).toEqual([410, 'gone']);
    expect((await a.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    const stranger = await createUser(server.url);
    expect((await stranger.client.post('/api/v1/share-links/join', { token })).status).toBe(410);
    expect((await stranger.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('a link made by someone since demoted below managing share links lets nobody in', async () => {
    const { a, b, list, token } = await handedOver();
    expect((await b.client.patch(`/api/v1/lists/${list.id}/members/${a.user.id}`, { role: 'viewer' })).body.role).toBe('viewer');
    const stranger = await createUser(server.url);
    const joined = await stranger.client.post('/api/v1/share-links/join', { token });
    expect([joined.status, joined.body.code]).toEqual([410, 'gone']);
    expect((await stranger.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('handing ownership over ends the old owner\'s link (they stay an editor, who cannot manage links); the new owner makes their own', async () => {
    const { b, list, token } = await handedOver();
    const stranger = await createUser(server.url);
    expect((await stranger.client.post('/api/v1/share-links/join', { token })).status).toBe(410);
    const renewed = await b.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'editor' });
    const joined = await stranger.client.post('/api/v1/share-links/join', { token: tokenOf(renewed.body.url) });
    expect(joined.body.list).toMatchObject({ id: list.id, role: 'editor' });
  });
});

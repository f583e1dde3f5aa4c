import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { startFakeGiphy, type FakeGiphy } from '../support/fake-giphy.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('GIF search through Giphy (a local server in its format)', () => {
  let giphy: FakeGiphy;
  let server: TestServer;
  beforeAll(async () => {
    giphy = await startFakeGiphy('test-key');
    server = await startTestServer('sqlite', { gifSearch: { provider: 'giphy', apiKey: 'test-key', baseUrl: giphy.url } });
  });
  afterAll(async () => {
    await server.close();
    await giphy.close();
  });

  it('searches the provider and maps its results; a result becomes a gif block stored by reference', async () => {
    const { client } = await createUser(server.url);
    expect((await client.get('/api/v1/gifs/config')).body).toEqual({ enabled: true, provider: 'giphy' });
    const found = await client.get('/api/v1/gifs/search?q=cats&limit=10&offset=20');
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    const sent = giphy.requests.at(-1)!;
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({ api_key: 'test-key', q: 'cats', limit: '10', offset: '20', rating: 'g' });
    // The off-host, the malformed and the oversized results are dropped; a title loses its control and direction characters.
    expect(found.body.items.map((item: { providerId: string; title: string }) => [item.providerId, item.title])).toEqual([
      ['xT4uQulxzV39haRFjG', 'cats GIF'],
      ['3o7TKSjRrfIPjeiVyM', 'Another cats'],
      ['R1ghtToLeft', 'cats tac GIF'],
    ]);
    const [first] = found.body.items;
    expect(first).toEqual({
      provider: 'giphy',
      providerId: 'xT4uQulxzV39haRFjG',
      url: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/xT4uQulxzV39haRFjG/giphy.gif?cid=790b7611&rid=giphy.gif&ct=g',
      width: 480,
      height: 270,
      previewUrl: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/xT4uQulxzV39haRFjG/200w.gif?cid=790b7611&rid=200w.gif&ct=g',
      posterUrl: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/xT4uQulxzV39haRFjG/giphy_s.gif',
      title: 'cats GIF',
    });

    const task = await createTask(client, (await createList(client)).id, 'gif');
    const blocks = found.body.items.map(({ previewUrl: _preview, ...block }: { previewUrl: string }) => ({ type: 'gif', ...block }));
    const patched = await client.patch(`/api/v1/tasks/${task.id}`, { blocks }); // every result found can be saved
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.blocks).toEqual(blocks);
  });

  it('validates the query, needs a session, and turns provider failures into 503', async () => {
    const { client } = await createUser(server.url);
    expect((await client.get('/api/v1/gifs/search?q=')).body).toMatchObject({ status: 400, errors: [{ field: 'querystring.q' }] });
    expect((await client.get('/api/v1/gifs/search?q=x&limit=500')).status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/gifs/search?q=cats`)).status).toBe(401);
    giphy.status = 500;
    try {
      const failed = await client.get('/api/v1/gifs/search?q=cats');
      expect(failed.body).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(JSON.stringify(failed.body)).not.toContain('test-key');
    } finally {
      giphy.status = 200;
    }
  });

  it('answers the same search from memory, and holds each user to 20 provider searches a minute (429 with Retry-After)', async () => {
    const { client } = await createUser(server.url);
    const first = await client.get('/api/v1/gifs/search?q=Dogs');
    expect(first.status).toBe(200);
    const asked = giphy.requests.length;
    const other = await createUser(server.url);
    const again = await other.client.get('/api/v1/gifs/search?q=%20dogs%20'); // someone else, typed otherwise
    expect(again.body).toEqual(first.body);
    expect(giphy.requests.length).toBe(asked);

    for (let i = 1; i < 20; i++) expect((await client.get(`/api/v1/gifs/search?q=dog${i}`)).status).toBe(200);
    const refused = await client.get('/api/v1/gifs/search?q=dog20');
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(giphy.requests.length).toBe(asked + 19);
    // What is in memory still answers; another user still has their own budget.
    expect((await client.get('/api/v1/gifs/search?q=dog7')).status).toBe(200);
    expect((await other.client.get('/api/v1/gifs/search?q=dog20')).status).toBe(200);
  });

  it('does not remember a failure: the next search asks the provider again', async () => {
    const { client } = await createUser(server.url);
    giphy.status = 500;
    try {
      expect((await client.get('/api/v1/gifs/search?q=owls')).status).toBe(503);
    } finally {
      giphy.status = 200;
    }
    expect((await client.get('/api/v1/gifs/search?q=owls')).status).toBe(200);
  });
});

describe('GIF search without a provider key', () => {
  it('is off: the picker offers upload only', async () => {
    const server = await startTestServer('sqlite', { gifSearch: null });
    try {
      const { client } = await createUser(server.url);
      expect((await client.get('/api/v1/gifs/config')).body).toEqual({ enabled: false, provider: null });
      expect((await client.get('/api/v1/gifs/search?q=cats')).body).toMatchObject({ status: 404, code: 'not_found', enabled: false });
    } finally {
      await server.close();
    }
  });
});

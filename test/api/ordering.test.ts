/** Placing tasks and lists (`afterId` / `beforeId`), and paging through them in order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser, type ApiClient } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

const names = (items: { name?: string; title?: string }[]) => items.map((item) => item.title ?? item.name);

describe.each(testDialects())('ordering on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  describe('one placement at a time', () => {
    it('a task move naming both afterId and beforeId is refused, and the task stays where it was', async () => {
      const { client } = await createUser(server.url);
      const list = await createList(client);
      const [a, b, c] = [await createTask(client, list.id, 'a'), await createTask(client, list.id, 'b'), await createTask(client, list.id, 'c')];
      for (const body of [{ afterId: a.id, beforeId: b.id }, { afterId: null, beforeId: b.id }, { afterId: a.id, beforeId: null }]) {
        const refused = await client.post(`/api/v1/tasks/${c.id}/move`, body);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'beforeId', message: expect.stringContaining('afterId') }] });
      }
      expect(names((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items)).toEqual(['a', 'b', 'c']);
    });

    it('a list reorder naming both afterId and beforeId is refused, and the list stays where it was', async () => {
      const { client } = await createUser(server.url);
      const [a, b, c] = [await createList(client, 'A'), await createList(client, 'B'), await createList(client, 'C')];
      for (const body of [{ afterId: a.id, beforeId: b.id }, { afterId: null, beforeId: b.id }, { name: 'C2', afterId: a.id, beforeId: null }]) {
        const refused = await client.patch(`/api/v1/lists/${c.id}`, body);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'beforeId', message: expect.stringContaining('afterId') }] });
      }
      expect(names((await client.get('/api/v1/lists')).body.items)).toEqual(['A', 'B', 'C']);
    });

    it('beforeId: null means what the API documents: the end of a list for a task, the top for a list', async () => {
      const { client } = await createUser(server.url);
      const list = await createList(client, 'A');
      const [a] = [await createTask(client, list.id, 'a'), await createTask(client, list.id, 'b')];
      expect((await client.post(`/api/v1/tasks/${a.id}/move`, { beforeId: null })).status).toBe(200);
      expect(names((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items)).toEqual(['b', 'a']);

      const b = await createList(client, 'B');
      expect((await client.patch(`/api/v1/lists/${b.id}`, { beforeId: null })).status).toBe(200);
      expect(names((await client.get('/api/v1/lists')).body.items)).toEqual(['B', 'A']);

      const spec = (await client.get('/api/openapi.json')).body;
      const bodyOf = (path: string, method: string) => spec.paths[path][method].requestBody.content['application/json'].schema;
      const move = bodyOf('/api/v1/tasks/{taskId}/move', 'post').properties;
      expect(move.beforeId.description).toMatch(/`null`: at the end/);
      expect(move.afterId.description).toMatch(/`null`: at the top/);
      const reorder = bodyOf('/api/v1/lists/{listId}', 'patch').properties;
      expect(reorder.beforeId.description).toMatch(/`null`: at the top/);
      expect(reorder.afterId.description).toMatch(/`null`: at the top/);
    });
  });
});

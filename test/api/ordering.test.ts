/** Placing tasks and lists (`afterId` / `beforeId`), and paging through them in order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser, type ApiClient } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

const names = (items: { name?: string; title?: string }[]) => items.map((item) => item.title ?? item.name);

type Item = { id: string; position: string; name?: string; title?: string };
const byteOrder = (a: Item, b: Item) => (a.position !== b.position ? (a.position < b.position ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every page of `path` (`limit` per page), following nextCursor; fails on any answer but 200. */
async function allPages(client: ApiClient, path: string, limit: number, from: string | null = null) {
  const items: Item[] = [];
  const cursors: string[] = [];
  let cursor: string | null = from;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await client.get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    if (page.status !== 200) throw new Error(`page ${cursors.length + 1}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { items, cursors };
}

/** `count` tasks inserted one by one right after the list's first task: each position is a little longer than the last. */
async function tasksAfterOne(client: ApiClient, count: number) {
  const list = await createList(client);
  const anchor = await createTask(client, list.id, 'anchor');
  await createTask(client, list.id, 'tail');
  for (let i = 0; i < count; i++) await createTask(client, list.id, `n${i}`, { afterId: anchor.id });
  const all = (await client.get(`/api/v1/lists/${list.id}/tasks?limit=${count + 2}`)).body.items as Item[];
  return { list, all };
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

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
      for (const body of [
        { afterId: a.id, beforeId: b.id },
        { afterId: null, beforeId: b.id },
        { afterId: a.id, beforeId: null },
      ]) {
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
      for (const body of [
        { afterId: a.id, beforeId: b.id },
        { afterId: null, beforeId: b.id },
        { name: 'C2', afterId: a.id, beforeId: null },
      ]) {
        const refused = await client.patch(`/api/v1/lists/${c.id}`, body);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'beforeId', message: expect.stringContaining('afterId') }] });
      }
      expect(names((await client.get('/api/v1/lists')).body.items)).toEqual(['A', 'B', 'C']);
    });

    it('beforeId: null means the end, afterId: null the top, for a task and for a list alike', async () => {
      const { client } = await createUser(server.url);
      const list = await createList(client, 'A');
      const [a] = [await createTask(client, list.id, 'a'), await createTask(client, list.id, 'b')];
      expect((await client.post(`/api/v1/tasks/${a.id}/move`, { beforeId: null })).status).toBe(200);
      expect(names((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items)).toEqual(['b', 'a']);

      const b = await createList(client, 'B');
      await createList(client, 'C');
      expect((await client.patch(`/api/v1/lists/${b.id}`, { afterId: null })).status).toBe(200);
      expect(names((await client.get('/api/v1/lists')).body.items)).toEqual(['B', 'A', 'C']);
      expect((await client.patch(`/api/v1/lists/${b.id}`, { beforeId: null })).status).toBe(200);
      expect(names((await client.get('/api/v1/lists')).body.items)).toEqual(['A', 'C', 'B']);

      const spec = (await client.get('/api/openapi.json')).body;
      const bodyOf = (path: string, method: string) => spec.paths[path][method].requestBody.content['application/json'].schema;
      const move = bodyOf('/api/v1/tasks/{taskId}/move', 'post').properties;
      expect(move.beforeId.description).toMatch(/`null`: at the end/);
      expect(move.afterId.description).toMatch(/`null`: at the top/);
      const reorder = bodyOf('/api/v1/lists/{listId}', 'patch').properties;
      expect(reorder.beforeId.description).toMatch(/`null`: at the end/);
      expect(reorder.afterId.description).toMatch(/`null`: at the top/);
    });
  });

  describe('paging through items whose positions grew long', () => {
    it('1,200 tasks inserted after one task: every page of the list comes back, each task exactly once, in order', async () => {
      const { client } = await createUser(server.url);
      const { list, all } = await tasksAfterOne(client, 1_200);
      expect(all).toHaveLength(1_202);
      expect(Math.max(...all.map((t) => t.position.length))).toBeGreaterThan(200);

      for (const limit of [2, 25]) {
        const { items, cursors } = await allPages(client, `/api/v1/lists/${list.id}/tasks`, limit);
        expect(items.map((t) => t.id)).toEqual(all.map((t) => t.id));
        expect(new Set(items.map((t) => t.id)).size).toBe(1_202);
        expect([...items].sort(byteOrder).map((t) => t.id)).toEqual(items.map((t) => t.id));
        expect(Math.max(...cursors.map((c) => c.length))).toBeLessThanOrEqual(500);
      }
    }, 120_000);

    it('the trash pages the same way, and a trashed task still marks where its page ended', async () => {
      const { client } = await createUser(server.url);
      const { list, all } = await tasksAfterOne(client, 1_200);
      const first = await client.get(`/api/v1/lists/${list.id}/tasks?limit=2`);
      expect(first.body.items[1].position.length).toBeGreaterThan(200);
      // The last task of the page goes to the trash: it keeps its row and its position.
      expect((await client.delete(`/api/v1/tasks/${first.body.items[1].id}`)).status).toBe(204);
      const rest = (await allPages(client, `/api/v1/lists/${list.id}/tasks`, 50, first.body.nextCursor)).items;
      expect(rest.map((t) => t.id)).toEqual(all.slice(2).map((t) => t.id));

      // 30 long-positioned tasks in the trash, paged 7 at a time.
      const trashed = all.slice(2, 32);
      for (const task of trashed) expect((await client.delete(`/api/v1/tasks/${task.id}`)).status).toBe(204);
      const trash = await allPages(client, `/api/v1/lists/${list.id}/trash`, 7);
      expect(trash.items.map((t) => t.id)).toEqual([first.body.items[1], ...trashed].sort(byteOrder).map((t) => t.id));
    }, 120_000);

    it('a page ends on a task that then leaves the list: the next page skips nothing (a few tasks may come again)', async () => {
      const { client } = await createUser(server.url);
      const { list, all } = await tasksAfterOne(client, 1_500);
      const elsewhere = await createList(client, 'Elsewhere');
      const first = await client.get(`/api/v1/lists/${list.id}/tasks?limit=20`);
      const last = first.body.items[19] as Item;
      expect(last.position.length).toBeGreaterThan(200);
      expect((await client.post(`/api/v1/tasks/${last.id}/move`, { listId: elsewhere.id })).status).toBe(200);

      const rest = (await allPages(client, `/api/v1/lists/${list.id}/tasks`, 100, first.body.nextCursor)).items;
      const seen = new Set([...first.body.items.slice(0, 19), ...rest].map((t: Item) => t.id));
      expect([...seen].sort()).toEqual(
        all
          .filter((t) => t.id !== last.id)
          .map((t) => t.id)
          .sort(),
      );
      // It resumed from the start of where that task was: after the anchor, at the first task sharing those 200 characters.
      expect(rest[0]!.id).not.toBe(all[0]!.id);
      expect([...rest].sort(byteOrder)).toEqual(rest);
      expect(rest.map((t) => t.id)).not.toContain(last.id);
    }, 120_000);

    it('lists whose positions grew long page through each list exactly once, even after the list a page ended on is deleted', async () => {
      const { client } = await createUser(server.url);
      const [a, x, y] = [await createList(client, 'A'), await createList(client, 'X'), await createList(client, 'Y')];
      await createList(client, 'Z');
      // X and Y, moved in turn right after A, squeeze between A and each other: their positions grow.
      for (let i = 0; i < 1_300; i++) {
        const moved = await client.patch(`/api/v1/lists/${(i % 2 ? y : x).id}`, { afterId: a.id });
        expect(moved.status).toBe(200);
      }
      const all = (await client.get('/api/v1/lists')).body.items as Item[];
      expect(names(all)).toEqual(['A', 'Y', 'X', 'Z']);
      expect(Math.max(...all.map((l) => l.position.length))).toBeGreaterThan(200);

      const { items, cursors } = await allPages(client, '/api/v1/lists', 1);
      expect(names(items)).toEqual(['A', 'Y', 'X', 'Z']);
      expect(cursors.some((c) => c.length > 300)).toBe(true); // a cursor of a long position was followed

      const first = await client.get('/api/v1/lists?limit=2');
      expect(names(first.body.items)).toEqual(['A', 'Y']);
      expect((await client.delete(`/api/v1/lists/${y.id}`)).status).toBe(204);
      const rest = await client.get(`/api/v1/lists?limit=10&cursor=${first.body.nextCursor}`);
      expect(rest.status).toBe(200);
      expect(names(rest.body.items)).toEqual(['X', 'Z']);
    }, 120_000);

    it('a cursor of the old form still works; tampered cursors are 400', async () => {
      const { client } = await createUser(server.url);
      const { list, all } = await tasksAfterOne(client, 1_200);
      const short = all.find((t) => t.position.length < 10)!;
      const index = all.indexOf(short);
      const old = await client.get(`/api/v1/lists/${list.id}/tasks?limit=3&cursor=${cursorOf([short.position, short.id])}`);
      expect(old.status).toBe(200);
      expect(old.body.items.map((t: Item) => t.id)).toEqual(all.slice(index + 1, index + 4).map((t) => t.id));

      const long = all[1]!;
      expect(long.position.length).toBeGreaterThan(200);
      const refused = [
        'garbage',
        cursorOf([long.position, long.id]), // a part over 200 characters
        cursorOf([long.position.slice(0, 200), long.id, 'not a digest']),
        cursorOf([long.position.slice(0, 200), long.id, 'A'.repeat(22), 'more']),
        cursorOf([1, long.id]),
        cursorOf({ position: 'a0', id: long.id }),
        'x'.repeat(501),
      ];
      for (const cursor of refused) {
        const answer = await client.get(`/api/v1/lists/${list.id}/tasks?limit=2&cursor=${cursor}`);
        expect(answer.status, cursor).toBe(400);
        expect(answer.body).toMatchObject({ code: 'validation_failed', errors: [{ field: expect.stringMatching(/cursor/) }] });
        expect((await client.get(`/api/v1/lists?cursor=${cursor}`)).status, cursor).toBe(400);
      }
      // A made-up digest is no better than the position's start: the page resumes from there, never fails.
      const forged = await client.get(`/api/v1/lists/${list.id}/tasks?limit=2&cursor=${cursorOf([long.position.slice(0, 200), long.id, 'A'.repeat(22)])}`);
      expect(forged.status).toBe(200);
    }, 120_000);
  });
});

/**
 * Pages of tasks are bounded by size as well as by count (`limits.taskPageBytes`): a list of large tasks is read whole
 * over several pages, each within the budget, instead of one answer too big to build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '../../src/core/limits.js';
import { createList, createUser, type ApiClient } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Just under the 1 MiB request body: 46 text blocks of 20,000 characters and 20,000 of notes. */
const bigTask = (title: string) => ({
  title,
  notes: 'n'.repeat(limits.taskNotesMax),
  blocks: Array.from({ length: 46 }, (_, i) => ({ type: 'text', text: String.fromCharCode(97 + (i % 26)).repeat(20_000) })),
});

/** Every page of `path`, following `nextCursor`; each answer must be a 200 with at least one task. */
async function readAllPages(client: ApiClient, path: string) {
  const pages: { ids: string[]; bytes: number }[] = [];
  let cursor: string | null = null;
  do {
    const response = await client.get(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    expect(response.status, `${path}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(200);
    const items = response.body.items as { id: string }[];
    expect(items.length).toBeGreaterThan(0);
    pages.push({ ids: items.map((task) => task.id), bytes: Buffer.byteLength(JSON.stringify(items)) });
    cursor = response.body.nextCursor as string | null;
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return pages;
}

describe.each(testDialects())('pages of large tasks on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('answers a list of tasks weighing more than a page in pages within the byte budget, complete and in order', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client, 'Big');
    // 18 tasks of ~0.9 MiB: about 16 MiB, two budgets' worth and some.
    const ids: string[] = [];
    for (let i = 0; i < 18; i++) {
      const created = await client.post(`/api/v1/lists/${list.id}/tasks`, bigTask(`needle ${i}`));
      expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
      ids.push(created.body.id as string);
      expect((await client.patch(`/api/v1/tasks/${created.body.id}`, { assigneeId: user.id })).status).toBe(200);
    }

    const check = (pages: { ids: string[]; bytes: number }[], expected: string[]) => {
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
      expect(pages.length).toBe(3);
      for (const page of pages) expect(page.bytes).toBeLessThanOrEqual(limits.taskPageBytes);
    };
    // The web app's request (limit 1000), the default one, assigned to me (up to 10,000), and search (up to 200).
    check(await readAllPages(client, `/api/v1/lists/${list.id}/tasks?limit=1000`), ids);
    check(await readAllPages(client, `/api/v1/lists/${list.id}/tasks?done=false`), ids);
    check(await readAllPages(client, `/api/v1/tasks?assignee=me&limit=10000`), ids);
    check(await readAllPages(client, `/api/v1/tasks/search?q=needle&limit=200`), [...ids].reverse());

    // A count limit still ends a page first when it comes first.
    const byTwo = await readAllPages(client, `/api/v1/lists/${list.id}/tasks?limit=2`);
    expect(byTwo.map((page) => page.ids.length)).toEqual(Array(9).fill(2));

    for (const id of ids) expect((await client.delete(`/api/v1/tasks/${id}`)).status).toBe(204);
    check(await readAllPages(client, `/api/v1/lists/${list.id}/trash?limit=1000`), ids);
  }, 120_000);

  it("answers a list's history of a large task in pages within the byte budget too: each event carries the whole task", async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client, 'Big history');
    const created = await client.post(`/api/v1/lists/${list.id}/tasks`, bigTask('draft 0'));
    expect(created.status).toBe(201);
    for (let i = 1; i < 18; i++) expect((await client.patch(`/api/v1/tasks/${created.body.id}`, { title: `draft ${i}` })).status).toBe(200);

    const pages = await readAllPages(client, `/api/v1/lists/${list.id}/activity?limit=500`);
    expect(pages.flatMap((page) => page.ids)).toHaveLength(18 + 1); // the list's creation too
    expect(new Set(pages.flatMap((page) => page.ids)).size).toBe(19);
    expect(pages.length).toBe(3);
    for (const page of pages) expect(page.bytes).toBeLessThanOrEqual(limits.activityPageBytes);
  }, 60_000);
});

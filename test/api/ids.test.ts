/** Ids are UUIDs in any case: one in upper case names the same thing as its lower-case spelling. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('ids in upper case on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('finds and changes a list and a task named by upper-case ids, in the path and in the body', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client, 'Groceries');
    const other = await createList(client, 'Later');
    const task = await createTask(client, list.id, 'milk');

    const gotList = await client.get(`/api/v1/lists/${list.id.toUpperCase()}`);
    expect(gotList.status).toBe(200);
    expect(gotList.body.id).toBe(list.id);
    expect((await client.get(`/api/v1/lists/${list.id.toUpperCase()}/tasks`)).body.items).toEqual([expect.objectContaining({ id: task.id })]);
    expect((await client.get(`/api/v1/tasks/${task.id.toUpperCase()}`)).body).toMatchObject({ id: task.id, title: 'milk' });

    const patched = await client.patch(`/api/v1/tasks/${task.id.toUpperCase()}`, { title: 'oat milk', assigneeId: user.id.toUpperCase() });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ id: task.id, title: 'oat milk', assigneeId: user.id });
    expect((await client.patch(`/api/v1/lists/${list.id.toUpperCase()}`, { name: 'Shopping' })).body).toMatchObject({ id: list.id, name: 'Shopping' });

    const moved = await client.post(`/api/v1/tasks/${task.id.toUpperCase()}/move`, { listId: other.id.toUpperCase() });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.listId).toBe(other.id);
    expect((await client.get(`/api/v1/tasks?assignee=me`)).body.items).toEqual([expect.objectContaining({ id: task.id, listId: other.id })]);
  });
});

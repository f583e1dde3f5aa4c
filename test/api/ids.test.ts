/** Ids are UUIDs in any case: one in upper case names the same thing as its lower-case spelling. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TestSocket } from '../support/socket.js';
import { upload } from '../support/uploads.js';

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

  it('takes upper-case ids in an upload form and a real-time subscription too', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client, 'Photos');
    const byForm = await upload(client, Buffer.from('hello'), 'note.txt', { contentType: 'text/plain', fields: { listId: list.id.toUpperCase() } });
    expect(byForm.status, JSON.stringify(byForm.body)).toBe(201);
    // The same id in both places, spelt differently, is the same id.
    const both = await upload(client, Buffer.from('hello'), 'note.txt', {
      contentType: 'text/plain',
      query: `?listId=${list.id}`,
      fields: { listId: list.id.toUpperCase() },
    });
    expect(both.status, JSON.stringify(both.body)).toBe(201);

    const socket = await TestSocket.open(server.url, client);
    socket.send({ type: 'subscribe', listId: list.id.toUpperCase() });
    expect(await socket.next((m) => m.type === 'subscribed' || m.type === 'error')).toMatchObject({ type: 'subscribed', listId: list.id });
    await createTask(client, list.id, 'live');
    expect(await socket.next((m) => m.type === 'change')).toMatchObject({ listId: list.id, data: { task: { title: 'live' } } });
    socket.close();
  });
});

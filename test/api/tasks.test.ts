import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { shareList } from '../support/sharing.js';
import { createTeamWorkspace } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runMaintenance } from '../../src/server/jobs/maintenance.js';

const titles = (items: { title: string }[]) => items.map((t) => t.title);

describe.each(testDialects())('lists and tasks on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('creates, renames, archives, reorders and deletes lists', async () => {
    const { client } = await createUser(server.url);
    const a = await createList(client, 'A');
    const b = await createList(client, 'B');
    const c = await createList(client, 'C');
    expect(a).toMatchObject({ name: 'A', role: 'owner', version: 1, archived: false });

    const renamed = await client.patch(`/api/v1/lists/${a.id}`, { name: 'Alpha' });
    expect(renamed.body).toMatchObject({ name: 'Alpha', version: 2 });

    expect((await client.patch(`/api/v1/lists/${c.id}`, { afterId: null })).status).toBe(200); // to the top
    expect((await client.patch(`/api/v1/lists/${a.id}`, { beforeId: b.id })).status).toBe(200);
    expect((await client.get('/api/v1/lists')).body.items.map((l: { name: string }) => l.name)).toEqual(['C', 'Alpha', 'B']);

    await client.patch(`/api/v1/lists/${b.id}`, { archived: true });
    expect((await client.get('/api/v1/lists?archived=false')).body.items).toHaveLength(2);
    expect((await client.get('/api/v1/lists?archived=true')).body.items).toEqual([expect.objectContaining({ id: b.id, archived: true })]);

    expect((await client.delete(`/api/v1/lists/${c.id}`)).status).toBe(204);
    expect((await client.get(`/api/v1/lists/${c.id}`)).status).toBe(404);
  });

  it('paginates collections with a cursor', async () => {
    const { client } = await createUser(server.url);
    for (const name of ['1', '2', '3', '4', '5']) await createList(client, name);
    const first = await client.get('/api/v1/lists?limit=2');
    expect(first.body.items.map((l: { name: string }) => l.name)).toEqual(['1', '2']);
    const second = await client.get(`/api/v1/lists?limit=2&cursor=${first.body.nextCursor}`);
    const third = await client.get(`/api/v1/lists?limit=2&cursor=${second.body.nextCursor}`);
    expect([...second.body.items, ...third.body.items].map((l: { name: string }) => l.name)).toEqual(['3', '4', '5']);
    expect(third.body.nextCursor).toBeNull();
    expect((await client.get('/api/v1/lists?cursor=garbage')).body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'cursor' }] });
  });

  it('adds tasks in order, and every change bumps the list version by one', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client);
    const task = await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'Milk', notes: '2 litres', priority: 1, dueDate: '2026-03-05' });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({
      listId: list.id,
      title: 'Milk',
      notes: '2 litres',
      done: false,
      priority: 1,
      dueDate: '2026-03-05',
      createdBy: user.id,
      completedAt: null,
    });
    await createTask(client, list.id, 'Eggs');
    await createTask(client, list.id, 'Bread', { dueDate: { dateTime: '2026-03-05T18:30', timeZone: 'Europe/Paris' } });
    const page = await client.get(`/api/v1/lists/${list.id}/tasks`);
    expect(titles(page.body.items)).toEqual(['Milk', 'Eggs', 'Bread']);
    expect(page.body.items[2].dueDate).toEqual({ dateTime: '2026-03-05T18:30', timeZone: 'Europe/Paris' });
    expect((await client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(list.version + 3);
  });

  it('completes with completedAt/completedBy and reopens', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Call mum');
    server.clock.set('2026-03-02T10:00:00Z');
    const done = await client.patch(`/api/v1/tasks/${task.id}`, { done: true });
    expect(done.body).toMatchObject({ done: true, completedAt: '2026-03-02T10:00:00.000Z', completedBy: user.id });
    const reopened = await client.patch(`/api/v1/tasks/${task.id}`, { done: false });
    expect(reopened.body).toMatchObject({ done: false, completedAt: null, completedBy: null });
    const edited = await client.patch(`/api/v1/tasks/${task.id}`, { title: 'Call mum back', priority: 2, dueDate: null, notes: 'Sunday' });
    expect(edited.body).toMatchObject({ title: 'Call mum back', priority: 2, dueDate: null, notes: 'Sunday' });
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body).toEqual(edited.body);
  });

  it('reorders within a list and moves between lists by fractional index', async () => {
    const { client } = await createUser(server.url);
    const home = await createList(client, 'Home');
    const work = await createList(client, 'Work');
    const [a, b, c] = [await createTask(client, home.id, 'a'), await createTask(client, home.id, 'b'), await createTask(client, home.id, 'c')];
    await client.post(`/api/v1/tasks/${c.id}/move`, { afterId: null });
    expect(titles((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items)).toEqual(['c', 'a', 'b']);
    await client.post(`/api/v1/tasks/${c.id}/move`, { afterId: a.id });
    expect(titles((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items)).toEqual(['a', 'c', 'b']);
    await client.post(`/api/v1/tasks/${b.id}/move`, { beforeId: a.id });
    expect(titles((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items)).toEqual(['b', 'a', 'c']);

    const w = await createTask(client, work.id, 'w');
    const moved = await client.post(`/api/v1/tasks/${a.id}/move`, { listId: work.id, beforeId: w.id });
    expect(moved.body.listId).toBe(work.id);
    expect(titles((await client.get(`/api/v1/lists/${work.id}/tasks`)).body.items)).toEqual(['a', 'w']);
    expect(titles((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items)).toEqual(['b', 'c']);

    const bad = await client.post(`/api/v1/tasks/${b.id}/move`, { afterId: w.id });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'afterId' })]);

    // Its uploads, storage and billing belong to its workspace: a task stays in it.
    const team = await createTeamWorkspace(client, 'Elsewhere');
    const teamList = (await client.post('/api/v1/lists', { name: 'Team', workspaceId: team.id })).body;
    const away = await client.post(`/api/v1/tasks/${b.id}/move`, { listId: teamList.id });
    expect(away.status).toBe(400);
    expect(away.body.errors).toEqual([expect.objectContaining({ field: 'listId', message: 'must be a list of the same workspace' })]);
    expect(titles((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items)).toEqual(['b', 'c']);
  });

  it('many concurrent inserts at one spot keep every task, in a total order without duplicates', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const first = await createTask(client, list.id, 'first');
    await createTask(client, list.id, 'last');
    await Promise.all(Array.from({ length: 20 }, (_, i) => createTask(client, list.id, `mid ${i}`, { afterId: first.id })));
    const items = (await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items as { position: string; title: string }[];
    expect(items).toHaveLength(22);
    expect(new Set(items.map((t) => t.position)).size).toBe(22);
    expect(items[0]!.title).toBe('first');
    expect(items[21]!.title).toBe('last');
  });

  it('a rename and a completion by two people at once both survive (last writer wins per field)', async () => {
    const a = await createUser(server.url);
    const b = await createUser(server.url);
    const list = await createList(a.client);
    await shareList(a.client, list.id, b, 'editor');
    for (let round = 0; round < 8; round++) {
      const task = await createTask(a.client, list.id, `t${round}`);
      const [renamed, completed] = await Promise.all([
        a.client.patch(`/api/v1/tasks/${task.id}`, { title: `renamed ${round}` }),
        b.client.patch(`/api/v1/tasks/${task.id}`, { done: true }),
      ]);
      expect([renamed.status, completed.status]).toEqual([200, 200]);
      expect((await a.client.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ title: `renamed ${round}`, done: true });
    }
  });

  it("a task's updatedAt grows with every change even when the clock steps back (another node, a clock reset)", async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Stamped');
    const stamps: string[] = [(await client.get(`/api/v1/tasks/${task.id}`)).body.updatedAt];
    const change = async (call: Promise<{ status: number; body: any }>) => {
      const answer = await call;
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      server.clock.advance(-60_000);
      return answer;
    };
    server.clock.advance(-60_000);
    stamps.push((await change(client.patch(`/api/v1/tasks/${task.id}`, { title: 'Renamed' }))).body.updatedAt);
    stamps.push((await change(client.post(`/api/v1/tasks/${task.id}/move`, { afterId: null }))).body.updatedAt);
    await change(client.delete(`/api/v1/tasks/${task.id}`));
    stamps.push((await client.get(`/api/v1/tasks/${task.id}`)).body.updatedAt);
    stamps.push((await change(client.post(`/api/v1/tasks/${task.id}/restore`))).body.updatedAt);
    expect(stamps).toEqual([...stamps].sort());
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('an edit racing a move to another list lands on the task where it now is, and neither is lost', async () => {
    const { client } = await createUser(server.url);
    const home = await createList(client, 'Home');
    const work = await createList(client, 'Work');
    for (let round = 0; round < 8; round++) {
      const task = await createTask(client, home.id, `t${round}`);
      const [moved, edited] = await Promise.all([
        client.post(`/api/v1/tasks/${task.id}/move`, { listId: work.id }),
        client.patch(`/api/v1/tasks/${task.id}`, { title: `edited ${round}`, done: true }),
      ]);
      expect([moved.status, edited.status]).toEqual([200, 200]);
      expect((await client.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ listId: work.id, title: `edited ${round}`, done: true });
    }
    expect(titles((await client.get(`/api/v1/lists/${work.id}/tasks`)).body.items)).toHaveLength(8);
    expect((await client.get(`/api/v1/lists/${home.id}/tasks`)).body.items).toEqual([]);
  });

  it('deletes to the trash, restores within 30 days, not after', async () => {
    const { client, email, password } = await createUser(server.url);
    const list = await createList(client);
    const a = await createTask(client, list.id, 'a');
    const b = await createTask(client, list.id, 'b');
    expect((await client.delete(`/api/v1/tasks/${a.id}`)).status).toBe(204);
    expect(titles((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items)).toEqual(['b']);
    expect(titles((await client.get(`/api/v1/lists/${list.id}/trash`)).body.items)).toEqual(['a']);
    const edit = await client.patch(`/api/v1/tasks/${a.id}`, { title: 'edited while deleted' });
    expect(edit.status).toBe(422);
    expect(edit.body.code).toBe('task_deleted');

    const restored = await client.post(`/api/v1/tasks/${a.id}/restore`);
    expect(restored.status).toBe(200);
    expect(titles((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items)).toEqual(['a', 'b']);

    await client.delete(`/api/v1/tasks/${b.id}`);
    server.clock.advance(31 * 86_400_000);
    await client.post('/api/v1/auth/login', { email, password }); // the 30-day session has expired too
    expect((await client.post(`/api/v1/tasks/${b.id}/restore`)).status).toBe(404);
  });

  it("past the trash's 30 days a task is gone everywhere before the purge, and the purge takes its notifications", async () => {
    const day = 86_400_000;
    const alice = await createUser(server.url, 'Alice');
    const mike = await createUser(server.url, 'Mike');
    const list = await createList(alice.client, 'Plans');
    await shareList(alice.client, list.id, mike, 'editor');
    const old = await createTask(alice.client, list.id, 'Secret plan');
    const recent = await createTask(alice.client, list.id, 'Later plan');
    for (const task of [old, recent]) expect((await alice.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: mike.user.id })).status).toBe(200);
    expect((await alice.client.post(`/api/v1/tasks/${old.id}/comments`, { body: `@${mike.email} the code is 1234` })).status).toBe(201);
    const ofTask = (items: { taskId: string | null; type: string }[], taskId: string) => items.filter((n) => n.taskId === taskId);
    const before = (await mike.client.get('/api/v1/notifications')).body;
    expect(
      ofTask(before.items, old.id)
        .map((n) => n.type)
        .sort(),
    ).toEqual(['assigned', 'mentioned']);

    expect((await alice.client.delete(`/api/v1/tasks/${old.id}`)).status).toBe(204);
    server.clock.advance(day);
    expect((await alice.client.delete(`/api/v1/tasks/${recent.id}`)).status).toBe(204);
    server.clock.advance(29 * day + 60_000); // `old` is 30 days and a minute in the trash, `recent` a day less
    for (const { client, email, password } of [alice, mike]) await client.post('/api/v1/auth/login', { email, password });

    // Before any purge: gone for the trash, GET and restore alike; the task deleted a day later is still there.
    expect(titles((await alice.client.get(`/api/v1/lists/${list.id}/trash`)).body.items)).toEqual(['Later plan']);
    expect((await alice.client.get(`/api/v1/tasks/${old.id}`)).status).toBe(404);
    expect((await alice.client.post(`/api/v1/tasks/${old.id}/restore`)).status).toBe(404);
    expect((await alice.client.get(`/api/v1/tasks/${old.id}/comments`)).status).toBe(404); // the mention's text with it
    expect((await alice.client.post(`/api/v1/tasks/${old.id}/move`, { afterId: null })).status).toBe(404);
    expect((await alice.client.get(`/api/v1/tasks/${recent.id}`)).body).toMatchObject({ title: 'Later plan', deletedAt: expect.any(String) });

    await runMaintenance(server.app.listo, server.app.uploads);
    const after = (await mike.client.get('/api/v1/notifications')).body;
    expect(ofTask(after.items, old.id)).toEqual([]);
    expect(ofTask(after.items, recent.id)).toHaveLength(1); // a task still in the trash keeps its notification
    expect(after.unreadCount).toBe(before.unreadCount - 2);
    expect((await alice.client.get(`/api/v1/tasks/${recent.id}`)).status).toBe(200);
    expect((await alice.client.post(`/api/v1/tasks/${recent.id}/restore`)).status).toBe(200);
  });

  it("hides other people's lists and tasks with 404, exactly like missing ones", async () => {
    const alice = await createUser(server.url, 'Alice');
    const mallory = await createUser(server.url, 'Mallory');
    const list = await createList(alice.client, 'Private');
    const task = await createTask(alice.client, list.id, 'secret');
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const [method, path, body] of [
      ['GET', `/api/v1/lists/${list.id}`],
      ['PATCH', `/api/v1/lists/${list.id}`, { name: 'mine' }],
      ['DELETE', `/api/v1/lists/${list.id}`],
      ['GET', `/api/v1/lists/${list.id}/tasks`],
      ['POST', `/api/v1/lists/${list.id}/tasks`, { title: 'x' }],
      ['GET', `/api/v1/tasks/${task.id}`],
      ['PATCH', `/api/v1/tasks/${task.id}`, { done: true }],
      ['DELETE', `/api/v1/tasks/${task.id}`],
      ['POST', `/api/v1/tasks/${task.id}/move`, {}],
      ['POST', `/api/v1/tasks/${task.id}/restore`],
      ['GET', `/api/v1/tasks/${missing}`],
    ] as const) {
      const response = await mallory.client.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
    expect((await alice.client.get(`/api/v1/tasks/${task.id}`)).body.done).toBe(false);
    expect((await mallory.client.get('/api/v1/lists')).body.items).toEqual([]);
  });

  it("cannot move a task into someone else's list", async () => {
    const alice = await createUser(server.url);
    const mallory = await createUser(server.url);
    const mine = await createList(mallory.client);
    const task = await createTask(mallory.client, mine.id, 'x');
    const theirs = await createList(alice.client);
    expect((await mallory.client.post(`/api/v1/tasks/${task.id}/move`, { listId: theirs.id })).status).toBe(404);
  });
});

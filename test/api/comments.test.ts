import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { shareList } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('comments, mentions, assignments and notifications on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const setup = async () => {
    const owner = await createUser(server.url, 'Owner');
    const commenter = await createUser(server.url, 'Carla');
    const viewer = await createUser(server.url, 'Vic');
    const outsider = await createUser(server.url, 'Outsider');
    const list = await createList(owner.client, 'Project');
    await shareList(owner.client, list.id, commenter, 'commenter');
    await shareList(owner.client, list.id, viewer, 'viewer');
    const task = await createTask(owner.client, list.id, 'Write the plan');
    return { owner, commenter, viewer, outsider, list, task };
  };
  const notificationsOf = async (person: { client: { get: (path: string) => Promise<{ body: any }> } }) =>
    (await person.client.get('/api/v1/notifications')).body;

  it('stores the Markdown source as written, records comment.created, and mentions only list members', async () => {
    const { owner, commenter, viewer, outsider, list, task } = await setup();
    const body = `**Plan** is ready, @${viewer.email.toUpperCase()} and @${outsider.email} — see <script>alert(1)</script> [link](javascript:x) cc @${commenter.email}`;
    const created = await commenter.client.post(`/api/v1/tasks/${task.id}/comments`, { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      taskId: task.id,
      listId: list.id,
      authorId: commenter.user.id,
      authorName: 'Carla',
      body,
      mentions: [viewer.user.id, commenter.user.id],
    });

    const mentioned = await notificationsOf(viewer);
    expect(mentioned.items[0]).toMatchObject({
      type: 'mentioned',
      actorId: commenter.user.id,
      taskId: task.id,
      commentId: created.body.id,
      read: false,
      data: { actorName: 'Carla', listName: 'Project', taskTitle: 'Write the plan' },
    });
    expect((await notificationsOf(outsider)).items).toEqual([]); // not a member: no notification, no leak
    expect((await notificationsOf(commenter)).items.filter((n: { type: string }) => n.type === 'mentioned')).toEqual([]); // not for mentioning yourself

    const [event] = (await owner.client.get(`/api/v1/lists/${list.id}/activity?limit=1`)).body.items;
    expect(event).toMatchObject({ type: 'comment.created', taskId: task.id, actorId: commenter.user.id, data: { comment: { id: created.body.id } } });
  });

  it('a task moved to another list takes its notifications along for those who see that list, and not for the others', async () => {
    const { owner, commenter, viewer, task } = await setup();
    const other = await createList(owner.client, 'Elsewhere');
    await shareList(owner.client, other.id, commenter, 'commenter'); // Carla sees both lists, Vic only the first
    const created = await owner.client.post(`/api/v1/tasks/${task.id}/comments`, { body: `@${viewer.email} @${commenter.email} have a look` });
    expect(created.status).toBe(201);
    const aboutTask = async (person: typeof viewer) => (await notificationsOf(person)).items.filter((n: { taskId: string | null }) => n.taskId === task.id);
    expect(await aboutTask(viewer)).toHaveLength(1);
    const unreadBefore = (await notificationsOf(viewer)).unreadCount;

    expect((await owner.client.post(`/api/v1/tasks/${task.id}/move`, { listId: other.id, afterId: null })).status).toBe(200);
    expect(await aboutTask(viewer)).toEqual([]);
    expect((await notificationsOf(viewer)).unreadCount).toBe(unreadBefore - 1);
    expect(await aboutTask(commenter)).toEqual([expect.objectContaining({ type: 'mentioned', listId: other.id })]);
  });

  it('lists comments oldest first, paginated; viewers read but cannot write', async () => {
    const { owner, commenter, viewer, task } = await setup();
    for (const text of ['one', 'two', 'three']) expect((await commenter.client.post(`/api/v1/tasks/${task.id}/comments`, { body: text })).status).toBe(201);
    const first = await viewer.client.get(`/api/v1/tasks/${task.id}/comments?limit=2`);
    expect(first.body.items.map((c: { body: string }) => c.body)).toEqual(['one', 'two']);
    const rest = await viewer.client.get(`/api/v1/tasks/${task.id}/comments?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [expect.objectContaining({ body: 'three' })], nextCursor: null });
    const denied = await viewer.client.post(`/api/v1/tasks/${task.id}/comments`, { body: 'me too' });
    expect([denied.status, denied.body.code]).toEqual([403, 'forbidden']);
    expect((await owner.client.post(`/api/v1/tasks/${task.id}/comments`, { body: 'owner here' })).status).toBe(201);
  });

  it('rejects empty, over-long and misplaced comments', async () => {
    const { owner, task } = await setup();
    const post = (body: unknown) => owner.client.post(`/api/v1/tasks/${task.id}/comments`, body);
    expect((await post({ body: '   ' })).body.errors[0].field).toBe('body');
    expect((await post({ body: 'x'.repeat(10_001) })).status).toBe(400);
    expect((await post({ body: 'x'.repeat(10_000) })).status).toBe(201);
    expect((await post({ body: 'x', extra: 1 })).status).toBe(400);
    await owner.client.delete(`/api/v1/tasks/${task.id}`);
    expect((await post({ body: 'on a deleted task' })).body.code).toBe('task_deleted');
    expect((await owner.client.post('/api/v1/tasks/01900000-0000-7000-8000-000000000000/comments', { body: 'x' })).status).toBe(404);
  });

  it('assigning notifies the assignee, and "assigned to me" spans every list', async () => {
    const { owner, commenter, list, task } = await setup();
    const second = await createList(owner.client, 'Second');
    await shareList(owner.client, second.id, commenter, 'editor');
    const other = await createTask(owner.client, second.id, 'Other');
    await createTask(owner.client, list.id, 'Not mine');
    await owner.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: commenter.user.id });
    await owner.client.patch(`/api/v1/tasks/${other.id}`, { assigneeId: commenter.user.id });
    await owner.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: owner.user.id });
    await owner.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: commenter.user.id });

    const mine = await commenter.client.get('/api/v1/tasks?assignee=me');
    expect(mine.body.items.map((t: { title: string }) => t.title)).toEqual(['Write the plan', 'Other']);
    await commenter.client.patch(`/api/v1/tasks/${task.id}`, { done: true });
    expect((await commenter.client.get('/api/v1/tasks?assignee=me&done=false')).body.items.map((t: { title: string }) => t.title)).toEqual(['Other']);
    expect((await commenter.client.get('/api/v1/tasks?assignee=me&limit=1')).body.nextCursor).toEqual(expect.any(String));
    expect((await owner.client.get('/api/v1/tasks?assignee=me')).body.items).toEqual([]);
    expect((await owner.client.get('/api/v1/tasks?assignee=someone')).status).toBe(400);
    expect((await owner.client.get('/api/v1/tasks')).status).toBe(400);

    const assigned = (await notificationsOf(commenter)).items.filter((n: { type: string }) => n.type === 'assigned');
    expect(assigned).toHaveLength(3);
    expect(assigned[0]).toMatchObject({ taskId: task.id, actorId: owner.user.id, data: { taskTitle: 'Write the plan', listName: 'Project' } });
    expect((await notificationsOf(owner)).items.filter((n: { type: string }) => n.type === 'assigned')).toEqual([]); // self-assignment is silent
  });

  it("a long comment's excerpt in the notification is cut between characters, not inside an emoji", async () => {
    const { commenter, viewer, task } = await setup();
    await commenter.client.post(`/api/v1/tasks/${task.id}/comments`, { body: `${'x'.repeat(138)}😀 @${viewer.email}` });
    const [mention] = (await notificationsOf(viewer)).items;
    expect(mention.data.excerpt).toBe(`${'x'.repeat(138)}😀…`);
  });

  it('notifications: unread count, mark one read, mark all read, paginated newest first, private', async () => {
    const { owner, commenter, viewer, task } = await setup();
    for (const text of ['a', 'b', 'c']) await commenter.client.post(`/api/v1/tasks/${task.id}/comments`, { body: `${text} @${viewer.email}` });
    const page = await notificationsOf(viewer);
    expect(page.unreadCount).toBe(4); // invited + three mentions
    expect(page.items.map((n: { type: string }) => n.type)).toEqual(['mentioned', 'mentioned', 'mentioned', 'invited']);
    expect(page.items[0].data.excerpt).toBe(`c @${viewer.email}`);

    expect((await owner.client.post(`/api/v1/notifications/${page.items[0].id}/read`)).status).toBe(404);
    expect((await viewer.client.post(`/api/v1/notifications/${page.items[0].id}/read`)).status).toBe(204);
    const afterOne = await viewer.client.get('/api/v1/notifications?unread=true&limit=2');
    expect(afterOne.body.unreadCount).toBe(3);
    expect(afterOne.body.items.map((n: { id: string }) => n.id)).toEqual([page.items[1].id, page.items[2].id]);
    const next = await viewer.client.get(`/api/v1/notifications?unread=true&limit=2&cursor=${afterOne.body.nextCursor}`);
    expect(next.body.items.map((n: { id: string }) => n.id)).toEqual([page.items[3].id]);

    expect((await viewer.client.post('/api/v1/notifications/read-all')).status).toBe(204);
    const all = await notificationsOf(viewer);
    expect(all.unreadCount).toBe(0);
    expect(all.items.every((n: { read: boolean; readAt: string }) => n.read && n.readAt)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { shareList, tokenOf } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Person = Awaited<ReturnType<typeof createUser>>;

describe.each(testDialects())('list members on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const team = async (...roles: string[]) => {
    const owner = await createUser(server.url, 'Owner');
    const list = await createList(owner.client, 'Shared');
    const members: Person[] = [];
    for (const role of roles) {
      const member = await createUser(server.url, `M ${role}`);
      await shareList(owner.client, list.id, member, role);
      members.push(member);
    }
    return { owner, list, members };
  };
  const roleOf = async (person: Person, listId: string) => (await person.client.get(`/api/v1/lists/${listId}`)).body.role;
  const owners = async (person: Person, listId: string) =>
    (await person.client.get(`/api/v1/lists/${listId}/members`)).body.items
      .filter((m: { role: string }) => m.role === 'owner')
      .map((m: { userId: string }) => m.userId);

  it('changes a role and records it', async () => {
    const { owner, list, members } = await team('viewer');
    const member = members[0]!;
    const changed = await owner.client.patch(`/api/v1/lists/${list.id}/members/${member.user.id}`, { role: 'editor' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ userId: member.user.id, email: member.email, name: 'M viewer', role: 'editor', via: 'list' });
    expect(await roleOf(member, list.id)).toBe('editor');
    const [event] = (await owner.client.get(`/api/v1/lists/${list.id}/activity?limit=1`)).body.items;
    expect(event).toMatchObject({
      type: 'member.role_changed',
      actorId: owner.user.id,
      data: { userId: member.user.id, role: 'editor', previousRole: 'viewer' },
    });
    expect((await owner.client.patch(`/api/v1/lists/${list.id}/members/01900000-0000-7000-8000-000000000000`, { role: 'viewer' })).status).toBe(404);
  });

  it('transfers ownership: always exactly one owner, and the previous one becomes an editor', async () => {
    const { owner, list, members } = await team('editor', 'viewer');
    const [heir, viewer] = members as [Person, Person];
    const transferred = await owner.client.patch(`/api/v1/lists/${list.id}/members/${heir.user.id}`, { role: 'owner' });
    expect(transferred.body.role).toBe('owner');
    expect(await roleOf(owner, list.id)).toBe('editor');
    expect(await roleOf(heir, list.id)).toBe('owner');
    expect(await owners(viewer, list.id)).toEqual([heir.user.id]);
    // The former owner no longer manages members; the new one does.
    expect((await owner.client.patch(`/api/v1/lists/${list.id}/members/${viewer.user.id}`, { role: 'editor' })).status).toBe(403);
    expect((await heir.client.delete(`/api/v1/lists/${list.id}/members/${owner.user.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    const changes = (await heir.client.get(`/api/v1/lists/${list.id}/activity?limit=3`)).body.items.map((e: any) => [e.type, e.data.userId, e.data.role]);
    expect(changes).toEqual([
      ['member.removed', owner.user.id, 'editor'],
      ['member.role_changed', heir.user.id, 'owner'],
      ['member.role_changed', owner.user.id, 'editor'],
    ]);
  });

  it('a former owner, removed from a list of their personal workspace, no longer reads what happens on it in the workspace history', async () => {
    const { owner, list, members } = await team('editor');
    const heir = members[0]!;
    const workspaceId = (await owner.client.get('/api/v1/me')).body.workspaces[0].id;
    const kept = await createList(owner.client, 'Still mine');
    expect((await owner.client.patch(`/api/v1/lists/${list.id}/members/${heir.user.id}`, { role: 'owner' })).status).toBe(200);
    expect((await heir.client.delete(`/api/v1/lists/${list.id}/members/${owner.user.id}`)).status).toBe(204);
    await createTask(heir.client, list.id, 'Secret plan', { notes: 'not for the former owner' });
    await createTask(owner.client, kept.id, 'Visible plan');

    const history = await owner.client.get(`/api/v1/workspaces/${workspaceId}/activity?limit=100`);
    expect(history.status).toBe(200);
    const titles = history.body.items.map((e: any) => e.data.task?.title).filter(Boolean);
    expect(titles).toContain('Visible plan');
    expect(titles).not.toContain('Secret plan');
    expect(history.body.items.some((e: any) => e.listId === list.id)).toBe(false);
    // Deleted by its new owner, it stays out of sight; a list its owner deletes stays in their history.
    expect((await heir.client.delete(`/api/v1/lists/${list.id}`)).status).toBe(204);
    expect((await owner.client.delete(`/api/v1/lists/${kept.id}`)).status).toBe(204);
    const after = (await owner.client.get(`/api/v1/workspaces/${workspaceId}/activity?limit=100`)).body.items;
    expect(after.some((e: any) => e.listId === list.id)).toBe(false);
    expect(after.filter((e: any) => e.listId === kept.id).map((e: any) => e.type)).toEqual(['list.deleted', 'task.created', 'list.created']);
  });

  it("a former owner demoted to viewer does not read, in the workspace history, whom that list's invitations went to", async () => {
    const { owner, list, members } = await team('editor');
    const heir = members[0]!;
    const workspaceId = (await owner.client.get('/api/v1/me')).body.workspaces[0].id;
    const kept = await createList(owner.client, 'Still mine');
    expect((await owner.client.patch(`/api/v1/lists/${list.id}/members/${heir.user.id}`, { role: 'owner' })).status).toBe(200);
    expect((await heir.client.patch(`/api/v1/lists/${list.id}/members/${owner.user.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await heir.client.post(`/api/v1/lists/${list.id}/members`, { email: 'secret.person@example.org', role: 'commenter' })).status).toBe(201);
    expect((await owner.client.post(`/api/v1/lists/${kept.id}/members`, { email: 'my.guest@example.org', role: 'viewer' })).status).toBe(201);

    const history = (await owner.client.get(`/api/v1/workspaces/${workspaceId}/activity?limit=100`)).body.items;
    // As on the list's own history: the address only where they may invite (their own list), not where they view
    // (the heir's invitation, and the one the owner sent when they still could: they may not invite there any more).
    expect(history.filter((e: any) => e.type === 'member.invited').map((e: any) => [e.listId, e.data.email])).toEqual([
      [kept.id, 'my.guest@example.org'],
      [list.id, undefined],
      [list.id, undefined],
    ]);
    expect(JSON.stringify(history)).not.toContain('secret.person');
  });

  it('protects the last owner: the owner cannot leave, be removed, or step down without a transfer', async () => {
    const { owner, list, members } = await team('editor');
    const editor = members[0]!;
    const version = (await owner.client.get(`/api/v1/lists/${list.id}`)).body.version;
    const leave = await owner.client.delete(`/api/v1/lists/${list.id}/members/${owner.user.id}`);
    expect([leave.status, leave.body.code]).toEqual([422, 'last_owner']);
    const stepDown = await owner.client.patch(`/api/v1/lists/${list.id}/members/${owner.user.id}`, { role: 'editor' });
    expect([stepDown.status, stepDown.body.code]).toEqual([422, 'last_owner']);
    expect((await editor.client.delete(`/api/v1/lists/${list.id}/members/${owner.user.id}`)).status).toBe(403);
    expect((await editor.client.patch(`/api/v1/lists/${list.id}/members/${editor.user.id}`, { role: 'owner' })).status).toBe(403);
    expect(await owners(owner, list.id)).toEqual([owner.user.id]);
    expect((await owner.client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(version);
  });

  it('removal: access ends at once, assignments are cleared in the history, comments stay', async () => {
    const { owner, list, members } = await team('commenter');
    const member = members[0]!;
    const other = await createList(owner.client, 'Other list');
    await shareList(owner.client, other.id, member, 'editor');
    const task = await createTask(owner.client, list.id, 'Buy tickets');
    const kept = await createTask(owner.client, other.id, 'Elsewhere');
    await owner.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: member.user.id });
    await owner.client.patch(`/api/v1/tasks/${kept.id}`, { assigneeId: member.user.id });
    const comment = await member.client.post(`/api/v1/tasks/${task.id}/comments`, { body: 'On it' });
    expect(comment.status).toBe(201);
    expect((await member.client.get('/api/v1/tasks?assignee=me')).body.items.map((t: { id: string }) => t.id)).toEqual([task.id, kept.id]);
    expect((await member.client.get('/api/v1/notifications')).body.items.filter((n: { listId: string }) => n.listId === list.id)).toHaveLength(2);

    const events: { userId: string; type: string; data: any }[] = [];
    const stop = server.app.listo.bus.onUserEvent((event) => events.push(event as never));
    const removed = await owner.client.delete(`/api/v1/lists/${list.id}/members/${member.user.id}`);
    stop();
    expect(removed.status).toBe(204);
    expect(events).toContainEqual({ userId: member.user.id, type: 'list.removed', data: { listId: list.id, reason: 'removed' } });

    // No cache window: the very next requests are refused.
    for (const path of [
      `/api/v1/lists/${list.id}`,
      `/api/v1/lists/${list.id}/tasks`,
      `/api/v1/tasks/${task.id}`,
      `/api/v1/tasks/${task.id}/comments`,
      `/api/v1/lists/${list.id}/activity`,
    ]) {
      expect((await member.client.get(path)).status, path).toBe(404);
    }
    expect((await member.client.post(`/api/v1/tasks/${task.id}/comments`, { body: 'still here?' })).status).toBe(404);
    expect((await member.client.get('/api/v1/lists')).body.items.map((l: { id: string }) => l.id)).toEqual([other.id]);
    expect((await member.client.get('/api/v1/tasks?assignee=me')).body.items.map((t: { id: string }) => t.id)).toEqual([kept.id]);
    expect((await member.client.get('/api/v1/notifications')).body.items.filter((n: { listId: string }) => n.listId === list.id)).toEqual([]);

    expect((await owner.client.get(`/api/v1/tasks/${task.id}`)).body.assigneeId).toBeNull();
    expect((await owner.client.get(`/api/v1/tasks/${kept.id}`)).body.assigneeId).toBe(member.user.id);
    const history = (await owner.client.get(`/api/v1/lists/${list.id}/activity?limit=2`)).body.items;
    expect(history[0]).toMatchObject({
      type: 'task.assigned',
      taskId: task.id,
      actorId: owner.user.id,
      data: { previousAssigneeId: member.user.id, reason: 'removed', task: { assigneeId: null } },
    });
    expect(history[1]).toMatchObject({ type: 'member.removed', data: { userId: member.user.id, role: 'commenter', reason: 'removed' } });
    const comments = (await owner.client.get(`/api/v1/tasks/${task.id}/comments`)).body.items;
    expect(comments).toEqual([expect.objectContaining({ id: comment.body.id, authorId: member.user.id, authorName: 'M commenter', body: 'On it' })]);
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${member.user.id}`)).status).toBe(404);
  });

  it('a removed member cannot be assigned, and can be invited back', async () => {
    const { owner, list, members } = await team('editor');
    const member = members[0]!;
    const task = await createTask(owner.client, list.id, 'x');
    await owner.client.delete(`/api/v1/lists/${list.id}/members/${member.user.id}`);
    const assign = await owner.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: member.user.id });
    expect([assign.status, assign.body.errors[0].field]).toEqual([400, 'assigneeId']);
    await shareList(owner.client, list.id, member, 'viewer');
    expect(await roleOf(member, list.id)).toBe('viewer');
  });

  it('limits members per list by a setting, counting pending invitations', async () => {
    const { owner, list, members } = await team('viewer');
    server.app.listo.config.membersPerList = 3;
    try {
      const first = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: 'one@example.com', role: 'viewer' });
      expect(first.status).toBe(201);
      const over = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: 'two@example.com', role: 'viewer' });
      expect([over.status, over.body.code, over.body.limit]).toEqual([422, 'limit_reached', 3]);
      const link = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' });
      const joiner = await createUser(server.url);
      expect((await joiner.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) })).body.code).toBe('limit_reached');
      // Freeing a seat (a member leaves) makes room again.
      await members[0]!.client.delete(`/api/v1/lists/${list.id}/members/${members[0]!.user.id}`);
      expect((await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: 'two@example.com', role: 'viewer' })).status).toBe(201);
    } finally {
      server.app.listo.config.membersPerList = 50;
    }
  });

  it('a share link lets people join with its role until the owner turns it off', async () => {
    const { owner, list, members } = await team('editor');
    const editor = members[0]!;
    expect((await owner.client.get(`/api/v1/lists/${list.id}/share-link`)).body).toEqual({ shareLink: null });
    const tooHigh = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'owner' });
    expect(tooHigh.status).toBe(422);
    expect((await editor.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' })).status).toBe(403);

    const link = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'commenter' });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/^\/join#[A-Za-z0-9_-]{43}$/);
    expect((await owner.client.get(`/api/v1/lists/${list.id}/share-link`)).body.shareLink).toMatchObject({ role: 'commenter', createdBy: owner.user.id });

    const joiner = await createUser(server.url, 'Joiner');
    const joined = await joiner.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) });
    expect(joined.body.list).toMatchObject({ id: list.id, role: 'commenter' });
    // An editor following the link keeps their role.
    expect((await editor.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) })).body.list.role).toBe('editor');

    expect((await owner.client.delete(`/api/v1/lists/${list.id}/share-link`)).status).toBe(204);
    const late = await createUser(server.url);
    expect((await late.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) })).status).toBe(404);
    expect(await roleOf(joiner, list.id)).toBe('commenter'); // turning the link off does not remove who joined

    const renewed = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' });
    const replaced = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' });
    expect((await late.client.post('/api/v1/share-links/join', { token: tokenOf(renewed.body.url) })).status).toBe(404);
    expect((await late.client.post('/api/v1/share-links/join', { token: tokenOf(replaced.body.url) })).body.list.role).toBe('viewer');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Person = Awaited<ReturnType<typeof createUser>>;

describe.each(testDialects())('team workspaces on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const listIdsOf = async (person: Person) => (await person.client.get('/api/v1/lists')).body.items.map((l: { id: string }) => l.id);
  const teamList = async (admin: Person, workspaceId: string, name = 'Roadmap') =>
    (await admin.client.post('/api/v1/lists', { name, workspaceId })).body as { id: string; workspaceId: string; role: string };

  it('creates a team workspace beside the personal one', async () => {
    const admin = await createUser(server.url);
    const created = await admin.client.post('/api/v1/workspaces', { name: '  Acme  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', kind: 'team', role: 'admin' });
    expect((await admin.client.get('/api/v1/workspaces')).body.items.map((w: { kind: string }) => w.kind)).toEqual(['personal', 'team']);
    expect((await admin.client.get('/api/v1/me')).body.workspaces).toHaveLength(2);
    expect((await admin.client.post('/api/v1/workspaces', { name: '' })).status).toBe(400);
    const list = await teamList(admin, created.body.id);
    expect(list).toMatchObject({ workspaceId: created.body.id, role: 'owner' });
  });

  it('a guest cannot learn of a hidden list by placing a list next to it: it looks like no list at all', async () => {
    const [admin, guest] = await Promise.all(['Admin', 'Guest'].map((n) => createUser(server.url, n)));
    const workspace = await createTeamWorkspace(admin!.client);
    const shared = await teamList(admin!, workspace.id, 'Shared');
    const hidden = await teamList(admin!, workspace.id, 'Hidden');
    await addToWorkspace(admin!.client, workspace.id, guest!, 'guest');
    await shareList(admin!.client, shared.id, guest!, 'editor');
    const before = (await guest!.client.get(`/api/v1/lists/${shared.id}`)).body.position;
    const nextToHidden = await guest!.client.patch(`/api/v1/lists/${shared.id}`, { afterId: hidden.id });
    const nextToNothing = await guest!.client.patch(`/api/v1/lists/${shared.id}`, { afterId: '01900000-0000-7000-8000-000000000000' });
    expect(nextToHidden.status).toBe(400);
    // The same problem, but for the request's own id.
    expect({ ...nextToHidden.body, requestId: null }).toEqual({ ...nextToNothing.body, requestId: null });
    expect((await guest!.client.get(`/api/v1/lists/${shared.id}`)).body.position).toBe(before);
    expect((await admin!.client.patch(`/api/v1/lists/${shared.id}`, { afterId: hidden.id })).status).toBe(200);
  });

  it('admins and members see every list of the workspace as editors; guests only what is shared with them', async () => {
    const [admin, member, guest] = await Promise.all(['Admin', 'Member', 'Guest'].map((n) => createUser(server.url, n)));
    const workspace = await createTeamWorkspace(admin!.client);
    const roadmap = await teamList(admin!, workspace.id, 'Roadmap');
    const secret = await teamList(admin!, workspace.id, 'Hiring');
    await addToWorkspace(admin!.client, workspace.id, member!, 'member');
    await addToWorkspace(admin!.client, workspace.id, guest!, 'guest');

    expect(await listIdsOf(member!)).toEqual(expect.arrayContaining([roadmap.id, secret.id]));
    expect((await member!.client.get(`/api/v1/lists/${roadmap.id}`)).body.role).toBe('editor');
    expect((await member!.client.post(`/api/v1/lists/${roadmap.id}/tasks`, { title: 'Ship it' })).status).toBe(201);
    expect((await member!.client.get(`/api/v1/lists?workspaceId=${workspace.id}`)).body.items).toHaveLength(2);

    expect(await listIdsOf(guest!)).toEqual([]);
    expect((await guest!.client.get(`/api/v1/lists/${roadmap.id}`)).status).toBe(404);
    expect((await guest!.client.post('/api/v1/lists', { name: 'Mine', workspaceId: workspace.id })).status).toBe(403);
    await shareList(admin!.client, roadmap.id, guest!, 'viewer');
    expect(await listIdsOf(guest!)).toEqual([roadmap.id]);
    expect((await guest!.client.get(`/api/v1/lists/${secret.id}`)).status).toBe(404);

    // Members of the list as the web app shows them: list members, then people seeing it through the workspace.
    const members = (await member!.client.get(`/api/v1/lists/${roadmap.id}/members`)).body.items;
    expect(members.map((m: any) => [m.name, m.role, m.via])).toEqual([
      ['Admin', 'owner', 'list'],
      ['Member', 'editor', 'workspace'],
      ['Guest', 'viewer', 'list'],
    ]);
    // Workspace members can be assigned without a list membership.
    const task = await createTask(admin!.client, secret.id, 'Interview');
    expect((await admin!.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: member!.user.id })).status).toBe(200);
    expect((await admin!.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: guest!.user.id })).status).toBe(400);
  });

  it('an outsider who accepts an invitation to a team list becomes a workspace guest', async () => {
    const [admin, outsider] = await Promise.all([createUser(server.url), createUser(server.url, 'Outsider')]);
    const workspace = await createTeamWorkspace(admin!.client);
    const list = await teamList(admin!, workspace.id);
    await shareList(admin!.client, list.id, outsider!, 'commenter');
    const people = (await admin!.client.get(`/api/v1/workspaces/${workspace.id}/members`)).body.items;
    expect(people).toContainEqual({ userId: outsider!.user.id, email: outsider!.email, name: 'Outsider', role: 'guest' });
    expect((await outsider!.client.get('/api/v1/me')).body.workspaces).toContainEqual(expect.objectContaining({ id: workspace.id, role: 'guest' }));
  });

  it('inviting people: no duplicates, not to a personal workspace, names checked', async () => {
    const [admin, person] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin!.client);
    const add = (body: unknown, workspaceId = workspace.id) => admin!.client.post(`/api/v1/workspaces/${workspaceId}/members`, body);
    await addToWorkspace(admin!.client, workspace.id, person!, 'member');
    expect((await add({ email: person!.email, role: 'guest' })).body.code).toBe('already_member');
    expect((await add({ email: 'not an email', role: 'member' })).status).toBe(400);
    expect((await add({ email: 'someone@example.com', role: 'owner' })).status).toBe(400);
    const personal = (await admin!.client.get('/api/v1/workspaces')).body.items.find((w: { kind: string }) => w.kind === 'personal');
    expect((await add({ email: 'someone@example.com', role: 'member' }, personal.id)).status).toBe(422);
  });

  it('demoting to guest or removing from the workspace ends access at once and clears assignments', async () => {
    const [admin, member] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Member')]);
    const workspace = await createTeamWorkspace(admin!.client);
    const list = await teamList(admin!, workspace.id);
    const shared = await teamList(admin!, workspace.id, 'Shared explicitly');
    await addToWorkspace(admin!.client, workspace.id, member!, 'member');
    const task = await createTask(admin!.client, list.id, 'Mine');
    await admin!.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: member!.user.id });
    expect((await admin!.client.post(`/api/v1/lists/${shared.id}/members`, { email: member!.email, role: 'viewer' })).body.code).toBe('already_member');

    const demoted = await admin!.client.patch(`/api/v1/workspaces/${workspace.id}/members/${member!.user.id}`, { role: 'guest' });
    expect(demoted.body).toMatchObject({ role: 'guest' });
    expect(await listIdsOf(member!)).toEqual([]);
    expect((await member!.client.get(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await admin!.client.get(`/api/v1/tasks/${task.id}`)).body.assigneeId).toBeNull();
    const types = (await admin!.client.get(`/api/v1/lists/${list.id}/activity?limit=2`)).body.items.map((e: any) => [
      e.type,
      e.data.userId ?? e.data.previousAssigneeId,
    ]);
    expect(types).toEqual([
      ['task.assigned', member!.user.id],
      ['member.removed', member!.user.id],
    ]);

    await admin!.client.patch(`/api/v1/workspaces/${workspace.id}/members/${member!.user.id}`, { role: 'member' });
    expect((await member!.client.get(`/api/v1/lists/${list.id}`)).body.role).toBe('editor');
    expect((await admin!.client.delete(`/api/v1/workspaces/${workspace.id}/members/${member!.user.id}`)).status).toBe(204);
    expect((await member!.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    expect((await member!.client.get(`/api/v1/workspaces/${workspace.id}/members`)).status).toBe(404);
  });

  it('keeps an admin and keeps lists owned: the last admin cannot leave; owners hand over first', async () => {
    const [admin, second] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin!.client);
    const leave = await admin!.client.delete(`/api/v1/workspaces/${workspace.id}/members/${admin!.user.id}`);
    expect([leave.status, leave.body.code]).toEqual([422, 'last_owner']);
    const stepDown = await admin!.client.patch(`/api/v1/workspaces/${workspace.id}/members/${admin!.user.id}`, { role: 'member' });
    expect(stepDown.status).toBe(422);

    await addToWorkspace(admin!.client, workspace.id, second!, 'member');
    const theirs = await teamList(second!, workspace.id, 'Theirs');
    const blocked = await admin!.client.delete(`/api/v1/workspaces/${workspace.id}/members/${second!.user.id}`);
    expect([blocked.status, blocked.body.code]).toEqual([422, 'last_owner']);
    expect((await second!.client.patch(`/api/v1/lists/${theirs.id}/members/${admin!.user.id}`, { role: 'owner' })).status).toBe(200);
    // A member may leave by themself once they own nothing there.
    expect((await second!.client.delete(`/api/v1/workspaces/${workspace.id}/members/${second!.user.id}`)).status).toBe(204);
    expect(await listIdsOf(second!)).toEqual([]);
    expect((await admin!.client.get(`/api/v1/lists/${theirs.id}`)).body.role).toBe('owner');
  });

  it('the workspace history is paginated, newest first, for admins only', async () => {
    const [admin, member] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin!.client);
    await addToWorkspace(admin!.client, workspace.id, member!, 'member');
    const list = await teamList(admin!, workspace.id);
    for (const title of ['a', 'b', 'c']) await createTask(member!.client, list.id, title);
    const personal = await createList(admin!.client, 'Elsewhere');
    await createTask(admin!.client, personal.id, 'not in the team');

    const first = await admin!.client.get(`/api/v1/workspaces/${workspace.id}/activity?limit=2`);
    expect(first.body.items.map((e: any) => [e.type, e.data.task?.title])).toEqual([
      ['task.created', 'c'],
      ['task.created', 'b'],
    ]);
    expect(first.body.items[0]).toMatchObject({
      id: expect.any(String),
      workspaceId: workspace.id,
      listId: list.id,
      actorId: member!.user.id,
      at: expect.any(String),
      version: 4,
    });
    const rest = await admin!.client.get(`/api/v1/workspaces/${workspace.id}/activity?limit=50&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((e: any) => e.type)).toEqual(['task.created', 'list.created', 'member.joined', 'member.invited']);
    expect(rest.body.nextCursor).toBeNull();
    expect((await member!.client.get(`/api/v1/workspaces/${workspace.id}/activity`)).status).toBe(403);
    expect((await admin!.client.get(`/api/v1/workspaces/${workspace.id}/activity?cursor=nope`)).status).toBe(400);
  });
});

/**
 * The permission matrix: every list route, called by every kind of person, answers what the
 * permission table in core says — 2xx when the role may, 403 when it may read but not do this,
 * 404 when it cannot see the list at all (exactly like a missing list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  can,
  canInWorkspace,
  listActions,
  workspaceActions,
  type ListAction,
  type ListRole,
  type WorkspaceAction,
  type WorkspaceRole,
} from '../../src/core/permissions.js';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Person = Awaited<ReturnType<typeof createUser>>;

interface Subject {
  name: string;
  person: Person;
  /** The role the person should have on the list: null is no access at all. */
  role: ListRole | null;
  /** Their role in the list's team workspace. */
  workspaceRole: WorkspaceRole | null;
}

interface Fixture {
  server: TestServer;
  owner: Person;
  listId: string;
  taskId: string;
  workspaceId: string;
  /** A commenter whose role the matrix "changes" to what it already is. */
  target: Person;
}

interface RouteCase {
  action: ListAction;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Builds the path (and body), creating as the owner whatever a successful call would use up. */
  request: (f: Fixture) => Promise<{ path: string; body?: unknown }>;
  ok: number;
}

const fresh = () => `someone.${Math.random().toString(36).slice(2)}@example.com`;

/** One route per row; each row names the action of the permission table it is guarded by. */
const routes: RouteCase[] = [
  { action: 'list.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}` }) },
  { action: 'list.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/tasks` }) },
  { action: 'list.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/trash` }) },
  { action: 'list.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/tasks/${f.taskId}` }) },
  { action: 'list.update', method: 'PATCH', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}`, body: { name: 'Renamed' } }) },
  { action: 'task.create', method: 'POST', ok: 201, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/tasks`, body: { title: 'New' } }) },
  { action: 'task.update', method: 'PATCH', ok: 200, request: async (f) => ({ path: `/api/v1/tasks/${f.taskId}`, body: { title: 'Edited' } }) },
  { action: 'task.update', method: 'POST', ok: 200, request: async (f) => ({ path: `/api/v1/tasks/${f.taskId}/move`, body: { afterId: null } }) },
  {
    action: 'task.update',
    method: 'PATCH',
    ok: 200,
    request: async (f) => ({ path: `/api/v1/tasks/${(await createTask(f.owner.client, f.listId, 'assign me')).id}`, body: { assigneeId: f.target.user.id } }),
  },
  {
    action: 'task.complete',
    method: 'PATCH',
    ok: 200,
    request: async (f) => ({ path: `/api/v1/tasks/${(await createTask(f.owner.client, f.listId, 'to complete')).id}`, body: { done: true } }),
  },
  {
    action: 'task.delete',
    method: 'DELETE',
    ok: 204,
    request: async (f) => ({ path: `/api/v1/tasks/${(await createTask(f.owner.client, f.listId, 'to delete')).id}` }),
  },
  {
    action: 'task.delete',
    method: 'POST',
    ok: 200,
    request: async (f) => {
      const task = await createTask(f.owner.client, f.listId, 'to restore');
      await f.owner.client.delete(`/api/v1/tasks/${task.id}`);
      return { path: `/api/v1/tasks/${task.id}/restore` };
    },
  },
  { action: 'comment.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/tasks/${f.taskId}/comments` }) },
  { action: 'comment.create', method: 'POST', ok: 201, request: async (f) => ({ path: `/api/v1/tasks/${f.taskId}/comments`, body: { body: 'Looks good' } }) },
  { action: 'activity.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/activity` }) },
  { action: 'member.read', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/members` }) },
  {
    action: 'member.invite',
    method: 'POST',
    ok: 201,
    request: async (f) => ({ path: `/api/v1/lists/${f.listId}/members`, body: { email: fresh(), role: 'viewer' } }),
  },
  { action: 'member.invite', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/invitations` }) },
  {
    action: 'member.invite',
    method: 'DELETE',
    ok: 204,
    request: async (f) => {
      const invited = await f.owner.client.post(`/api/v1/lists/${f.listId}/members`, { email: fresh(), role: 'viewer' });
      return { path: `/api/v1/lists/${f.listId}/invitations/${invited.body.invitation.id}` };
    },
  },
  {
    action: 'member.manage',
    method: 'PATCH',
    ok: 200,
    request: async (f) => ({ path: `/api/v1/lists/${f.listId}/members/${f.target.user.id}`, body: { role: 'commenter' } }),
  },
  {
    action: 'member.manage',
    method: 'DELETE',
    ok: 204,
    request: async (f) => {
      const member = await createUser(f.server.url, 'Removable');
      await shareList(f.owner.client, f.listId, member, 'viewer');
      return { path: `/api/v1/lists/${f.listId}/members/${member.user.id}` };
    },
  },
  { action: 'share_link.manage', method: 'GET', ok: 200, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/share-link` }) },
  { action: 'share_link.manage', method: 'POST', ok: 201, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/share-link`, body: { role: 'viewer' } }) },
  { action: 'share_link.manage', method: 'DELETE', ok: 204, request: async (f) => ({ path: `/api/v1/lists/${f.listId}/share-link` }) },
  // Last: it ends the list for everyone.
  { action: 'list.delete', method: 'DELETE', ok: 204, request: async (f) => ({ path: `/api/v1/lists/${f.listId}` }) },
];

const expectedStatus = (role: ListRole | null, action: ListAction, ok: number) => (role === null ? 404 : can(role, action) ? ok : 403);

describe.each(testDialects())('permission matrix on %s', (dialect) => {
  let fixture: Fixture;
  let subjects: Subject[];

  beforeAll(async () => {
    const server = await startTestServer(dialect);
    const person = (name: string) => createUser(server.url, name);
    const [owner, editor, commenter, viewer, target, wsAdmin, wsMember, wsGuest, stranger, removed, declined] = await Promise.all(
      ['Owner', 'Editor', 'Commenter', 'Viewer', 'Target', 'Ws Admin', 'Ws Member', 'Ws Guest', 'Stranger', 'Removed', 'Declined'].map(person),
    );
    const workspace = await createTeamWorkspace(owner!.client);
    const listId = (await owner!.client.post('/api/v1/lists', { name: 'Shared', workspaceId: workspace.id })).body.id as string;
    const taskId = (await createTask(owner!.client, listId, 'The task')).id;
    await shareList(owner!.client, listId, editor!, 'editor');
    await shareList(owner!.client, listId, commenter!, 'commenter');
    await shareList(owner!.client, listId, viewer!, 'viewer');
    await shareList(owner!.client, listId, target!, 'commenter');
    await addToWorkspace(owner!.client, workspace.id, wsAdmin!, 'admin');
    await addToWorkspace(owner!.client, workspace.id, wsMember!, 'member');
    await addToWorkspace(owner!.client, workspace.id, wsGuest!, 'guest');
    await shareList(owner!.client, listId, removed!, 'editor');
    expect((await owner!.client.delete(`/api/v1/lists/${listId}/members/${removed!.user.id}`)).status).toBe(204);
    const invitation = await owner!.client.post(`/api/v1/lists/${listId}/members`, { email: declined!.email, role: 'editor' });
    expect((await declined!.client.post(`/api/v1/invitations/${invitation.body.invitation.id}/decline`)).status).toBe(204);

    fixture = { server, owner: owner!, listId, taskId, workspaceId: workspace.id, target: target! };
    // Owner last: some of its successes (deleting the list) end the fixture for everyone after it.
    subjects = [
      { name: 'stranger', person: stranger!, role: null, workspaceRole: null },
      { name: 'removed member', person: removed!, role: null, workspaceRole: 'guest' },
      { name: 'declined invitee', person: declined!, role: null, workspaceRole: null },
      { name: 'workspace guest (list not shared)', person: wsGuest!, role: null, workspaceRole: 'guest' },
      { name: 'viewer (workspace guest)', person: viewer!, role: 'viewer', workspaceRole: 'guest' },
      { name: 'commenter (workspace guest)', person: commenter!, role: 'commenter', workspaceRole: 'guest' },
      { name: 'editor (workspace guest)', person: editor!, role: 'editor', workspaceRole: 'guest' },
      { name: 'workspace member', person: wsMember!, role: 'editor', workspaceRole: 'member' },
      { name: 'workspace admin', person: wsAdmin!, role: 'editor', workspaceRole: 'admin' },
      { name: 'owner', person: owner!, role: 'owner', workspaceRole: 'admin' },
    ];
  });
  afterAll(() => fixture.server.close());

  it('covers every action of the permission table', () => {
    expect(new Set(routes.map((r) => r.action))).toEqual(new Set(Object.keys(listActions)));
  });

  it('each person sees the list with the role they should have, or not at all', async () => {
    for (const subject of subjects) {
      const lists = (await subject.person.client.get('/api/v1/lists')).body.items as { id: string; role: string }[];
      expect(lists.find((l) => l.id === fixture.listId)?.role ?? null, subject.name).toBe(subject.role);
    }
  });

  it.each(routes.map((route) => [`${route.method} ${route.action}`, route] as const))('%s answers per the table for every person', async (_name, route) => {
    for (const subject of subjects) {
      const { path, body } = await route.request(fixture);
      const response = await subject.person.client.request(route.method, path, body);
      const expected = expectedStatus(subject.role, route.action, route.ok);
      expect(response.status, `${subject.name} (${subject.role ?? 'no access'}): ${route.method} ${path} ${JSON.stringify(response.body)}`).toBe(expected);
      if (expected === 404) expect(response.body.code).toBe('not_found');
      if (expected === 403) {
        expect(response.body.code).toBe('forbidden');
        // Said in words people read ("cannot add tasks"), not the permission table's ids ("task.create").
        expect(response.body.detail).toMatch(/^Your role \(\w+\) cannot [a-z ]+$/);
      }
    }
  });
});

describe.each(testDialects())('special rules and workspace matrix on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('a commenter completes only tasks assigned to them', async () => {
    const owner = await createUser(server.url);
    const commenter = await createUser(server.url);
    const list = await createList(owner.client);
    await shareList(owner.client, list.id, commenter, 'commenter');
    const mine = await createTask(owner.client, list.id, 'mine');
    const theirs = await createTask(owner.client, list.id, 'theirs');
    await owner.client.patch(`/api/v1/tasks/${mine.id}`, { assigneeId: commenter.user.id });
    expect((await commenter.client.patch(`/api/v1/tasks/${mine.id}`, { done: true })).status).toBe(200);
    expect((await commenter.client.patch(`/api/v1/tasks/${mine.id}`, { done: false })).status).toBe(200);
    expect((await commenter.client.patch(`/api/v1/tasks/${theirs.id}`, { done: true })).status).toBe(403);
    expect((await commenter.client.patch(`/api/v1/tasks/${mine.id}`, { title: 'renamed' })).status).toBe(403);
  });

  it('leaving: members may remove themselves; the owner may not; no access is 404', async () => {
    const [owner, editor, commenter, viewer, stranger, wsMember] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUser(server.url)));
    const workspace = await createTeamWorkspace(owner!.client);
    await addToWorkspace(owner!.client, workspace.id, wsMember!, 'member');
    const listId = (await owner!.client.post('/api/v1/lists', { name: 'Leave me', workspaceId: workspace.id })).body.id as string;
    for (const [person, role] of [
      [editor!, 'editor'],
      [commenter!, 'commenter'],
      [viewer!, 'viewer'],
    ] as const)
      await shareList(owner!.client, listId, person, role);
    const leave = (person: Person) => person.client.delete(`/api/v1/lists/${listId}/members/${person.user.id}`);
    for (const person of [editor!, commenter!, viewer!]) {
      expect((await leave(person)).status).toBe(204);
      expect((await person.client.get(`/api/v1/lists/${listId}`)).status).toBe(404);
    }
    const ownerLeaves = await leave(owner!);
    expect([ownerLeaves.status, ownerLeaves.body.code]).toEqual([422, 'last_owner']);
    expect((await leave(stranger!)).status).toBe(404);
    // Seen through the workspace, not a list membership: nothing to leave here.
    expect((await leave(wsMember!)).status).toBe(422);
  });

  it('a task edit the role may not make is refused even when it would change nothing (as a no-op restore is)', async () => {
    const [owner, viewer, commenter] = await Promise.all([1, 2, 3].map(() => createUser(server.url)));
    const listId = (await owner!.client.post('/api/v1/lists', { name: 'Same' })).body.id as string;
    await shareList(owner!.client, listId, viewer!, 'viewer');
    await shareList(owner!.client, listId, commenter!, 'commenter');
    const task = (await owner!.client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Unchanged', priority: 2 })).body;
    const patch = (person: Person, body: object) => person.client.patch(`/api/v1/tasks/${task.id}`, body);
    for (const body of [{ title: 'Unchanged' }, { priority: 2 }, { done: false }, { assigneeId: null }]) {
      const refused = await patch(viewer!, body);
      expect([refused.status, refused.body.code], JSON.stringify(body)).toEqual([403, 'forbidden']);
    }
    expect((await patch(commenter!, { title: 'Unchanged' })).status).toBe(403);
    expect((await patch(owner!, { title: 'Unchanged' })).status).toBe(200); // may, and nothing changes
  });

  it('workspace routes answer per the workspace table for every person', async () => {
    const [admin, admin2, member, guest, stranger, target] = await Promise.all(
      ['Admin', 'Admin2', 'Member', 'Guest', 'Stranger', 'Target'].map((n) => createUser(server.url, n)),
    );
    const workspace = await createTeamWorkspace(admin!.client);
    await addToWorkspace(admin!.client, workspace.id, admin2!, 'admin');
    await addToWorkspace(admin!.client, workspace.id, member!, 'member');
    await addToWorkspace(admin!.client, workspace.id, guest!, 'guest');
    await addToWorkspace(admin!.client, workspace.id, target!, 'member');
    const people: [string, Person, WorkspaceRole | null][] = [
      ['stranger', stranger!, null],
      ['guest', guest!, 'guest'],
      ['member', member!, 'member'],
      ['second admin', admin2!, 'admin'],
      ['admin', admin!, 'admin'],
    ];
    const wsRoutes: { action: WorkspaceAction; method: string; ok: number; request: () => Promise<{ path: string; body?: unknown }> }[] = [
      { action: 'workspace.members.read', method: 'GET', ok: 200, request: async () => ({ path: `/api/v1/workspaces/${workspace.id}/members` }) },
      {
        action: 'workspace.members.manage',
        method: 'POST',
        ok: 202,
        request: async () => ({ path: `/api/v1/workspaces/${workspace.id}/members`, body: { email: (await createUser(server.url)).email, role: 'member' } }),
      },
      {
        action: 'workspace.members.manage',
        method: 'PATCH',
        ok: 200,
        request: async () => ({ path: `/api/v1/workspaces/${workspace.id}/members/${target!.user.id}`, body: { role: 'member' } }),
      },
      { action: 'workspace.activity.read', method: 'GET', ok: 200, request: async () => ({ path: `/api/v1/workspaces/${workspace.id}/activity` }) },
      {
        action: 'list.create',
        method: 'POST',
        ok: 201,
        request: async () => ({ path: '/api/v1/lists', body: { name: 'Team list', workspaceId: workspace.id } }),
      },
    ];
    expect(new Set(wsRoutes.map((r) => r.action))).toEqual(new Set(Object.keys(workspaceActions).filter((a) => a !== 'workspace.read')));
    for (const route of wsRoutes) {
      for (const [name, person, role] of people) {
        const { path, body } = await route.request();
        const response = await person.client.request(route.method, path, body);
        const expected = role === null ? 404 : canInWorkspace(role, route.action) ? route.ok : 403;
        expect(response.status, `${name}: ${route.method} ${path} ${JSON.stringify(response.body)}`).toBe(expected);
      }
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace, shareList, tokenOf } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Person = Awaited<ReturnType<typeof createUser>>;

describe.each(testDialects())('workspace invitations on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const invite = (admin: Person, workspaceId: string, email: string, role = 'member') =>
    admin.client.post(`/api/v1/workspaces/${workspaceId}/members`, { email, role });
  const memberIds = async (admin: Person, workspaceId: string) =>
    (await admin.client.get(`/api/v1/workspaces/${workspaceId}/members`)).body.items.map((m: { userId: string }) => m.userId);
  const myInvitations = async (person: Person) => (await person.client.get('/api/v1/workspace-invitations')).body.items;
  const pendingOf = async (admin: Person, workspaceId: string) => (await admin.client.get(`/api/v1/workspaces/${workspaceId}/invitations`)).body.items;

  it('nobody is put in a workspace without accepting: the invitee sees the invitation, accepts, and only then is a member', async () => {
    const [admin, person] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Person')]);
    const workspace = await createTeamWorkspace(admin.client, 'Acme');
    const list = (await admin.client.post('/api/v1/lists', { name: 'Roadmap', workspaceId: workspace.id })).body;

    const invited = await invite(admin, workspace.id, person.email, 'member');
    expect(invited.status).toBe(202);
    expect(invited.body).toEqual({
      invitation: {
        id: expect.any(String),
        workspaceId: workspace.id,
        email: person.email,
        role: 'member',
        status: 'pending',
        invitedBy: admin.user.id,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
      inviteUrl: expect.stringMatching(/^\/workspace-invite#.{40,}$/),
    });
    expect(await memberIds(admin, workspace.id)).toEqual([admin.user.id]);
    expect((await person.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    expect((await person.client.get('/api/v1/me')).body.workspaces.map((w: { id: string }) => w.id)).not.toContain(workspace.id);
    expect(await pendingOf(admin, workspace.id)).toEqual([invited.body.invitation]);
    expect(await myInvitations(person)).toEqual([
      {
        id: invited.body.invitation.id,
        workspaceId: workspace.id,
        workspaceName: 'Acme',
        role: 'member',
        invitedBy: admin.user.id,
        invitedByName: 'Admin',
        email: person.email,
        createdAt: invited.body.invitation.createdAt,
        expiresAt: invited.body.invitation.expiresAt,
      },
    ]);

    // The bell says so too, until it is answered.
    const notifications = async () => (await person.client.get('/api/v1/notifications')).body.items;
    expect(await notifications()).toEqual([
      expect.objectContaining({
        type: 'workspace_invited',
        actorId: admin.user.id,
        workspaceId: workspace.id,
        listId: null,
        invitationId: invited.body.invitation.id,
        data: { workspaceName: 'Acme', role: 'member', actorName: 'Admin' },
        read: false,
      }),
    ]);

    const accepted = await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`);
    expect([accepted.status, accepted.body]).toEqual([200, { workspace: { id: workspace.id, name: 'Acme', kind: 'team', role: 'member' } }]);
    expect(await memberIds(admin, workspace.id)).toEqual(expect.arrayContaining([admin.user.id, person.user.id]));
    expect((await person.client.get(`/api/v1/lists/${list.id}`)).body.role).toBe('editor');
    expect(await myInvitations(person)).toEqual([]);
    expect(await pendingOf(admin, workspace.id)).toEqual([]);
    expect(await notifications()).toEqual([]);
    const again = await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`);
    expect([again.status, again.body.code]).toEqual([410, 'gone']);
    expect((await invite(admin, workspace.id, person.email)).body.code).toBe('already_member');

    const history = (await admin.client.get(`/api/v1/workspaces/${workspace.id}/activity?limit=50`)).body.items.filter(
      (e: { listId: string | null }) => e.listId === null,
    );
    expect(history.map((e: any) => [e.type, e.actorId])).toEqual([
      ['member.joined', person.user.id],
      ['member.invited', admin.user.id],
    ]);
    expect(history[0].data).toMatchObject({ userId: person.user.id, role: 'member', invitedBy: admin.user.id });
  });

  it('the answer to an invitation is the same for an address with an account and one without: it tells nothing of who uses Listo', async () => {
    const [admin, person] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Known Name')]);
    const workspace = await createTeamWorkspace(admin.client);
    const known = await invite(admin, workspace.id, person.email);
    const unknown = await invite(admin, workspace.id, `nobody-${Date.now()}@example.com`);
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(Object.keys(known.body.invitation).sort()).toEqual(Object.keys(unknown.body.invitation).sort());
    expect(JSON.stringify(known.body)).not.toContain('Known Name');
    expect(JSON.stringify(known.body)).not.toContain(person.user.id);
    // Nor does the workspace's history name the account.
    const history = (await admin.client.get(`/api/v1/workspaces/${workspace.id}/activity`)).body.items;
    expect(JSON.stringify(history)).not.toContain(person.user.id);
  });

  it('declining: not a member, gone from both sides, recorded; answering again is 410', async () => {
    const [admin, person] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Person')]);
    const workspace = await createTeamWorkspace(admin.client);
    const invited = await invite(admin, workspace.id, person.email, 'admin');
    expect((await person.client.get('/api/v1/notifications')).body.items).toHaveLength(1);
    expect((await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/decline`)).status).toBe(204);
    expect((await person.client.get('/api/v1/notifications')).body.items).toEqual([]);
    expect(await memberIds(admin, workspace.id)).toEqual([admin.user.id]);
    expect(await myInvitations(person)).toEqual([]);
    expect(await pendingOf(admin, workspace.id)).toEqual([]);
    expect((await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`)).status).toBe(410);
    expect((await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/decline`)).status).toBe(410);
    const [latest] = (await admin.client.get(`/api/v1/workspaces/${workspace.id}/activity?limit=1`)).body.items;
    // Whom it went to, not who they are: the decline names no account and no name.
    expect(latest).toMatchObject({ type: 'member.declined', actorId: null, actorName: null, data: { email: person.email, role: 'admin' } });
    expect(JSON.stringify(latest)).not.toContain(person.user.id);
  });

  it('only the person it was sent to answers it in the app; others, and strangers to the workspace, get 404', async () => {
    const [admin, person, other] = await Promise.all([createUser(server.url), createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    const invited = await invite(admin, workspace.id, person.email);
    for (const path of ['accept', 'decline']) {
      const answer = await other.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/${path}`);
      expect([answer.status, answer.body.code]).toEqual([404, 'not_found']);
    }
    expect(await myInvitations(other)).toEqual([]);
    expect((await other.client.get(`/api/v1/workspaces/${workspace.id}/invitations`)).status).toBe(404);
    expect((await other.client.post(`/api/v1/workspaces/${workspace.id}/members`, { email: other.email, role: 'admin' })).status).toBe(404);
    expect((await other.client.delete(`/api/v1/workspaces/${workspace.id}/invitations/${invited.body.invitation.id}`)).status).toBe(404);
    expect(await pendingOf(admin, workspace.id)).toHaveLength(1);
  });

  it('members and guests may not invite, see or withdraw invitations (403); admins may', async () => {
    const [admin, member, guest] = await Promise.all([createUser(server.url), createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    await addToWorkspace(admin.client, workspace.id, member, 'member');
    await addToWorkspace(admin.client, workspace.id, guest, 'guest');
    const invited = await invite(admin, workspace.id, 'someone@example.com');
    for (const person of [member, guest]) {
      expect((await invite(person, workspace.id, 'another@example.com')).status).toBe(403);
      expect((await person.client.get(`/api/v1/workspaces/${workspace.id}/invitations`)).status).toBe(403);
      expect((await person.client.delete(`/api/v1/workspaces/${workspace.id}/invitations/${invited.body.invitation.id}`)).status).toBe(403);
    }
    expect((await pendingOf(admin, workspace.id)).map((i: { email: string }) => i.email)).toEqual(['someone@example.com']);
  });

  it('withdrawing: the invitee no longer sees it, its link stops working, withdrawing again is 410', async () => {
    const [admin, person] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    const invited = await invite(admin, workspace.id, person.email);
    const withdraw = () => admin.client.delete(`/api/v1/workspaces/${workspace.id}/invitations/${invited.body.invitation.id}`);
    expect((await withdraw()).status).toBe(204);
    expect(await myInvitations(person)).toEqual([]);
    expect((await person.client.get('/api/v1/notifications')).body.items).toEqual([]);
    const byLink = await person.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(invited.body.inviteUrl) });
    expect([byLink.status, byLink.body.code]).toEqual([410, 'gone']);
    expect((await withdraw()).status).toBe(410);
    expect(await memberIds(admin, workspace.id)).toEqual([admin.user.id]);
  });

  it('an address with no account yet: whoever signs up with it later does not get it in the app, the link holder joins', async () => {
    const admin = await createUser(server.url);
    const workspace = await createTeamWorkspace(admin.client);
    const email = `later-${Date.now()}@example.com`;
    const invited = await invite(admin, workspace.id, email, 'guest');
    // Addresses are not verified: an account made afterwards with the address proves nothing.
    server.clock.advance(1_000);
    const squatter = await createUser(server.url, 'Squatter', email);
    expect(await myInvitations(squatter)).toEqual([]);
    expect((await squatter.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`)).status).toBe(404);
    // The link's secret is the proof, whoever holds it (the admin handed it over).
    const holder = await createUser(server.url, 'Holder');
    const joined = await holder.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(invited.body.inviteUrl) });
    expect(joined.body).toEqual({ workspace: { id: workspace.id, name: workspace.name, kind: 'team', role: 'guest' } });
    expect(await memberIds(admin, workspace.id)).toEqual(expect.arrayContaining([holder.user.id]));
    expect(await memberIds(admin, workspace.id)).not.toContain(squatter.user.id);
    const unknown = await holder.client.post('/api/v1/workspace-invitations/accept-token', { token: 'not-a-real-token' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    expect((await holder.client.post('/api/v1/workspace-invitations/accept-token', {})).status).toBe(400);
  });

  it('someone already in the workspace who opens another person’s link neither uses it up nor takes its role', async () => {
    const [admin, member, invitee] = await Promise.all([createUser(server.url), createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    await addToWorkspace(admin.client, workspace.id, member, 'member');
    const invited = await invite(admin, workspace.id, invitee.email, 'admin');
    for (const opener of [member, admin]) {
      const answer = await opener.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(invited.body.inviteUrl) });
      expect([answer.status, answer.body.code]).toEqual([409, 'already_member']);
    }
    const roles = (await admin.client.get(`/api/v1/workspaces/${workspace.id}/members`)).body.items.map((m: { userId: string; role: string }) => [
      m.userId,
      m.role,
    ]);
    expect(roles).toEqual(expect.arrayContaining([[member.user.id, 'member']]));
    expect(await pendingOf(admin, workspace.id)).toHaveLength(1);
    expect((await invitee.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(invited.body.inviteUrl) })).body.workspace.role).toBe(
      'admin',
    );
  });

  it('a new invitation to the same address replaces the pending one: the old link is dead, the new role holds', async () => {
    const [admin, person] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    const first = await invite(admin, workspace.id, person.email, 'guest');
    const second = await invite(admin, workspace.id, person.email, 'admin');
    expect((await myInvitations(person)).map((i: { id: string; role: string }) => [i.id, i.role])).toEqual([[second.body.invitation.id, 'admin']]);
    expect((await person.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(first.body.inviteUrl) })).status).toBe(410);
    expect((await person.client.post('/api/v1/workspace-invitations/accept-token', { token: tokenOf(second.body.inviteUrl) })).body.workspace.role).toBe(
      'admin',
    );
  });

  it('an invitation no longer holds once whoever sent it is no longer an admin', async () => {
    const [owner, admin, person] = await Promise.all([createUser(server.url), createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(owner.client);
    await addToWorkspace(owner.client, workspace.id, admin, 'admin');
    const invited = await invite(admin, workspace.id, person.email, 'admin');
    expect((await owner.client.patch(`/api/v1/workspaces/${workspace.id}/members/${admin.user.id}`, { role: 'member' })).status).toBe(200);
    // Nor is it shown as pending any more, to its invitee or to the admins.
    expect(await myInvitations(person)).toEqual([]);
    expect(await pendingOf(owner, workspace.id)).toEqual([]);
    const answer = await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`);
    expect([answer.status, answer.body.code]).toEqual([410, 'gone']);
    expect(await memberIds(owner, workspace.id)).not.toContain(person.user.id);
  });

  it('someone who became a guest (through a shared list) after being invited as member gets the role the invitation gives', async () => {
    const [admin, person] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    const [shared, other] = await Promise.all(
      ['Shared', 'Other'].map(async (name) => (await admin.client.post('/api/v1/lists', { name, workspaceId: workspace.id })).body),
    );
    const invited = await invite(admin, workspace.id, person.email, 'member');
    await shareList(admin.client, shared.id, person, 'viewer');
    expect((await person.client.get(`/api/v1/lists/${other.id}`)).status).toBe(404);
    // Someone already in the workspace is not invited again: their role is changed instead.
    expect((await invite(admin, workspace.id, person.email, 'member')).body.code).toBe('already_member');
    expect((await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`)).body.workspace.role).toBe('member');
    expect((await person.client.get(`/api/v1/lists/${other.id}`)).body.role).toBe('editor');
  });

  it('an invitation expires after the invitation period', async () => {
    const [admin, person] = await Promise.all([createUser(server.url), createUser(server.url)]);
    const workspace = await createTeamWorkspace(admin.client);
    const invited = await invite(admin, workspace.id, person.email);
    // Last in this file: the server's clock does not go back.
    server.clock.advance(15 * 86_400_000);
    expect(await myInvitations(person)).toEqual([]);
    const answer = await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`);
    expect([answer.status, answer.body.code]).toEqual([410, 'gone']);
    expect(await pendingOf(admin, workspace.id)).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createList, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { shareList, tokenOf } from '../support/sharing.js';
import { TestSocket } from '../support/socket.js';
import { startTestServer, type TestServer } from '../support/server.js';

const dayMs = 86_400_000;

describe.each(testDialects())('invitations on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const setup = async () => {
    const owner = await createUser(server.url, 'Owner');
    const invitee = await createUser(server.url, 'Invitee');
    const list = await createList(owner.client, 'Trip');
    return { owner, invitee, list };
  };

  it('an existing user sees the invitation in the app, with a notification, and accepts it', async () => {
    const { owner, invitee, list } = await setup();
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email.toUpperCase(), role: 'editor' });
    expect(created.status).toBe(201);
    expect(created.body.invitation).toMatchObject({ email: invitee.email, role: 'editor', status: 'pending', listId: list.id, invitedBy: owner.user.id });
    expect(created.body.inviteUrl).toMatch(/^\/invite#[A-Za-z0-9_-]{43}$/); // 256 random bits, in the fragment only

    const pending = await invitee.client.get('/api/v1/invitations');
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        id: created.body.invitation.id,
        listId: list.id,
        listName: 'Trip',
        role: 'editor',
        invitedBy: owner.user.id,
        invitedByName: 'Owner',
      }),
    ]);
    const notifications = await invitee.client.get('/api/v1/notifications');
    expect(notifications.body.unreadCount).toBe(1);
    expect(notifications.body.items[0]).toMatchObject({
      type: 'invited',
      listId: list.id,
      invitationId: created.body.invitation.id,
      read: false,
      data: { listName: 'Trip' },
    });
    expect((await invitee.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404); // not before accepting

    const accepted = await invitee.client.post(`/api/v1/invitations/${created.body.invitation.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.list).toMatchObject({ id: list.id, role: 'editor' });
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toEqual([]);
    expect((await invitee.client.get('/api/v1/lists')).body.items.map((l: { id: string }) => l.id)).toContain(list.id);
    expect((await invitee.client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'Book hotel' })).status).toBe(201);

    const members = (await owner.client.get(`/api/v1/lists/${list.id}/members`)).body.items;
    expect(members).toEqual([
      { userId: owner.user.id, email: owner.email, name: 'Owner', role: 'owner', via: 'list' },
      { userId: invitee.user.id, email: invitee.email, name: 'Invitee', role: 'editor', via: 'list' },
    ]);
    const history = (await owner.client.get(`/api/v1/lists/${list.id}/activity`)).body.items;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['task.created', 'member.joined', 'member.invited', 'list.created']);
    expect(history[1]).toMatchObject({ actorId: invitee.user.id, data: { userId: invitee.user.id, role: 'editor' } });
    expect(history[2]).toMatchObject({ actorId: owner.user.id, data: { userId: invitee.user.id, email: invitee.email, role: 'editor' } });

    const again = await invitee.client.post(`/api/v1/invitations/${created.body.invitation.id}/accept`);
    expect([again.status, again.body.code]).toEqual([410, 'gone']);
  });

  it('publishes invitation.created, notification.created and list.added on the user channel after commit', async () => {
    const { owner, invitee, list } = await setup();
    const events: { userId: string; type: string; data: any }[] = [];
    const stop = server.app.listo.bus.onUserEvent((event) => events.push(event as never));
    try {
      const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'viewer' });
      await invitee.client.post(`/api/v1/invitations/${created.body.invitation.id}/accept`);
    } finally {
      stop();
    }
    const mine = events.filter((e) => e.userId === invitee.user.id);
    expect(mine.map((e) => e.type)).toEqual(['notification.created', 'invitation.created', 'list.added']);
    expect(mine[1]!.data).toMatchObject({ listId: list.id, listName: 'Trip', role: 'viewer' });
    expect(mine[2]!.data).toEqual({ listId: list.id, role: 'viewer' });
  });

  it('declining: no access, and the invitation cannot be accepted afterwards', async () => {
    const { owner, invitee, list } = await setup();
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
    const id = created.body.invitation.id;
    expect((await invitee.client.post(`/api/v1/invitations/${id}/decline`)).status).toBe(204);
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toEqual([]);
    expect((await invitee.client.post(`/api/v1/invitations/${id}/accept`)).status).toBe(410);
    expect((await invitee.client.post('/api/v1/invitations/accept-token', { token: tokenOf(created.body.inviteUrl) })).status).toBe(410);
    expect((await invitee.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    expect((await owner.client.get(`/api/v1/lists/${list.id}/invitations`)).body.items).toEqual([]);
  });

  it('someone else cannot see, accept or decline an invitation addressed to another email', async () => {
    const { owner, invitee, list } = await setup();
    const other = await createUser(server.url);
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
    const id = created.body.invitation.id;
    expect((await other.client.get('/api/v1/invitations')).body.items).toEqual([]);
    expect((await other.client.post(`/api/v1/invitations/${id}/accept`)).status).toBe(404);
    expect((await other.client.post(`/api/v1/invitations/${id}/decline`)).status).toBe(404);
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toHaveLength(1);
  });

  it('revoking: the invitation and its link stop working at once', async () => {
    const { owner, invitee, list } = await setup();
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
    const id = created.body.invitation.id;
    expect((await owner.client.get(`/api/v1/lists/${list.id}/invitations`)).body.items).toEqual([expect.objectContaining({ id, status: 'pending' })]);
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/invitations/${id}`)).status).toBe(204);
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toEqual([]);
    expect((await invitee.client.post(`/api/v1/invitations/${id}/accept`)).status).toBe(410);
    expect((await invitee.client.post('/api/v1/invitations/accept-token', { token: tokenOf(created.body.inviteUrl) })).status).toBe(410);
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/invitations/${id}`)).status).toBe(410);
    expect((await invitee.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('the "invited you" notification goes with an invitation declined, withdrawn or replaced by a new one', async () => {
    const { owner, invitee, list } = await setup();
    const invitedNotifications = async () =>
      (await invitee.client.get('/api/v1/notifications')).body.items
        .filter((n: { type: string }) => n.type === 'invited')
        .map((n: { invitationId: string }) => n.invitationId);
    const invite = async (role: string) =>
      (await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role })).body.invitation.id as string;

    const declined = await invite('editor');
    expect(await invitedNotifications()).toEqual([declined]);
    expect((await invitee.client.post(`/api/v1/invitations/${declined}/decline`)).status).toBe(204);
    expect(await invitedNotifications()).toEqual([]);

    const replaced = await invite('viewer');
    const replacing = await invite('commenter');
    expect(await invitedNotifications()).toEqual([replacing]);
    expect(replaced).not.toBe(replacing);

    expect((await owner.client.delete(`/api/v1/lists/${list.id}/invitations/${replacing}`)).status).toBe(204);
    expect(await invitedNotifications()).toEqual([]);
    expect((await invitee.client.get('/api/v1/notifications')).body.unreadCount).toBe(0);
  });

  it("a decline or a withdrawal reaches open share dialogs and the invitee's other tabs live, named only to those who may invite", async () => {
    const { owner, invitee, list } = await setup();
    const viewer = await createUser(server.url, 'Viewer');
    await shareList(owner.client, list.id, viewer, 'viewer');
    const ownerSocket = await TestSocket.open(server.url, owner.client);
    const inviteeSocket = await TestSocket.open(server.url, invitee.client);
    await ownerSocket.subscribe(list.id);
    try {
      const first = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
      const declined = await invitee.client.post(`/api/v1/invitations/${first.body.invitation.id}/decline`, undefined, { 'idempotency-key': 'decline-1' });
      expect(declined.status).toBe(204);
      const declineChange = await ownerSocket.next((m) => m.type === 'change' && m.change === 'member.declined');
      expect(declineChange).toMatchObject({
        listId: list.id,
        actorId: invitee.user.id,
        mutationId: 'decline-1',
        data: { invitationId: first.body.invitation.id, role: 'editor' },
      });
      expect(await inviteeSocket.next((m) => m.type === 'user' && m.event === 'invitation.removed')).toMatchObject({
        data: { invitationId: first.body.invitation.id, listId: list.id, reason: 'declined' },
      });

      const second = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'viewer' });
      expect((await owner.client.delete(`/api/v1/lists/${list.id}/invitations/${second.body.invitation.id}`)).status).toBe(204);
      expect(await ownerSocket.next((m) => m.type === 'change' && m.change === 'member.invitation_revoked')).toMatchObject({
        actorId: owner.user.id,
        data: { invitationId: second.body.invitation.id, userId: invitee.user.id },
      });
      expect(await inviteeSocket.next((m) => m.type === 'user' && m.event === 'invitation.removed')).toMatchObject({
        data: { invitationId: second.body.invitation.id, reason: 'revoked' },
      });

      const historyOf = async (reader: ApiClient) => (await reader.get(`/api/v1/lists/${list.id}/activity?limit=4`)).body.items;
      const [revokedForOwner, , declinedForOwner] = await historyOf(owner.client);
      expect(declinedForOwner).toMatchObject({ type: 'member.declined', actorName: 'Invitee', data: { email: invitee.email } });
      expect(revokedForOwner).toMatchObject({ type: 'member.invitation_revoked', actorName: 'Owner', data: { email: invitee.email } });
      const [revokedForViewer, , declinedForViewer] = await historyOf(viewer.client);
      expect(declinedForViewer).toMatchObject({ type: 'member.declined', actorName: null });
      expect(declinedForViewer.data).not.toHaveProperty('email');
      expect(revokedForViewer.data).not.toHaveProperty('email');
    } finally {
      ownerSocket.close();
      inviteeSocket.close();
    }
  });

  it("an invitee's email address is shown only to those who may invite: not in the history or live changes of commenters and viewers", async () => {
    const { owner, list } = await setup();
    const [editor, viewer] = [await createUser(server.url, 'Editor'), await createUser(server.url, 'Viewer')];
    await shareList(owner.client, list.id, editor, 'editor');
    await shareList(owner.client, list.id, viewer, 'viewer');
    const socket = await TestSocket.open(server.url, viewer.client);
    const { version } = await socket.subscribe(list.id);
    const address = `private-${Date.now()}@nowhere.test`;
    expect((await editor.client.post(`/api/v1/lists/${list.id}/members`, { email: address, role: 'commenter' })).status).toBe(201);

    const invitedIn = async (reader: ApiClient) => (await reader.get(`/api/v1/lists/${list.id}/activity?limit=1`)).body.items[0];
    expect((await invitedIn(owner.client)).data).toMatchObject({ email: address, role: 'commenter' });
    expect((await invitedIn(editor.client)).data).toMatchObject({ email: address, role: 'commenter' });
    const seenByViewer = await invitedIn(viewer.client);
    expect(seenByViewer).toMatchObject({ type: 'member.invited', actorId: editor.user.id, data: { role: 'commenter', userId: null } });
    expect(seenByViewer.data).not.toHaveProperty('email');

    const live = await socket.next((m) => m.type === 'change' && m.change === 'member.invited');
    expect(live.data).toMatchObject({ role: 'commenter' });
    expect(JSON.stringify(live)).not.toContain(address);
    socket.send({ type: 'replay', listId: list.id, sinceVersion: version });
    const replayed = await socket.next((m) => m.type === 'change' && m.change === 'member.invited');
    expect(JSON.stringify(replayed)).not.toContain(address);
    socket.close();
  });

  it('accepting an invitation as someone who already joined raises their role to the invited one, and never lowers it', async () => {
    const { owner, invitee, list } = await setup();
    const link = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' });
    const asEditor = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
    expect((await invitee.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) })).body.list.role).toBe('viewer');

    const accepted = await invitee.client.post(`/api/v1/invitations/${asEditor.body.invitation.id}/accept`, undefined, { 'idempotency-key': 'accept-1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.list).toMatchObject({ id: list.id, role: 'editor' });
    expect((await invitee.client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'Now I edit' })).status).toBe(201);
    const [, raised] = (await owner.client.get(`/api/v1/lists/${list.id}/activity?limit=2`)).body.items;
    expect(raised).toMatchObject({
      type: 'member.role_changed',
      actorId: invitee.user.id,
      data: { userId: invitee.user.id, role: 'editor', previousRole: 'viewer', invitationId: asEditor.body.invitation.id, invitedBy: owner.user.id },
    });

    // An invitation below the role someone already holds is answered without taking anything away.
    const other = await createUser(server.url, 'Other');
    const asViewer = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: other.email, role: 'viewer' });
    const commenterLink = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'commenter' });
    const joined = await other.client.post('/api/v1/share-links/join', { token: tokenOf(commenterLink.body.url) });
    expect(joined.body.list.role).toBe('commenter');
    const kept = await other.client.post(`/api/v1/invitations/${asViewer.body.invitation.id}/accept`);
    expect(kept.status).toBe(200);
    expect(kept.body.list.role).toBe('commenter');
    const types = (await owner.client.get(`/api/v1/lists/${list.id}/activity?limit=1`)).body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(['member.joined']);
  });

  it("an invitation dies with its sender's right to invite: a removed member cannot come back with a link they kept", async () => {
    const { owner, list } = await setup();
    const editor = await createUser(server.url, 'Editor');
    await shareList(owner.client, list.id, editor, 'editor');
    const spare = await editor.client.post(`/api/v1/lists/${list.id}/members`, { email: `spare-${Date.now()}@nowhere.test`, role: 'editor' });
    expect(spare.status).toBe(201);
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${editor.user.id}`)).status).toBe(204);

    const comeback = await editor.client.post('/api/v1/invitations/accept-token', { token: tokenOf(spare.body.inviteUrl) });
    expect(comeback.status, JSON.stringify(comeback.body)).toBe(410);
    expect(comeback.body.detail).toContain('no longer valid');
    expect((await editor.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    // An owner's invitation still works.
    const invited = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: `fresh-${Date.now()}@nowhere.test`, role: 'editor' });
    expect((await editor.client.post('/api/v1/invitations/accept-token', { token: tokenOf(invited.body.inviteUrl) })).status).toBe(200);
  });

  it('expires after 14 days', async () => {
    const { owner, invitee, list } = await setup();
    const early = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'viewer' });
    const other = await createUser(server.url);
    const late = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: other.email, role: 'viewer' });
    expect(late.body.invitation.expiresAt).toBe(new Date(server.clock.now().getTime() + 14 * dayMs).toISOString());
    server.clock.advance(14 * dayMs - 60_000);
    expect((await invitee.client.post(`/api/v1/invitations/${early.body.invitation.id}/accept`)).status).toBe(200);
    server.clock.advance(60_000);
    expect((await other.client.get('/api/v1/invitations')).body.items).toEqual([]);
    const expired = await other.client.post(`/api/v1/invitations/${late.body.invitation.id}/accept`);
    expect([expired.status, expired.body.code]).toEqual([410, 'gone']);
    expect((await other.client.post('/api/v1/invitations/accept-token', { token: tokenOf(late.body.inviteUrl) })).status).toBe(410);
    expect((await other.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('an unknown address gets a single-use link that works after sign-up; only its hash is stored', async () => {
    const { owner, list } = await setup();
    const email = `newcomer.${Date.now()}@example.com`;
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email, role: 'commenter' });
    expect(created.status).toBe(201);
    const token = tokenOf(created.body.inviteUrl);
    const row = await server.app.listo.db.kysely.selectFrom('invitations').selectAll().where('id', '=', created.body.invitation.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(token);

    server.clock.advance(60_000);
    const newcomer = new ApiClient(server.url);
    expect((await newcomer.post('/api/v1/auth/signup', { email, password: 'correct horse battery', name: 'Newcomer' })).status).toBe(201);
    // Email addresses are not verified: an account made after the invitation could be anyone's. Its link, shared
    // by the inviter, is what proves who was meant; the app's inbox and accepting by id are for older accounts.
    expect((await newcomer.get('/api/v1/invitations')).body.items).toEqual([]);
    expect((await newcomer.post(`/api/v1/invitations/${created.body.invitation.id}/accept`)).status).toBe(404);
    expect((await newcomer.post(`/api/v1/invitations/${created.body.invitation.id}/decline`)).status).toBe(404);
    const joined = await newcomer.post('/api/v1/invitations/accept-token', { token });
    expect(joined.status).toBe(200);
    expect(joined.body.list).toMatchObject({ id: list.id, role: 'commenter' });

    const thief = await createUser(server.url);
    const reused = await thief.client.post('/api/v1/invitations/accept-token', { token });
    expect([reused.status, reused.body.code]).toEqual([410, 'gone']);
    expect((await thief.client.post('/api/v1/invitations/accept-token', { token: 'x'.repeat(43) })).status).toBe(404);
    expect((await thief.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('two racing acceptances of one link: exactly one joins', async () => {
    const { owner, list } = await setup();
    const created = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: 'race@example.com', role: 'viewer' });
    const racers = await Promise.all([1, 2, 3].map(() => createUser(server.url)));
    const answers = await Promise.all(racers.map((r) => r.client.post('/api/v1/invitations/accept-token', { token: tokenOf(created.body.inviteUrl) })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410]);
    expect((await owner.client.get(`/api/v1/lists/${list.id}/members`)).body.items).toHaveLength(2);
  });

  it('inviting again replaces the pending invitation: the old link dies, the new role applies', async () => {
    const { owner, invitee, list } = await setup();
    const first = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'viewer' });
    const second = await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invitee.email, role: 'editor' });
    expect((await invitee.client.post('/api/v1/invitations/accept-token', { token: tokenOf(first.body.inviteUrl) })).status).toBe(410);
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toEqual([expect.objectContaining({ id: second.body.invitation.id, role: 'editor' })]);
    expect((await invitee.client.post('/api/v1/invitations/accept-token', { token: tokenOf(second.body.inviteUrl) })).body.list.role).toBe('editor');
  });

  it('rejects bad invitations with clear errors and writes nothing', async () => {
    const { owner, invitee, list } = await setup();
    const editor = await createUser(server.url, 'Editor');
    const commenter = await createUser(server.url, 'Commenter');
    await shareList(owner.client, list.id, editor, 'editor');
    await shareList(owner.client, list.id, commenter, 'commenter');
    const before = (await owner.client.get(`/api/v1/lists/${list.id}`)).body.version;
    const invite = (client: ApiClient, body: unknown) => client.post(`/api/v1/lists/${list.id}/members`, body);

    const invalid = await invite(owner.client, { email: 'not-an-email', role: 'viewer' });
    expect([invalid.status, invalid.body.code, invalid.body.errors[0].field]).toEqual([400, 'validation_failed', 'email']);
    const badRole = await invite(owner.client, { email: invitee.email, role: 'admin' });
    expect([badRole.status, badRole.body.errors[0].field]).toEqual([400, 'role']);
    const already = await invite(owner.client, { email: editor.email, role: 'viewer' });
    expect([already.status, already.body.code]).toEqual([409, 'already_member']);
    const self = await invite(owner.client, { email: owner.email, role: 'viewer' });
    expect([self.status, self.body.code]).toEqual([409, 'already_member']);
    const aboveOwn = await invite(editor.client, { email: invitee.email, role: 'owner' });
    expect([aboveOwn.status, aboveOwn.body.code]).toEqual([422, 'role_too_high']);
    const secondOwner = await invite(owner.client, { email: invitee.email, role: 'owner' });
    expect([secondOwner.status, secondOwner.body.code]).toEqual([422, 'unprocessable']);
    const commenterInvites = await invite(commenter.client, { email: invitee.email, role: 'viewer' });
    expect([commenterInvites.status, commenterInvites.body.code]).toEqual([403, 'forbidden']);

    expect((await owner.client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(before);
    expect((await owner.client.get(`/api/v1/lists/${list.id}/invitations`)).body.items).toEqual([]);
    expect((await invitee.client.get('/api/v1/invitations')).body.items).toEqual([]);
    // An editor may invite up to their own role.
    expect((await invite(editor.client, { email: invitee.email, role: 'editor' })).status).toBe(201);
  });
});

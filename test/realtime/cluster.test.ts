/** Two server nodes sharing PostgreSQL and Redis, a client on each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createList, createTask, createUser } from '../support/client.js';
import { startTwoNodes, twoNodesRunnable as runnable, type TwoNodes } from '../support/cluster.js';
import type { PrivateRedis } from '../support/redis.js';
import type { TestServer } from '../support/server.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { eventually, sleep, TestSocket } from '../support/socket.js';

if (!runnable) console.warn('[listo tests] two-node real-time suite skipped: needs PostgreSQL (CI=true or TEST_DATABASE_URL) and redis-server.');

describe.skipIf(!runnable)('real-time across two nodes (PostgreSQL + Redis)', () => {
  let cluster: TwoNodes | undefined;
  let redis: PrivateRedis;
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    cluster = await startTwoNodes();
    ({ redis, nodeA, nodeB } = cluster);
  });
  afterAll(() => cluster?.close());

  /** An owner on node A and an editor of their list, subscribed to it on node B. */
  async function editorWatchingFromNodeB() {
    const owner = await createUser(nodeA.url);
    const member = await createUser(nodeA.url);
    const list = await createList(owner.client);
    await shareList(owner.client, list.id, member, 'editor');
    const memberB = new ApiClient(nodeB.url);
    memberB.cookie = member.client.cookie;
    const onB = await TestSocket.open(nodeB.url, memberB);
    await onB.subscribe(list.id);
    return { owner, member, list, onB };
  }

  it('a change committed on one node reaches a client on the other', async () => {
    const { client } = await createUser(nodeA.url);
    const list = await createList(client);
    const onA = await TestSocket.open(nodeA.url, client);
    await onA.subscribe(list.id);

    const viaB = new ApiClient(nodeB.url);
    viaB.cookie = client.cookie; // the same session works on every node
    const created = await createTask(viaB, list.id, 'written on B');
    const change = await onA.next((m) => m.type === 'change');
    expect(change).toMatchObject({ version: list.version + 1, data: { task: { id: created.id, title: 'written on B' } } });
    onA.close();
  });

  it('with Redis down, each node serves its own clients; when Redis returns, the others catch up by version', async () => {
    const { client } = await createUser(nodeA.url);
    const list = await createList(client);
    const viaB = new ApiClient(nodeB.url);
    viaB.cookie = client.cookie;
    const onA = await TestSocket.open(nodeA.url, client);
    const onB = await TestSocket.open(nodeB.url, viaB);
    await onA.subscribe(list.id);
    await onB.subscribe(list.id);

    await redis.stop();
    await createTask(viaB, list.id, 'during the outage');
    // Node B's own client gets it at once; node A's cannot hear of it yet.
    expect(await onB.next((m) => m.type === 'change')).toMatchObject({ version: list.version + 1 });
    expect(onA.changes(list.id)).toEqual([]);

    await redis.resume();
    const caughtUp = await onA.next((m) => m.type === 'change', 10_000);
    expect(caughtUp).toMatchObject({ version: list.version + 1, data: { task: { title: 'during the outage' } } });

    // And live delivery across nodes works again.
    await createTask(viaB, list.id, 'after the outage');
    expect(await onA.next((m) => m.type === 'change' && m.version === list.version + 2, 5_000)).toBeTruthy();
    onA.close();
    onB.close();
  }, 30_000);

  it('what happened elsewhere during a Redis outage still ends access: a removal revokes, a logout closes the socket', async () => {
    const owner = await createUser(nodeA.url);
    const member = await createUser(nodeA.url);
    const leaver = await createUser(nodeA.url);
    const list = await createList(owner.client);
    await shareList(owner.client, list.id, member, 'editor');
    await shareList(owner.client, list.id, leaver, 'editor');
    const onB = (person: typeof member) => {
      const client = new ApiClient(nodeB.url);
      client.cookie = person.client.cookie;
      return TestSocket.open(nodeB.url, client);
    };
    const memberOnB = await onB(member);
    const leaverOnB = await onB(leaver);
    await memberOnB.subscribe(list.id);
    await leaverOnB.subscribe(list.id);

    await redis.stop();
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${member.user.id}`)).status).toBe(204);
    expect((await leaver.client.post('/api/v1/auth/logout')).status).toBe(204);
    await createTask(owner.client, list.id, 'secret after removal');

    await redis.resume();
    expect(await memberOnB.next((m) => m.type === 'revoked', 10_000)).toEqual({ type: 'revoked', listId: list.id });
    expect((await leaverOnB.closed).code).toBe(1008);
    expect(memberOnB.changes(list.id).map((m) => m.data.task?.title)).not.toContain('secret after removal');
    memberOnB.close();
  }, 30_000);

  it('after an outage, a removal buried under more changes than a replay holds still revokes', async () => {
    const { owner, member, list, onB } = await editorWatchingFromNodeB();

    await redis.stop();
    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${member.user.id}`)).status).toBe(204);
    // More than the 1,000 changes a replay sends: the client would be told to refetch instead.
    for (let i = 0; i < 1_010; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => createTask(owner.client, list.id, `bulk ${i + j}`)));
    await redis.resume();

    expect(await onB.next((m) => m.type === 'revoked', 10_000)).toEqual({ type: 'revoked', listId: list.id });
    await createTask(owner.client, list.id, 'secret after removal');
    await sleep(300);
    expect(onB.changes(list.id).map((m) => m.data.task?.title)).not.toContain('secret after removal');
    expect(onB.messages.filter((m) => m.type === 'resync' && m.listId === list.id)).toEqual([]);
    onB.close();
  }, 60_000);

  it('after an outage, a list deleted elsewhere is revoked, and the user channel is told to reload what it missed', async () => {
    const { owner, member, list, onB } = await editorWatchingFromNodeB();
    const other = await createList(owner.client, 'Other');

    await redis.stop();
    expect((await owner.client.delete(`/api/v1/lists/${list.id}`)).status).toBe(204);
    await shareList(owner.client, other.id, member, 'viewer'); // announced on a channel node B did not hear
    await redis.resume();

    expect(await onB.next((m) => m.type === 'revoked', 10_000)).toEqual({ type: 'revoked', listId: list.id });
    expect(await onB.next((m) => m.type === 'user' && m.event === 'resync', 5_000)).toEqual({ type: 'user', event: 'resync', data: {} });
    onB.close();
  }, 30_000);
  it("after an outage, a list's subscribers on a node are checked together, a few queries for them all; a workspace removal still revokes", async () => {
    const admin = await createUser(nodeA.url);
    const colleague = await createUser(nodeA.url);
    const leaver = await createUser(nodeA.url);
    const team = await createTeamWorkspace(admin.client, 'Outage team');
    await addToWorkspace(admin.client, team.id, colleague, 'member');
    await addToWorkspace(admin.client, team.id, leaver, 'member');
    const list = (await admin.client.post('/api/v1/lists', { name: 'Team list', workspaceId: team.id })).body;
    // 30 tabs of a colleague who sees the list through the workspace, and one of someone about to leave it.
    const tabs = await Promise.all(Array.from({ length: 30 }, () => TestSocket.open(nodeA.url, colleague.client)));
    for (const tab of tabs) await tab.subscribe(list.id);
    const leaving = await TestSocket.open(nodeA.url, leaver.client);
    await leaving.subscribe(list.id);

    await redis.stop();
    const viaB = new ApiClient(nodeB.url);
    viaB.cookie = admin.client.cookie;
    expect((await viaB.delete(`/api/v1/workspaces/${team.id}/members/${leaver.user.id}`)).status).toBe(204);
    await sleep(200); // node A cannot hear of it: Redis is down
    const executor = nodeA.app.listo.db.kysely.getExecutor() as { executeQuery: (...args: unknown[]) => unknown };
    const execute = executor.executeQuery.bind(executor);
    let queries = 0;
    executor.executeQuery = (...args: unknown[]) => {
      queries++;
      return execute(...args);
    };
    try {
      await redis.resume();
      expect(await leaving.next((m) => m.type === 'revoked', 10_000)).toEqual({ type: 'revoked', listId: list.id });
      for (const tab of tabs) await tab.next((m) => m.type === 'user' && m.event === 'resync', 5_000);
      await sleep(300);
      // Node A catches up twice: on its own reconnect, and when node B rings for the change it could not publish.
      // Each time: a credential check per session, and the list's access and log read once for all 31 subscribers
      // (6 queries); before, one access check and up to two log reads per subscriber (over 180 in all).
      expect(queries).toBeLessThan(20);
    } finally {
      executor.executeQuery = execute;
    }
    // Each tab got what it missed (the removal) once, and is live again.
    const task = await createTask(viaB, list.id, 'after the outage');
    for (const tab of tabs) await eventually(() => tab.changes(list.id).some((m) => m.data.task?.id === task.id), 5_000);
    for (const tab of tabs) expect(tab.changes(list.id).map((m) => m.version)).toEqual([list.version + 1, list.version + 2]);
    expect(leaving.changes(list.id)).toEqual([]);
    for (const tab of [...tabs, leaving]) tab.close();
  }, 30_000);
});

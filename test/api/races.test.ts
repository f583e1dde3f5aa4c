/**
 * Concurrent requests that must give the answers the same requests give one after the other. On
 * PostgreSQL, transactions really run at the same time (READ COMMITTED), so each test repeats its race
 * many times; on SQLite (one writer) they pass anyway and stand as the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createList, createTask, createUser } from '../support/client.js';
import { startTwoNodes, twoNodesRunnable as twoNodes, type TwoNodes } from '../support/cluster.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace, tokenOf } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const outcome = (response: { status: number; body: any }) => `${response.status}${response.body?.code ? ` ${response.body.code}` : ''}`;

describe.each(testDialects())('concurrent requests on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  describe('a team workspace always keeps an admin', () => {
    const trials = 20;

    for (const how of ['demote', 'leave'] as const) {
      it(`two admins who ${how === 'demote' ? 'make themselves members' : 'leave'} at once: one of them is refused`, async () => {
        const [a, b] = await Promise.all([createUser(server.url, 'Ada'), createUser(server.url, 'Bob')]);
        const results = [];
        for (let i = 0; i < trials; i++) {
          const workspace = await createTeamWorkspace(a!.client);
          await addToWorkspace(a!.client, workspace.id, b!, 'admin');
          const step = (person: typeof a) =>
            how === 'demote'
              ? person!.client.patch(`/api/v1/workspaces/${workspace.id}/members/${person!.user.id}`, { role: 'member' })
              : person!.client.delete(`/api/v1/workspaces/${workspace.id}/members/${person!.user.id}`);
          const answers = await Promise.all([step(a), step(b)]);
          // Whoever is still in the workspace can read its members.
          const readers = await Promise.all([a, b].map((p) => p!.client.get(`/api/v1/workspaces/${workspace.id}/members`)));
          const members = readers.find((r) => r.status === 200)?.body.items ?? [];
          results.push({ answers: answers.map(outcome).sort(), admins: members.filter((m: { role: string }) => m.role === 'admin').length });
        }
        const ok = how === 'demote' ? '200' : '204';
        expect(results.filter((r) => r.admins !== 1)).toEqual([]);
        expect(results.filter((r) => r.answers.join() !== `${ok},422 last_owner`)).toEqual([]);
      });
    }
  });

  it('accepting the same workspace invitation three times at once (a double click): one 200, then 410 gone; a member once', async () => {
    const [admin, person] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Person')]);
    const results = [];
    for (let i = 0; i < 10; i++) {
      const workspace = await createTeamWorkspace(admin!.client);
      await admin!.client.post('/api/v1/lists', { name: 'Roadmap', workspaceId: workspace.id });
      const invited = await admin!.client.post(`/api/v1/workspaces/${workspace.id}/members`, { email: person!.email, role: 'member' });
      const answers = await Promise.all(times(3, () => person!.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`)));
      const members = (await admin!.client.get(`/api/v1/workspaces/${workspace.id}/members`)).body.items;
      results.push(`${answers.map(outcome).sort().join()} / ${members.filter((m: { userId: string }) => m.userId === person!.user.id).length}`);
    }
    expect(results.filter((r) => r !== '200,410 gone,410 gone / 1')).toEqual([]);
  });

  it('an outsider joining two lists of one team workspace at once becomes its guest once, and joins both', async () => {
    const owner = await createUser(server.url, 'Owner');
    const results = [];
    for (let i = 0; i < 10; i++) {
      const outsider = await createUser(server.url, 'Outsider');
      const workspace = await createTeamWorkspace(owner.client);
      const lists = await Promise.all(times(2, (n) => owner.client.post('/api/v1/lists', { name: `List ${n}`, workspaceId: workspace.id })));
      const links = await Promise.all(lists.map((l) => owner.client.post(`/api/v1/lists/${l.body.id}/share-link`, { role: 'editor' })));
      // Both lists at once, and the first link twice (a double click).
      const tokens = [...links, links[0]!].map((link) => tokenOf(link.body.url));
      const answers = await Promise.all(tokens.map((token) => outsider.client.post('/api/v1/share-links/join', { token })));
      const members = (await owner.client.get(`/api/v1/workspaces/${workspace.id}/members`)).body.items;
      const seen = (await outsider.client.get('/api/v1/lists')).body.items.map((l: { id: string }) => l.id).sort();
      results.push({
        answers: answers.map(outcome).join(),
        guest: members.filter((m: { userId: string }) => m.userId === outsider.user.id).map((m: { role: string }) => m.role),
        sees: seen.length,
      });
    }
    expect(results.filter((r) => r.answers !== '200,200,200' || r.guest.join() !== 'guest' || r.sees !== 2)).toEqual([]);
  });

  it('accepting a workspace invitation while joining one of its lists through a link: both answered, a member in the end', async () => {
    const admin = await createUser(server.url, 'Admin');
    const results = [];
    for (let i = 0; i < 10; i++) {
      const person = await createUser(server.url, 'Person');
      const workspace = await createTeamWorkspace(admin.client);
      const lists = await Promise.all(times(3, (n) => admin.client.post('/api/v1/lists', { name: `List ${n}`, workspaceId: workspace.id })));
      const link = await admin.client.post(`/api/v1/lists/${lists[1]!.body.id}/share-link`, { role: 'viewer' });
      const invited = await admin.client.post(`/api/v1/workspaces/${workspace.id}/members`, { email: person.email, role: 'member' });
      const [accepted, joined] = await Promise.all([
        person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`),
        person.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) }),
      ]);
      // Either order ends the same: joined first as a guest, the invitation then raises them to what it says.
      const role = (await admin.client.get(`/api/v1/workspaces/${workspace.id}/members`)).body.items.find(
        (m: { userId: string }) => m.userId === person.user.id,
      )?.role;
      results.push(`${outcome(accepted)} / ${outcome(joined)} / ${role}`);
    }
    expect(results.filter((r) => r !== '200 / 200 / member')).toEqual([]);
  });

  it('an API token revoked while it is being used is refused as soon as the revocation has answered', async () => {
    const { client } = await createUser(server.url, 'Revoker');
    const leaks = [];
    for (let i = 0; i < 30; i++) {
      const created = await client.post('/api/v1/tokens', { name: `script ${i}` });
      const script = new ApiClient(server.url, null);
      script.bearer = created.body.token;
      // Requests with the token race the revocation; some read the token before it was deleted.
      const [revoked] = await Promise.all([client.delete(`/api/v1/tokens/${created.body.id}`), ...times(4, () => script.get('/api/v1/me'))]);
      expect(revoked.status).toBe(204);
      const after = await script.get('/api/v1/me');
      if (after.status !== 401) leaks.push({ trial: i, status: after.status });
    }
    expect(leaks).toEqual([]);
  });

  it('a session logged out while it is being used is refused as soon as the logout has answered', async () => {
    const leaks = [];
    for (let i = 0; i < 20; i++) {
      const { client } = await createUser(server.url, 'Leaver');
      const cookie = client.cookie!;
      const tab = new ApiClient(server.url);
      tab.cookie = cookie;
      const [loggedOut] = await Promise.all([client.post('/api/v1/auth/logout'), ...times(4, () => tab.get('/api/v1/me'))]);
      expect(loggedOut.status).toBe(204);
      tab.cookie = cookie; // the other tab still sends it
      const after = await tab.get('/api/v1/me');
      if (after.status !== 401) leaks.push({ trial: i, status: after.status });
    }
    expect(leaks).toEqual([]);
  });

  describe('lists of one workspace created or reordered at once keep distinct places', () => {
    const names = (items: { name: string }[]) => items.map((l) => l.name);
    const listsOf = async (client: ApiClient, workspaceId: string) =>
      (await client.get(`/api/v1/lists?workspaceId=${workspaceId}`)).body.items as { id: string; name: string; position: string }[];

    it('six lists created at once get six places, and a list placed after another lands right after it', async () => {
      const { client } = await createUser(server.url, 'Creator');
      const failures = [];
      for (let i = 0; i < 15; i++) {
        const workspace = await createTeamWorkspace(client);
        const created = await Promise.all(times(6, (n) => client.post('/api/v1/lists', { name: `C${n}`, workspaceId: workspace.id })));
        expect(created.map(outcome)).toEqual(times(6, () => '201'));
        const lists = await listsOf(client, workspace.id);
        // Move the last list right after the first, as a person dragging it would.
        const [first, , , , , last] = lists;
        await client.patch(`/api/v1/lists/${last!.id}`, { afterId: first!.id });
        const order = names(await listsOf(client, workspace.id));
        const expected = [first!.name, last!.name, ...names(lists.slice(1, 5))];
        const places = new Set(lists.map((l) => l.position)).size;
        if (places !== 6 || order.join() !== expected.join()) failures.push({ trial: i, places, order, expected });
      }
      expect(failures).toEqual([]);
    });

    it('five lists moved after the first at once all land between it and the list that followed it', async () => {
      const { client } = await createUser(server.url, 'Mover');
      const failures = [];
      for (let i = 0; i < 15; i++) {
        const workspace = await createTeamWorkspace(client);
        const ids: string[] = [];
        for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) ids.push((await client.post('/api/v1/lists', { name, workspaceId: workspace.id })).body.id);
        const moves = await Promise.all(ids.slice(2).map((id) => client.patch(`/api/v1/lists/${id}`, { afterId: ids[0] })));
        expect(moves.map(outcome)).toEqual(times(5, () => '200'));
        const lists = await listsOf(client, workspace.id);
        const order = names(lists);
        const places = new Set(lists.map((l) => l.position)).size;
        if (places !== 7 || order[0] !== 'A' || order[6] !== 'B') failures.push({ trial: i, places, order: order.join('') });
      }
      expect(failures).toEqual([]);
    });

    it("a reorder racing a change of the workspace's members and task writes on its lists: all answered, never a deadlock", async () => {
      const [admin, person] = await Promise.all([createUser(server.url, 'Admin'), createUser(server.url, 'Person')]);
      const results = [];
      for (let i = 0; i < 10; i++) {
        const workspace = await createTeamWorkspace(admin.client);
        const ids: string[] = [];
        for (const name of ['A', 'B', 'C']) ids.push((await admin.client.post('/api/v1/lists', { name, workspaceId: workspace.id })).body.id);
        const invited = await admin.client.post(`/api/v1/workspaces/${workspace.id}/members`, { email: person.email, role: 'member' });
        const answers = await Promise.all([
          admin.client.patch(`/api/v1/lists/${ids[2]}`, { beforeId: ids[0] }),
          person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`),
          admin.client.post(`/api/v1/lists/${ids[2]}/tasks`, { title: 'task' }),
          admin.client.post('/api/v1/lists', { name: 'D', workspaceId: workspace.id }),
          admin.client.patch(`/api/v1/lists/${ids[1]}`, { afterId: null }),
        ]);
        results.push(answers.map(outcome).join());
      }
      expect(results.filter((r) => r !== '200,200,201,201,200')).toEqual([]);
    });
  });

  describe('one task moved by several requests at once', () => {
    type Seen = { id: string; listId: string; position: string };
    type Event = { type: string; taskId: string | null; version: number | null; data: { removed?: boolean } };

    /**
     * What clients of the lists see after a burst: the task in exactly one list (the one GET /tasks/:id
     * names), distinct positions in every list, each list's change log numbered 1..version without a gap
     * or a repeat, and a client replaying a list's log keeping the task exactly where it is.
     */
    async function anomaliesOf(client: ApiClient, listIds: string[], taskId: string) {
      const found: string[] = [];
      const [task, ...perList] = await Promise.all([
        client.get(`/api/v1/tasks/${taskId}`),
        ...listIds.map(async (listId) => {
          const [tasks, list, log] = await Promise.all([
            client.get(`/api/v1/lists/${listId}/tasks?limit=200`),
            client.get(`/api/v1/lists/${listId}`),
            client.get(`/api/v1/lists/${listId}/activity?limit=500`),
          ]);
          return { listId, tasks: tasks.body.items as Seen[], version: list.body.version as number, events: log.body.items as Event[] };
        }),
      ]);
      for (const { listId, tasks, version, events } of perList) {
        const name = listIds.indexOf(listId);
        if (tasks.some((t) => t.id === taskId)) found.push(`list ${name}`);
        if (new Set(tasks.map((t) => t.position)).size !== tasks.length) found.push(`list ${name}: two tasks in one place`);
        const versions = events
          .map((e) => e.version)
          .filter((v): v is number => v !== null)
          .sort((a, b) => a - b);
        if (versions.join() !== times(version, (i) => i + 1).join()) found.push(`list ${name}: versions ${versions.join()} up to ${version}`);
        const last = events.filter((e) => e.taskId === taskId && e.version !== null).sort((a, b) => b.version! - a.version!)[0];
        const replayed = last !== undefined && !(last.type === 'task.moved' && last.data.removed);
        if (replayed !== tasks.some((t) => t.id === taskId)) found.push(`list ${name}: its log says the task is ${replayed ? 'in' : 'out'}`);
      }
      const inLists = found.filter((f) => /^list \d+$/.test(f));
      const where = `list ${listIds.indexOf(task.body.listId)}`;
      if (inLists.length !== 1 || inLists[0] !== where) found.push(`in ${inLists.join(' and ') || 'no list'}, GET says ${where}`);
      return found.filter((f) => !/^list \d+$/.test(f));
    }

    it('moves of one task to different lists, back and forth, and within its list: each answered 200 or 4xx, never a 500, and the lists stay consistent', async () => {
      const { client } = await createUser(server.url, 'Mover');
      const failures = [];
      // SQLite runs one writer at a time: a few trials stand as the reference.
      for (let i = 0; i < (dialect === 'postgres' ? 12 : 3); i++) {
        const lists: string[] = [];
        for (let n = 0; n < 4; n++) lists.push((await createList(client, `L${n}`)).id);
        const task = await createTask(client, lists[0]!, 'the task');
        const others = await Promise.all(lists.map((listId, n) => createTask(client, listId, `other ${n}`)));
        const move = (body: object, id = task.id) => client.post(`/api/v1/tasks/${id}/move`, body);
        const answers = await Promise.all([
          move({ listId: lists[1] }),
          move({ listId: lists[2] }),
          move({ listId: lists[3], afterId: null }),
          move({ listId: lists[1], afterId: null }),
          move({ listId: lists[0] }),
          move({ afterId: null }), // to the top of whichever list it is in
          move({ listId: lists[2], beforeId: null }),
          move({ listId: lists[3] }),
          // Opposite moves of two other tasks between two lists, and new tasks landing where the task goes.
          move({ listId: lists[2] }, others[1]!.id),
          move({ listId: lists[1] }, others[2]!.id),
          client.post(`/api/v1/lists/${lists[1]}/tasks`, { title: 'new' }),
          client.post(`/api/v1/lists/${lists[3]}/tasks`, { title: 'new', afterId: null }),
        ]);
        const statuses = answers.map((a) => a.status);
        const anomalies = await anomaliesOf(client, lists, task.id);
        if (statuses.some((s) => s >= 500) || anomalies.length > 0) failures.push({ trial: i, answers: answers.map(outcome).join(), anomalies });
      }
      expect(failures).toEqual([]);
    });
  });
});

if (!twoNodes) console.warn('[listo tests] two-node revocation races skipped: need PostgreSQL (CI=true or TEST_DATABASE_URL) and redis-server.');
describe.skipIf(!twoNodes)('a revocation on one node, requests on another (PostgreSQL + Redis)', () => {
  let cluster: TwoNodes | undefined;
  let nodeA: TestServer;
  let nodeB: TestServer;
  beforeAll(async () => {
    cluster = await startTwoNodes();
    ({ nodeA, nodeB } = cluster);
  });
  afterAll(() => cluster?.close());

  it('a token revoked on node A while node B serves it is refused on B as soon as the revocation has crossed the bus', async () => {
    const { client } = await createUser(nodeA.url, 'Revoker');
    const leaks = [];
    for (let i = 0; i < 30; i++) {
      const created = await client.post('/api/v1/tokens', { name: `script ${i}` });
      const script = new ApiClient(nodeB.url, null);
      script.bearer = created.body.token;
      const [revoked] = await Promise.all([client.delete(`/api/v1/tokens/${created.body.id}`), ...times(4, () => script.get('/api/v1/me'))]);
      expect(revoked.status).toBe(204);
      // The eviction reaches B through Redis a moment later; the test clock stands still, so a wrongly
      // remembered token would stay accepted for good.
      let after = await script.get('/api/v1/me');
      for (let wait = 0; after.status === 200 && wait < 2_000; wait += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = await script.get('/api/v1/me');
      }
      if (after.status !== 401) leaks.push({ trial: i, status: after.status });
    }
    expect(leaks).toEqual([]);
  });
});

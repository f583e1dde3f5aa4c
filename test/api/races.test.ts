/**
 * Concurrent requests that must give the answers the same requests give one after the other. On
 * PostgreSQL, transactions really run at the same time (READ COMMITTED), so each test repeats its race
 * many times; on SQLite (one writer) they pass anyway and stand as the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

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
});

/** Collections answer `{items, nextCursor}`, and routes that take no query refuse an unknown parameter by name. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workspaceSummarySchema } from '../../src/core/schemas/auth.js';
import { invitationSchema, memberSchema, pendingInvitationSchema } from '../../src/core/schemas/members.js';
import { pendingWorkspaceInvitationSchema, workspaceInvitationSchema, workspaceMemberSchema } from '../../src/core/schemas/workspaces.js';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { createTeamWorkspace } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('collections on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('answers every collection as {items, nextCursor}, items as the web app reads them', async () => {
    const owner = await createUser(server.url);
    const invited = await createUser(server.url);
    const list = await createList(owner.client);
    expect((await owner.client.post(`/api/v1/lists/${list.id}/members`, { email: invited.email, role: 'editor' })).status).toBe(201);
    const workspaceId = (await owner.client.get('/api/v1/workspaces')).body.items[0].id as string;
    expect((await owner.client.post('/api/v1/tokens', { name: 'script' })).status).toBe(201);
    const team = await createTeamWorkspace(owner.client);
    expect((await owner.client.post(`/api/v1/workspaces/${team.id}/members`, { email: invited.email, role: 'member' })).status).toBe(202);

    // Each with the item schema the web app parses it with (src/web/api/collaboration.ts).
    const collections = [
      { client: owner.client, path: '/api/v1/workspaces', item: workspaceSummarySchema },
      { client: owner.client, path: `/api/v1/workspaces/${workspaceId}/members`, item: workspaceMemberSchema },
      { client: owner.client, path: `/api/v1/lists/${list.id}/invitations`, item: invitationSchema },
      { client: invited.client, path: '/api/v1/invitations', item: pendingInvitationSchema },
      { client: owner.client, path: '/api/v1/tokens', item: z.object({ id: z.string() }) },
      { client: owner.client, path: `/api/v1/lists/${list.id}/members`, item: memberSchema },
      { client: owner.client, path: `/api/v1/workspaces/${team.id}/invitations`, item: workspaceInvitationSchema },
      { client: invited.client, path: '/api/v1/workspace-invitations', item: pendingWorkspaceInvitationSchema },
    ];
    for (const { client, path, item } of collections) {
      const response = await client.get(path);
      expect(response.status, path).toBe(200);
      expect(response.body, path).toEqual({ items: expect.any(Array), nextCursor: null });
      expect(response.body.items.length, path).toBeGreaterThan(0);
      expect(() => z.object({ items: z.array(item), nextCursor: z.null() }).parse(response.body), path).not.toThrow();
    }
  });

  it('refuses a query parameter a route does not take, naming it, as /lists does', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'milk');
    const workspaceId = (await client.get('/api/v1/workspaces')).body.items[0].id as string;
    for (const path of [
      '/api/v1/lists?colour=red',
      '/api/v1/workspaces?colour=red',
      `/api/v1/workspaces/${workspaceId}/members?colour=red`,
      '/api/v1/invitations?colour=red',
      '/api/v1/workspace-invitations?colour=red',
      `/api/v1/workspaces/${workspaceId}/invitations?colour=red`,
      `/api/v1/lists/${list.id}/invitations?colour=red`,
      `/api/v1/tasks/${task.id}?colour=red`,
      '/api/v1/tokens?limit=1',
      `/api/v1/lists/${list.id}/members?colour=red`,
      '/api/v1/billing/meters?colour=red',
      '/api/v1/billing/plans?colour=red',
      `/api/v1/workspaces/${workspaceId}/subscriptions?colour=red`,
    ]) {
      const response = await client.get(path);
      expect(response.status, path).toBe(400);
      const field = path.includes('limit=') ? 'querystring.limit' : 'querystring.colour';
      expect(response.body, path).toMatchObject({ code: 'validation_failed', errors: [{ field }] });
    }
    // Without one, they answer as before; billing's whole collections in the same shape.
    for (const path of ['/api/v1/billing/meters', '/api/v1/billing/plans', `/api/v1/workspaces/${workspaceId}/subscriptions`]) {
      expect((await client.get(path)).body, path).toEqual({ items: expect.any(Array), nextCursor: null });
    }
    expect((await client.get('/api/v1/tokens')).status).toBe(200);
    expect((await client.get(`/api/v1/tasks/${task.id}`)).status).toBe(200);
  });
});

/** The multipart form of `POST /api/v1/uploads`: where the upload goes is read from fields sent before the file. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTeamWorkspace } from '../support/sharing.js';
import { multipart, upload } from '../support/uploads.js';

describe.each(testDialects())('upload form fields, on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('a workspaceId or listId sent after the file is refused (400, naming it), whatever the size, and nothing is stored', async () => {
    const owner = await createUser(server.url, 'Owner');
    const team = await createTeamWorkspace(owner.client);
    const list = await createList(owner.client);
    const personal = (await owner.client.get('/api/v1/me')).body.workspaces.find((workspace: { id: string }) => workspace.id !== team.id).id as string;
    const stored = async () => {
      const own = async (workspaceId: string) => (await owner.client.get(`/api/v1/uploads?workspaceId=${workspaceId}`)).body.items.length as number;
      return (await own(personal)) + (await own(team.id));
    };

    // Small: the whole body arrives with the file; large: the field comes long after the file's first bytes.
    for (const size of [1000, 3 * 1024 * 1024]) {
      for (const [name, value] of [
        ['workspaceId', team.id],
        ['listId', list.id],
      ] as const) {
        const body = multipart([
          { name: 'file', filename: 'data.bin', contentType: 'application/octet-stream', data: randomBytes(size) },
          { name, data: value },
        ]);
        const response = await fetch(`${server.url}/api/v1/uploads`, {
          method: 'POST',
          headers: { origin: server.url, cookie: owner.client.cookie!, 'content-type': body.contentType },
          body: new Uint8Array(body.body),
        });
        expect(response.status, `${name} after a file of ${size} bytes`).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await response.json()) as { code: string; detail: string; errors: { field: string; message: string }[] };
        expect(problem.code).toBe('validation_failed');
        expect(problem.errors).toEqual([{ field: name, message: expect.stringContaining('before file') }]);
      }
    }
    expect(await stored()).toBe(0);

    // Sent before the file, the same fields are honoured, and other fields after it are ignored as before.
    const before = await upload(owner.client, randomBytes(1000), 'before.bin', { fields: { workspaceId: team.id } });
    expect(before.status).toBe(201);
    expect(before.body.workspaceId).toBe(team.id);
    const note = multipart([
      { name: 'file', filename: 'note.bin', data: randomBytes(500) },
      { name: 'comment', data: 'not read' },
    ]);
    const withNote = await fetch(`${server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { origin: server.url, cookie: owner.client.cookie!, 'content-type': note.contentType },
      body: new Uint8Array(note.body),
    });
    expect(withNote.status).toBe(201);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createList, createTask, createUser } from '../support/client.js';
import { postgresUrl, testDialects } from '../support/dialects.js';
import { createTeamWorkspace, shareList } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sleep } from '../support/socket.js';

describe.each(testDialects())('bad input on %s', (dialect) => {
  let server: TestServer;
  let client: ApiClient;
  let listId: string;
  let taskId: string;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    client = (await createUser(server.url)).client;
    listId = (await createList(client)).id;
    taskId = (await createTask(client, listId, 'keep me')).id;
  });
  afterAll(() => server.close());

  const expectProblem = (response: { status: number; headers: Headers; body: any }, status: number, code: string, field?: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
    if (field !== undefined) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };

  it('malformed JSON is 400 malformed_json', async () => {
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, '{"title": '), 400, 'malformed_json');
  });

  it('an empty body labelled JSON is no body: a bodyless DELETE works, a route that needs a body names it', async () => {
    const doomed = await createTask(client, listId, 'doomed');
    const json = { 'content-type': 'application/json' };
    expect((await client.request('DELETE', `/api/v1/tasks/${doomed.id}`, '', json)).status).toBe(204);
    expectProblem(await client.request('POST', `/api/v1/lists/${listId}/tasks`, '', json), 400, 'validation_failed');
    expect((await client.get(`/api/v1/tasks/${doomed.id}`)).body.deletedAt).toEqual(expect.any(String));
  });

  it('a route that takes no body refuses one, naming what was sent; nothing, an empty body, {} and null are no body', async () => {
    const json = { 'content-type': 'application/json' };
    const trashed = await createTask(client, listId, 'trashed');
    expect((await client.delete(`/api/v1/tasks/${trashed.id}`)).status).toBe(204);
    const restore = (body?: unknown, headers?: Record<string, string>) => client.request('POST', `/api/v1/tasks/${trashed.id}/restore`, body, headers);

    const withFields = await restore({ listId, position: 'zzz' });
    expectProblem(withFields, 400, 'validation_failed', 'listId');
    expect(withFields.body.errors.map((e: { field: string }) => e.field)).toEqual(['listId', 'position']);
    expect(withFields.body.detail).toContain('takes no body');
    expectProblem(await restore([1]), 400, 'validation_failed', 'body');
    expectProblem(await restore('restore please', { 'content-type': 'text/plain' }), 400, 'validation_failed', 'body');
    expect((await client.get(`/api/v1/tasks/${trashed.id}`)).body.deletedAt).toEqual(expect.any(String)); // nothing was done

    expect((await restore({})).status).toBe(200);
    for (const [body, headers] of [[undefined], ['', json], ['null', json], ['', { 'content-type': 'text/plain' }]] as const) {
      expect((await client.delete(`/api/v1/tasks/${trashed.id}`)).status).toBe(204);
      const restored = await restore(body, headers);
      expect([restored.status, restored.body.deletedAt], JSON.stringify(body)).toEqual([200, null]);
    }

    // A DELETE takes no body either.
    const kept = await createTask(client, listId, 'kept');
    expectProblem(await client.request('DELETE', `/api/v1/tasks/${kept.id}`, { permanently: true }), 400, 'validation_failed', 'permanently');
    expect((await client.get(`/api/v1/tasks/${kept.id}`)).body.deletedAt).toBeNull();
    expect((await client.request('DELETE', `/api/v1/tasks/${kept.id}`, {})).status).toBe(204);

    // Mark-read and logout, as the web app sends them (no body) and as other clients do ({}).
    expect((await client.post('/api/v1/notifications/read-all')).status).toBe(204);
    expect((await client.post('/api/v1/notifications/read-all', {})).status).toBe(204);
    expectProblem(await client.post('/api/v1/notifications/read-all', { before: 'now' }), 400, 'validation_failed', 'before');
    const leaving = await createUser(server.url);
    expectProblem(await leaving.client.post('/api/v1/auth/logout', { x: 1 }), 400, 'validation_failed', 'x');
    expect((await leaving.client.get('/api/v1/me')).status).toBe(200); // still signed in
    expect((await leaving.client.post('/api/v1/auth/logout', {})).status).toBe(204);
    expect((await leaving.client.get('/api/v1/me')).status).toBe(401);
  });

  it('a compressed body is 415 saying to send it uncompressed, and writes nothing', async () => {
    const before = (await client.get(`/api/v1/lists/${listId}`)).body.version;
    const gzipped = await client.request('POST', `/api/v1/lists/${listId}/tasks`, '{"title":"zipped"}', { 'content-encoding': 'gzip' });
    expectProblem(gzipped, 415, 'unsupported_media_type');
    expect(gzipped.headers.get('accept-encoding')).toBe('identity');
    expect(gzipped.body.detail).toContain('gzip');
    expect((await client.get(`/api/v1/lists/${listId}`)).body.version).toBe(before);
    expect((await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'plain' }, { 'content-encoding': 'identity' })).status).toBe(201);
  });

  it('a wrong type, a missing field, an unknown field, an over-long string each name the field', async () => {
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: 42 }), 400, 'validation_failed', 'title');
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { notes: 'no title' }), 400, 'validation_failed', 'title');
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'ok', colour: 'red' }), 400, 'validation_failed', 'colour');
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'x'.repeat(501) }), 400, 'validation_failed', 'title');
    expectProblem(await client.patch(`/api/v1/tasks/${taskId}`, { priority: 5 }), 400, 'validation_failed', 'priority');
    expectProblem(await client.patch(`/api/v1/tasks/${taskId}`, { dueDate: '2026-02-30' }), 400, 'validation_failed', 'dueDate');
    expectProblem(
      await client.patch(`/api/v1/tasks/${taskId}`, { dueDate: { dateTime: '2026-03-01T09:00', timeZone: 'Mars/Olympus' } }),
      400,
      'validation_failed',
      'dueDate.timeZone',
    );
    expectProblem(await client.patch(`/api/v1/tasks/${taskId}`, {}), 400, 'validation_failed');
    expectProblem(await client.post('/api/v1/lists', { name: '   ' }), 400, 'validation_failed', 'name');
  });

  it('a name, title or comment of only invisible characters (zero-width spaces, joiners, BOM) counts as empty', async () => {
    const invisible = '\u200B\u200C \u200D\u2060\uFEFF';
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: invisible }), 400, 'validation_failed', 'title');
    expectProblem(await client.post('/api/v1/lists', { name: invisible }), 400, 'validation_failed', 'name');
    expectProblem(await client.post('/api/v1/workspaces', { name: invisible }), 400, 'validation_failed', 'name');
    expectProblem(await client.post(`/api/v1/tasks/${taskId}/comments`, { body: invisible }), 400, 'validation_failed', 'body');
    // Visible text around them is fine.
    expect((await client.post(`/api/v1/lists/${listId}/tasks`, { title: '\u200BMilk' })).status).toBe(201);
  });

  it('an invalid id is 400 naming the parameter; an unknown id is 404', async () => {
    expectProblem(await client.get('/api/v1/tasks/not-an-id'), 400, 'validation_failed', 'params.taskId');
    expectProblem(await client.get('/api/v1/lists/01900000-0000-7000-8000-000000000000'), 404, 'not_found');
  });

  it('a body over 1 MiB is 413 and writes nothing', async () => {
    const before = (await client.get(`/api/v1/lists/${listId}`)).body.version;
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'big', notes: 'x'.repeat(1024 * 1024 + 10) }), 413, 'payload_too_large');
    expect((await client.get(`/api/v1/lists/${listId}`)).body.version).toBe(before);
  });

  it('a body that is not JSON is 415', async () => {
    expectProblem(
      await client.post(`/api/v1/lists/${listId}/tasks`, 'title=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
  });

  it('nothing is half-written: a rejected edit leaves the task unchanged', async () => {
    const before = (await client.get(`/api/v1/tasks/${taskId}`)).body;
    expectProblem(
      await client.patch(`/api/v1/tasks/${taskId}`, { title: 'new', assigneeId: '01900000-0000-7000-8000-000000000000' }),
      400,
      'validation_failed',
      'assigneeId',
    );
    expect((await client.get(`/api/v1/tasks/${taskId}`)).body).toEqual(before);
  });

  it('an unknown route is a 404 problem, never HTML', async () => {
    expectProblem(await client.get('/api/v1/nope'), 404, 'not_found');
  });

  it('a path asked with a method it does not take is 405 with Allow, not a 404 saying the route is missing', async () => {
    const put = await client.request('PUT', `/api/v1/tasks/${taskId}`, { title: 'x' });
    expectProblem(put, 405, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
    const deleteAll = await client.delete('/api/v1/lists');
    expectProblem(deleteAll, 405, 'method_not_allowed');
    expect(deleteAll.headers.get('allow')).toBe('GET, HEAD, POST');
    expectProblem(await client.request('PUT', '/api/v1/nothing/here'), 404, 'not_found');
    expectProblem(await client.get('/api/v1/me/'), 404, 'not_found'); // a trailing slash is no route, not a 405 for the method asked
  });

  it('a NUL character is refused wherever it hides, the same on both databases, and writes nothing', async () => {
    const before = (await client.get(`/api/v1/lists/${listId}`)).body.version;
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'nul\u0000here' }), 400, 'validation_failed', 'title');
    expectProblem(await client.patch(`/api/v1/tasks/${taskId}`, { blocks: [{ type: 'text', text: 'a\u0000b' }] }), 400, 'validation_failed', 'blocks.0.text');
    expectProblem(await client.post('/api/v1/lists', { name: '\u0000' }), 400, 'validation_failed', 'name');
    expectProblem(
      await client.get(`/api/v1/lists/${listId}/tasks?cursor=${Buffer.from(JSON.stringify(['a\u0000', 'x'])).toString('base64url')}`),
      400,
      'validation_failed',
      'cursor',
    );
    expect((await client.get(`/api/v1/lists/${listId}`)).body.version).toBe(before);
  });

  it('text that is not well-formed is refused, not stored as something else: half a surrogate pair, bytes that are not UTF-8', async () => {
    const before = (await client.get(`/api/v1/lists/${listId}`)).body.version;
    // The JSON escape itself: a JavaScript string holding one would be sent as U+FFFD by fetch.
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, '{"title": "a\\ud800b"}'), 400, 'validation_failed', 'title');
    expectProblem(await client.patch(`/api/v1/tasks/${taskId}`, '{"notes": "\\udc00 alone"}'), 400, 'validation_failed', 'notes');
    const latin1 = Buffer.concat([Buffer.from('{"title": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expectProblem(await client.post(`/api/v1/lists/${listId}/tasks`, latin1), 400, 'validation_failed', 'body');
    // A pair that is whole is text like any other.
    const emoji = await client.post(`/api/v1/lists/${listId}/tasks`, '{"title": "\\ud83d\\ude00 party"}');
    expect([emoji.status, emoji.body.title]).toEqual([201, '😀 party']);
    expect((await client.get(`/api/v1/lists/${listId}`)).body.version).toBe(before + 1);
  });

  it('a body nested ten thousand deep is a 400 naming it, on any route, not a 500', async () => {
    const deep = `{"email": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const signup = await new ApiClient(server.url).post('/api/v1/auth/signup', deep);
    expectProblem(signup, 400, 'validation_failed');
    expect(signup.body.errors[0]).toMatchObject({ field: expect.stringMatching(/^email\.0\.0/), message: expect.stringContaining('nested too deeply') });
    const blocks = await client.patch(`/api/v1/tasks/${taskId}`, `{"blocks": ${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
    expectProblem(blocks, 400, 'validation_failed');
    expect(blocks.body.errors[0].field).toMatch(/^blocks\.0/);
  });

  it('a due time is a time of day in its zone: an instant (Z) or seconds are refused, and the zone is stored by its IANA name', async () => {
    const due = (dateTime: string, timeZone = 'Europe/Paris') => client.patch(`/api/v1/tasks/${taskId}`, { dueDate: { dateTime, timeZone } });
    for (const dateTime of ['2026-12-01T09:30:00Z', '2026-12-01T09:30Z', '2026-12-01T09:30:15', '2026-12-01T09:30:15.123']) {
      expectProblem(await due(dateTime), 400, 'validation_failed', 'dueDate.dateTime');
    }
    for (const [zone, stored] of [
      ['europe/paris', 'Europe/Paris'],
      ['utc', 'UTC'],
      ['GMT', 'UTC'],
      ['Europe/Paris', 'Europe/Paris'],
    ] as const) {
      const response = await due('2026-12-01T09:30', zone);
      expect([response.status, response.body.dueDate]).toEqual([200, { dateTime: '2026-12-01T09:30', timeZone: stored }]);
    }
    expectProblem(await due('2026-12-01T09:30', 'Mars/Olympus'), 400, 'validation_failed', 'dueDate.timeZone');
  });

  it('a path that is not valid percent-encoding is a 400 problem', async () => {
    expectProblem(await client.get('/api/v1/tasks/%zz'), 400, 'validation_failed');
  });
});

describe.each(testDialects())('Idempotency-Key on %s', (dialect) => {
  let server: TestServer;
  let client: ApiClient;
  let listId: string;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    client = (await createUser(server.url)).client;
    listId = (await createList(client)).id;
  });
  afterAll(() => server.close());

  it('replays the first response for the same key and body, without doing the work again', async () => {
    const headers = { 'idempotency-key': 'create-milk-1' };
    const first = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Milk' }, headers);
    const retry = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Milk' }, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await client.get(`/api/v1/lists/${listId}/tasks`)).body.items).toHaveLength(1);
  });

  it('rejects the same key with a different body (422)', async () => {
    const headers = { 'idempotency-key': 'create-2' };
    await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Eggs' }, headers);
    const reused = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Bread' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('keys are per user, and kept at least 24 hours', async () => {
    const other = (await createUser(server.url)).client;
    const otherList = await createList(other);
    const headers = { 'idempotency-key': 'shared-key' };
    expect((await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Mine' }, headers)).status).toBe(201);
    expect((await other.post(`/api/v1/lists/${otherList.id}/tasks`, { title: 'Theirs' }, headers)).status).toBe(201);
    server.clock.advance(23 * 3_600_000);
    const later = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Mine' }, headers);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  it('concurrent retries with one key create one task', async () => {
    const fresh = await createList(client, 'race');
    const headers = { 'idempotency-key': 'race-key' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => client.post(`/api/v1/lists/${fresh.id}/tasks`, { title: 'Once' }, headers)));
    expect(responses.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of responses) expect([201, 409]).toContain(r.status);
    expect((await client.get(`/api/v1/lists/${fresh.id}/tasks`)).body.items).toHaveLength(1);
  });

  it("a retried PATCH or DELETE is not made again over a collaborator's change since (its answer was lost)", async () => {
    const collaborator = await createUser(server.url);
    const shared = await createList(client, 'shared');
    await shareList(client, shared.id, collaborator, 'editor');
    const task = (await client.post(`/api/v1/lists/${shared.id}/tasks`, { title: 'Milk' })).body;

    const rename = { 'idempotency-key': 'rename-oat-milk' };
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { title: 'Oat milk' }, rename)).status).toBe(200);
    expect((await collaborator.client.patch(`/api/v1/tasks/${task.id}`, { title: 'Soy milk', priority: 1 })).status).toBe(200);
    const retried = await client.patch(`/api/v1/tasks/${task.id}`, { title: 'Oat milk' }, rename);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ title: 'Soy milk', priority: 1 }); // the task as it is now
    // A new key is a new edit: it is made.
    const again = await client.patch(`/api/v1/tasks/${task.id}`, { title: 'Oat milk' }, { 'idempotency-key': 'rename-oat-milk-2' });
    expect(again.body).toMatchObject({ title: 'Oat milk', priority: 1 });

    const trash = { 'idempotency-key': 'trash-milk' };
    expect((await client.delete(`/api/v1/tasks/${task.id}`, trash)).status).toBe(204);
    expect((await collaborator.client.post(`/api/v1/tasks/${task.id}/restore`)).status).toBe(200);
    expect((await client.delete(`/api/v1/tasks/${task.id}`, trash)).status).toBe(204);
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ title: 'Oat milk', deletedAt: null });

    // The collaborator's own key of the same name is theirs: keys are per user.
    expect((await collaborator.client.patch(`/api/v1/tasks/${task.id}`, { title: 'Rice milk' }, rename)).body).toMatchObject({ title: 'Rice milk' });

    const listRename = { 'idempotency-key': 'rename-groceries' };
    expect((await client.patch(`/api/v1/lists/${shared.id}`, { name: 'Groceries' }, listRename)).status).toBe(200);
    expect((await collaborator.client.patch(`/api/v1/lists/${shared.id}`, { name: 'Food' })).status).toBe(200);
    const listRetried = await client.patch(`/api/v1/lists/${shared.id}`, { name: 'Groceries' }, listRename);
    expect([listRetried.status, listRetried.body.name]).toEqual([200, 'Food']);
    expect((await client.get(`/api/v1/lists/${shared.id}`)).body.name).toBe('Food');
  });

  // PostgreSQL only: an outside lock holds the three PATCHes in line, which SQLite's one writer cannot show.
  it.runIf(dialect === 'postgres')('a retry that waited for the task behind its first try and a collaborator’s change is not made again', async () => {
    const task = await createTask(client, listId, 'Original');
    const locker = new pg.Client({ connectionString: postgresUrl });
    await locker.connect();
    try {
      await locker.query(`set search_path to ${server.config.databaseSchema}`);
      await locker.query('begin');
      await locker.query('select id from tasks where id = $1 for update', [task.id]);
      const key = { 'idempotency-key': 'queued-retry' };
      const first = client.patch(`/api/v1/tasks/${task.id}`, { title: 'Mine' }, key);
      await sleep(200);
      const theirs = client.patch(`/api/v1/tasks/${task.id}`, { title: 'Theirs' });
      await sleep(200);
      const retry = client.patch(`/api/v1/tasks/${task.id}`, { title: 'Mine' }, key); // its first try's answer was lost
      await sleep(200);
      await locker.query('commit');
      // The retry may get the task before or after the collaborator's change; either way it is not made again.
      expect((await Promise.all([first, theirs, retry])).map((r) => r.status)).toEqual([200, 200, 200]);
      const made = await locker.query("select count(*)::int as n from activity_events where mutation_id = 'queued-retry'");
      expect(made.rows[0].n).toBe(1);
      expect((await client.get(`/api/v1/tasks/${task.id}`)).body.title).toBe('Theirs');
    } finally {
      await locker.end();
    }
  });

  it('a response that shows a secret (token, invitation or share link) is never stored; its retry answers 409', async () => {
    const secrets: string[] = [];
    const team = await createTeamWorkspace(client);
    const requests: [string, object][] = [
      ['/api/v1/tokens', { name: 'CI' }],
      [`/api/v1/lists/${listId}/members`, { email: `someone-${Date.now()}@example.com`, role: 'viewer' }],
      [`/api/v1/lists/${listId}/share-link`, { role: 'viewer' }],
      [`/api/v1/workspaces/${team.id}/members`, { email: `colleague-${Date.now()}@example.com`, role: 'member' }],
    ];
    for (const [index, [path, body]] of requests.entries()) {
      const headers = { 'idempotency-key': `secret-${index}` };
      const first = await client.post(path, body, headers);
      expect(first.status, JSON.stringify(first.body)).toBe(path.includes('/workspaces/') ? 202 : 201);
      secrets.push(first.body.token ?? first.body.inviteUrl ?? first.body.url);
      const retry = await client.post(path, body, headers);
      expect(retry.status).toBe(409);
      expect(retry.body).toMatchObject({ code: 'conflict', reason: 'secret_not_kept' });
    }
    const stored = await server.app.listo.db.kysely.selectFrom('idempotency_keys').select('response_body').execute();
    const everything = JSON.stringify(stored);
    for (const secret of secrets) expect(everything).not.toContain(secret.slice(secret.indexOf('#') + 1));
  });

  it('the key becomes the mutation id on the recorded change', async () => {
    const created = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Tracked' }, { 'idempotency-key': 'mutation-42' });
    const row = await server.app.listo.db.kysely
      .selectFrom('activity_events')
      .select(['mutation_id', 'type'])
      .where('task_id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ mutation_id: 'mutation-42', type: 'task.created' });
  });

  it("an over-long key is refused on every method, not only POST: a PATCH's key is the mutation id every subscriber receives", async () => {
    const task = await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Keyed' });
    const long = { 'idempotency-key': 'k'.repeat(256) };
    for (const response of [
      await client.post(`/api/v1/lists/${listId}/tasks`, { title: 'Never' }, long),
      await client.patch(`/api/v1/tasks/${task.body.id}`, { title: 'Never' }, long),
      await client.delete(`/api/v1/tasks/${task.body.id}`, long),
    ]) {
      expect([response.status, response.body.errors]).toEqual([400, [{ field: 'Idempotency-Key', message: 'must be at most 255 characters' }]]);
    }
    expect((await client.get(`/api/v1/tasks/${task.body.id}`)).body).toMatchObject({ title: 'Keyed', deletedAt: null });
  });
});

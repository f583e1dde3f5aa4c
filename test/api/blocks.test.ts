import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { makeGif, makePng } from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { upload } from '../support/uploads.js';

describe.each(testDialects())('task content blocks on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const expectProblem = (response: { status: number; body: any }, status: number, code: string, field?: string) => {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.code).toBe(code);
    if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };

  it('stores ordered blocks of every type and returns upload-backed ones with their URLs and dimensions', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Rich');
    const photo = (await upload(client, await makePng(64, 48), 'photo.png')).body;
    const gif = (await upload(client, await makeGif(4, 40, 30), 'dance.gif')).body;
    const file = (await upload(client, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), 'notes.pdf')).body;
    const before = (await client.get(`/api/v1/lists/${list.id}`)).body.version;

    const blocks = [
      { type: 'text', text: 'Buy **milk** and [eggs](https://example.com)' },
      { type: 'link', url: 'https://example.com/recipe', title: 'Recipe' },
      { type: 'image', uploadId: photo.id },
      { type: 'gif', uploadId: gif.id },
      {
        type: 'gif',
        provider: 'giphy',
        providerId: 'xT4uQulxzV39haRFjG',
        url: 'https://media2.giphy.com/media/xT4uQulxzV39haRFjG/giphy.gif',
        width: 480,
        height: 270,
        posterUrl: 'https://media2.giphy.com/media/xT4uQulxzV39haRFjG/giphy_s.gif',
        title: 'Cat',
      },
      { type: 'file', uploadId: file.id },
    ];
    const patched = await client.patch(`/api/v1/tasks/${task.id}`, { blocks });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const expected = [
      blocks[0],
      blocks[1],
      {
        type: 'image',
        uploadId: photo.id,
        url: photo.url,
        thumbnailUrl: photo.thumbnailUrl,
        mimeType: 'image/png',
        width: 64,
        height: 48,
        frames: 1,
        size: photo.size,
        name: 'photo.png',
      },
      {
        type: 'gif',
        uploadId: gif.id,
        url: gif.url,
        posterUrl: gif.posterUrl,
        thumbnailUrl: gif.thumbnailUrl,
        mimeType: 'image/gif',
        width: 40,
        height: 30,
        frames: 4,
        size: gif.size,
        name: 'dance.gif',
      },
      blocks[4],
      { type: 'file', uploadId: file.id, url: file.url, mimeType: 'application/pdf', size: file.size, name: 'notes.pdf' },
    ];
    expect(patched.body.blocks).toEqual(expected);
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body.blocks).toEqual(expected);
    expect((await client.get(`/api/v1/lists/${list.id}/tasks`)).body.items[0].blocks).toEqual(expected);

    // One task.edited change, like any other edit; the same blocks again change nothing.
    expect((await client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(before + 1);
    const event = await server.app.listo.db.kysely
      .selectFrom('activity_events')
      .selectAll()
      .where('task_id', '=', task.id)
      .orderBy('list_version', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'task.edited', actor_id: user.id });
    expect(JSON.parse(event.data)).toMatchObject({ changed: ['blocks'], task: { blocks: expected } });
    await client.patch(`/api/v1/tasks/${task.id}`, { blocks });
    expect((await client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(before + 1);
  });

  it('stores a quote block like any other type (the proof that a type is its definition plus one registry line)', async () => {
    const { client } = await createUser(server.url);
    const task = await createTask(client, (await createList(client)).id, 'quoted');
    const patched = await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'quote', text: 'Less is more.', source: 'Mies' }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body.blocks).toEqual([{ type: 'quote', text: 'Less is more.', source: 'Mies' }]);
    expectProblem(await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'quote', text: '' }] }), 400, 'validation_failed', 'blocks.0.text');
  });

  it('stores a code block exactly as typed, and refuses an empty or over-long one or an odd language label', async () => {
    const { client } = await createUser(server.url);
    const task = await createTask(client, (await createList(client)).id, 'coded');
    const block = { type: 'code', code: '  <script>alert(1)</script>\n\tconst a = 1;\n', language: 'TypeScript' };
    const patched = await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [block, { type: 'code', code: 'ls' }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body.blocks).toEqual([block, { type: 'code', code: 'ls' }]);
    expectProblem(await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'code', code: '  \n ' }] }), 400, 'validation_failed', 'blocks.0.code');
    expectProblem(
      await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'code', code: 'x'.repeat(20_001) }] }),
      400,
      'validation_failed',
      'blocks.0.code',
    );
    expectProblem(
      await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'code', code: 'x', language: 'js\u202e' }] }),
      400,
      'validation_failed',
      'blocks.0.language',
    );
    expectProblem(
      await client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'code', code: 'x', html: '<b>x</b>' }] }),
      400,
      'validation_failed',
      'blocks.0.html',
    );
  });

  it('accepts blocks when creating a task', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const photo = (await upload(client, await makePng(10, 10), 'p.png')).body;
    const created = await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'With blocks', blocks: [{ type: 'image', uploadId: photo.id }] });
    expect(created.status).toBe(201);
    expect(created.body.blocks).toEqual([expect.objectContaining({ type: 'image', uploadId: photo.id, url: photo.url, width: 10, height: 10 })]);
  });

  it('rejects an unknown type, unknown fields, unsafe links and over-long text, naming the field', async () => {
    const { client } = await createUser(server.url);
    const task = await createTask(client, (await createList(client)).id, 't');
    const patch = (blocks: unknown) => client.patch(`/api/v1/tasks/${task.id}`, { blocks });
    const unknown = await patch([
      { type: 'text', text: 'ok' },
      { type: 'video', url: 'https://example.com/v.mp4' },
    ]);
    expectProblem(unknown, 400, 'validation_failed', 'blocks.1.type');
    expect(unknown.body.errors[0].message).toContain('text, link, image, gif, file');
    expectProblem(await patch([{ text: 'no type' }]), 400, 'validation_failed', 'blocks.0.type');
    expectProblem(await patch([{ type: 'text', text: 'x', html: '<b>x</b>' }]), 400, 'validation_failed', 'blocks.0.html');
    expectProblem(await patch([{ type: 'link', url: 'javascript:alert(1)' }]), 400, 'validation_failed', 'blocks.0.url');
    expectProblem(await patch([{ type: 'link', url: 'https://user:pass@example.com' }]), 400, 'validation_failed', 'blocks.0.url');
    expectProblem(await patch([{ type: 'link', url: 'not a url' }]), 400, 'validation_failed', 'blocks.0.url');
    expectProblem(await patch([{ type: 'text', text: 'x'.repeat(20_001) }]), 400, 'validation_failed', 'blocks.0.text');
    expectProblem(await patch([{ type: 'image', uploadId: 'not-an-id' }]), 400, 'validation_failed', 'blocks.0.uploadId');
    expectProblem(await patch([{ type: 'image', uploadId: '01900000-0000-7000-8000-000000000000', width: 5 }]), 400, 'validation_failed', 'blocks.0.width');
    expectProblem(await patch([{ type: 'gif' }]), 400, 'validation_failed', 'blocks.0.uploadId');
    expectProblem(
      await patch([{ type: 'gif', provider: 'giphy', providerId: 'abc', url: 'https://evil.example/track.gif', width: 1, height: 1 }]),
      400,
      'validation_failed',
      'blocks.0.url',
    );
    expectProblem(await patch([{ type: 'gif', provider: 'giphy', providerId: 'abc' }]), 400, 'validation_failed', 'blocks.0.url');
    expectProblem(await patch('not a list'), 400, 'validation_failed', 'blocks');
    expectProblem(await patch(Array.from({ length: 101 }, () => ({ type: 'text', text: 'x' }))), 400, 'validation_failed', 'blocks');
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body.blocks).toEqual([]);
  });

  it("refuses someone else's upload, an upload of the wrong type or workspace, and writes nothing", async () => {
    const owner = await createUser(server.url);
    const stranger = await createUser(server.url);
    const list = await createList(owner.client);
    const task = await createTask(owner.client, list.id, 'mine');
    const theirs = (await upload(stranger.client, await makePng(12, 12), 'theirs.png')).body;
    const mine = (await upload(owner.client, await makePng(13, 13), 'mine.png')).body;
    const versionBefore = (await owner.client.get(`/api/v1/lists/${list.id}`)).body.version;

    const stolen = await owner.client.patch(`/api/v1/tasks/${task.id}`, {
      blocks: [
        { type: 'image', uploadId: mine.id },
        { type: 'image', uploadId: theirs.id },
      ],
    });
    expectProblem(stolen, 422, 'unprocessable', 'blocks.1.uploadId');
    expectProblem(
      await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'image', uploadId: '01900000-0000-7000-8000-000000000000' }] }),
      422,
      'unprocessable',
      'blocks.0.uploadId',
    );
    expectProblem(
      await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'gif', uploadId: mine.id }] }),
      422,
      'unprocessable',
      'blocks.0.type',
    );
    expectProblem(
      await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'file', uploadId: mine.id }] }),
      422,
      'unprocessable',
      'blocks.0.type',
    );

    const team = await createTeamWorkspace(owner.client);
    const teamList = (await owner.client.post('/api/v1/lists', { name: 'Team list', workspaceId: team.id })).body;
    const teamTask = await createTask(owner.client, teamList.id, 'team task');
    expectProblem(
      await owner.client.patch(`/api/v1/tasks/${teamTask.id}`, { blocks: [{ type: 'image', uploadId: mine.id }] }),
      422,
      'unprocessable',
      'blocks.0.uploadId',
    );

    expect((await owner.client.get(`/api/v1/tasks/${task.id}`)).body.blocks).toEqual([]);
    expect((await owner.client.get(`/api/v1/lists/${list.id}`)).body.version).toBe(versionBefore);
    expect(await server.app.listo.db.kysely.selectFrom('upload_refs').selectAll().where('task_id', '=', task.id).execute()).toEqual([]);
  });

  it('an editor may keep, reorder and reuse an upload already on a list they can see, but not take it elsewhere', async () => {
    const owner = await createUser(server.url);
    const editor = await createUser(server.url);
    const list = await createList(owner.client, 'Shared');
    await shareList(owner.client, list.id, editor, 'editor');
    const task = await createTask(owner.client, list.id, 'shared');
    const photo = (await upload(owner.client, await makePng(14, 14), 'shared.png')).body;
    await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'image', uploadId: photo.id }] });

    const reordered = await editor.client.patch(`/api/v1/tasks/${task.id}`, {
      blocks: [
        { type: 'text', text: 'first' },
        { type: 'image', uploadId: photo.id },
      ],
    });
    expect(reordered.status, JSON.stringify(reordered.body)).toBe(200);
    const other = await createTask(editor.client, list.id, 'another');
    expect((await editor.client.patch(`/api/v1/tasks/${other.id}`, { blocks: [{ type: 'image', uploadId: photo.id }] })).status).toBe(200);
    // The editor's own list is in their personal workspace, not the owner's: the upload cannot follow.
    const own = await createTask(editor.client, (await createList(editor.client)).id, 'mine');
    expectProblem(
      await editor.client.patch(`/api/v1/tasks/${own.id}`, { blocks: [{ type: 'image', uploadId: photo.id }] }),
      422,
      'unprocessable',
      'blocks.0.uploadId',
    );
  });

  it('team members share uploads through their lists; a viewer cannot edit blocks', async () => {
    const admin = await createUser(server.url);
    const member = await createUser(server.url);
    const viewer = await createUser(server.url);
    const team = await createTeamWorkspace(admin.client);
    await addToWorkspace(admin.client, team.id, member, 'member');
    const list = (await admin.client.post('/api/v1/lists', { name: 'Team', workspaceId: team.id })).body;
    await shareList(admin.client, list.id, viewer, 'viewer');
    const task = await createTask(admin.client, list.id, 'team task');
    const gif = (await upload(member.client, await makeGif(2), 'team.gif', { query: `?workspaceId=${team.id}` })).body;
    expect((await member.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'gif', uploadId: gif.id }] })).status).toBe(200);
    expect((await viewer.client.get(`/api/v1/tasks/${task.id}`)).body.blocks[0]).toMatchObject({ type: 'gif', uploadId: gif.id, frames: 2 });
    expect((await viewer.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] })).status).toBe(403);
  });
});

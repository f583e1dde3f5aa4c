/** Uploads on shared lists: collaborators uploading for a list they may edit, and an undo bringing a released upload back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStorageLimits } from '../../src/server/features/uploads/upload.repository.js';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { makePng } from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { upload } from '../support/uploads.js';

type Person = Awaited<ReturnType<typeof createUser>>;

describe.each(testDialects())('uploading for a list on %s', (dialect) => {
  let server: TestServer;
  let owner: Person;
  let editor: Person;
  let viewer: Person;
  let stranger: Person;
  let list: { id: string; workspaceId: string };
  let png: Buffer;

  const usedBytes = async (who: Person, workspaceId: string) => {
    const storage = await who.client.get(`/api/v1/workspaces/${workspaceId}/storage`);
    expect(storage.status).toBe(200);
    return storage.body.usedBytes as number;
  };
  const personalWorkspaceOf = async (who: Person) => {
    const own = await upload(who.client, await makePng(3, 3), 'probe.png');
    expect(own.status).toBe(201);
    return own.body.workspaceId as string;
  };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server.url, 'Owner');
    editor = await createUser(server.url, 'Editor');
    viewer = await createUser(server.url, 'Viewer');
    stranger = await createUser(server.url, 'Stranger');
    list = await createList(owner.client, "Owner's personal list");
    await shareList(owner.client, list.id, editor, 'editor');
    await shareList(owner.client, list.id, viewer, 'viewer');
    png = await makePng(40, 30);
  });
  afterAll(() => server.close());

  it("an editor of someone's personal list uploads for it, charged to that list's workspace, and puts the upload in a task", async () => {
    const task = await createTask(owner.client, list.id, 'With a picture');
    const editorsOwn = await personalWorkspaceOf(editor);
    const ownerUsedBefore = await usedBytes(owner, list.workspaceId);
    const editorUsedBefore = await usedBytes(editor, editorsOwn);

    const created = await upload(editor.client, png, 'photo.png', { query: `?listId=${list.id}` });
    expect(created.status).toBe(201);
    expect(created.body.workspaceId).toBe(list.workspaceId);
    expect(await usedBytes(owner, list.workspaceId)).toBe(ownerUsedBefore + png.length);
    expect(await usedBytes(editor, editorsOwn)).toBe(editorUsedBefore);

    const shown = await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'image', uploadId: created.body.id }] });
    expect(shown.status).toBe(200);
    expect(shown.body.blocks[0]).toMatchObject({ type: 'image', uploadId: created.body.id });
    // The owner sees it in the task.
    const seen = await owner.client.get(`/api/v1/uploads/${created.body.id}`);
    expect(seen.status).toBe(200);
  });

  it('takes the list as a form field too, and refuses a workspace that is not the list’s', async () => {
    const asField = await upload(editor.client, await makePng(41, 30), 'field.png', { fields: { listId: list.id } });
    expect(asField.status).toBe(201);
    expect(asField.body.workspaceId).toBe(list.workspaceId);

    const elsewhere = await personalWorkspaceOf(editor);
    const mismatched = await upload(editor.client, png, 'x.png', { query: `?listId=${list.id}&workspaceId=${elsewhere}` });
    expect(mismatched.status).toBe(400);
    const differing = await upload(editor.client, png, 'x.png', { query: `?listId=${list.id}`, fields: { listId: elsewhere } });
    expect(differing.status).toBe(400);
  });

  it('refuses a viewer (403) and someone who cannot see the list (404), charging nothing', async () => {
    const before = await usedBytes(owner, list.workspaceId);
    const byViewer = await upload(viewer.client, await makePng(42, 30), 'v.png', { query: `?listId=${list.id}` });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.code).toBe('forbidden');
    const byStranger = await upload(stranger.client, await makePng(43, 30), 's.png', { query: `?listId=${list.id}` });
    expect(byStranger.status).toBe(404);
    expect(byStranger.body.code).toBe('not_found');
    expect(await usedBytes(owner, list.workspaceId)).toBe(before);
  });

  it("holds the list workspace's quota, not the uploader's", async () => {
    const limited = await createTeamWorkspace(owner.client, 'Small team');
    const teamList = (await owner.client.post('/api/v1/lists', { name: 'Team list', workspaceId: limited.id })).body as { id: string };
    await shareList(owner.client, teamList.id, editor, 'editor');
    await setStorageLimits(server.app.listo.db.kysely, limited.id, { quota_bytes: 10 });
    const refused = await upload(editor.client, await makePng(44, 30), 'big.png', { query: `?listId=${teamList.id}` });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('quota_exceeded');
    expect(refused.body.quotaBytes).toBe(10);
  });

  it('lets a guest of a team workspace upload for a team list they edit, though not to the workspace itself', async () => {
    const team = await createTeamWorkspace(owner.client, 'Team');
    const guest = await createUser(server.url, 'Guest');
    const teamList = (await owner.client.post('/api/v1/lists', { name: 'Shared team list', workspaceId: team.id })).body as { id: string };
    await addToWorkspace(owner.client, team.id, guest, 'guest');
    await shareList(owner.client, teamList.id, guest, 'editor');
    expect((await upload(guest.client, png, 'g.png', { query: `?workspaceId=${team.id}` })).status).toBe(403);
    const forList = await upload(guest.client, png, 'g.png', { query: `?listId=${teamList.id}` });
    expect(forList.status).toBe(201);
    expect(forList.body.workspaceId).toBe(team.id);
  });
});

describe.each(testDialects())("a collaborator's undo of removing an upload on %s", (dialect) => {
  let server: TestServer;
  let owner: Person;
  let editor: Person;
  let other: Person;
  let list: { id: string; workspaceId: string };
  let otherList: { id: string };
  let counter = 0;

  const picture = () => makePng(50 + ++counter, 30);
  const imageBlock = (uploadId: string) => ({ type: 'image', uploadId });
  /** The owner's task on the shared list showing a new upload of theirs. */
  const ownersTaskWithPicture = async () => {
    const created = await upload(owner.client, await picture(), 'owners.png');
    expect(created.status).toBe(201);
    const task = await createTask(owner.client, list.id, 'With the owner’s picture', { blocks: [imageBlock(created.body.id)] });
    return { uploadId: created.body.id as string, task };
  };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server.url, 'Owner');
    editor = await createUser(server.url, 'Editor');
    other = await createUser(server.url, 'Editor of another list');
    list = await createList(owner.client, 'Shared');
    otherList = await createList(owner.client, 'Another of the owner’s lists');
    await shareList(owner.client, list.id, editor, 'editor');
    await shareList(owner.client, otherList.id, other, 'editor');
  });
  afterAll(() => server.close());

  it('puts back the owner’s image the editor removed, and it is kept as shown again', async () => {
    const { uploadId, task } = await ownersTaskWithPicture();
    const removed = await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] });
    expect(removed.status).toBe(200);
    const undone = await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [imageBlock(uploadId)] });
    expect(undone.status).toBe(200);
    expect(undone.body.blocks).toEqual([expect.objectContaining({ type: 'image', uploadId })]);
    expect((await editor.client.get(`/api/v1/uploads/${uploadId}`)).status).toBe(200);
    // Shown again: the owner's storage dialog says a task shows it, and the sweep keeps it past the grace period.
    server.clock.advance(48 * 3_600_000);
    await server.app.uploads.sweepReleasedUploads();
    const owners = await owner.client.get(`/api/v1/uploads?workspaceId=${list.workspaceId}`);
    expect(owners.body.items.find((item: { id: string }) => item.id === uploadId)).toMatchObject({ inUse: true });
  });

  it('is refused to someone who may not edit the task it was removed from, and in any other task', async () => {
    const { uploadId, task } = await ownersTaskWithPicture();
    expect((await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] })).status).toBe(200);
    const theirs = await createTask(other.client, otherList.id, 'Elsewhere');
    const taken = await other.client.patch(`/api/v1/tasks/${theirs.id}`, { blocks: [imageBlock(uploadId)] });
    expect(taken.status).toBe(422);
    expect(taken.body.errors).toEqual([expect.objectContaining({ field: 'blocks.0.uploadId' })]);
    // Nor may the editor put it in another task, even of this list: only back where it was (an undo).
    const editorsOwn = await createTask(editor.client, list.id, 'The editor’s own');
    expect((await editor.client.patch(`/api/v1/tasks/${editorsOwn.id}`, { blocks: [imageBlock(uploadId)] })).status).toBe(422);
    // The editor still can put it back, until the grace period is over.
    expect((await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [imageBlock(uploadId)] })).status).toBe(200);
  });

  it('is refused once the grace period is over and the upload is gone', async () => {
    const { uploadId, task } = await ownersTaskWithPicture();
    expect((await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] })).status).toBe(200);
    server.clock.advance(25 * 3_600_000);
    await server.app.uploads.sweepReleasedUploads();
    const late = await editor.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [imageBlock(uploadId)] });
    expect(late.status).toBe(422);
    expect((await owner.client.get(`/api/v1/uploads/${uploadId}`)).status).toBe(404);
  });
});

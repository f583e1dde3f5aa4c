/** Content blocks through the list's store: shown at once (optimistic), sent as the API takes them, reverted when refused. */
import { describe, expect, it } from 'vitest';
import { presentBlock, type Block, type BlockInput } from '../../core/content-types/index.js';
import type { Task, UpdateTaskBody } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import type { TasksApi } from '../api/endpoints.js';
import { ListTasksStore } from './list-tasks.store.js';

const listId = '00000000-0000-4000-8000-000000000001';
const taskId = '00000000-0000-4000-8000-000000000002';
const uploadId = '00000000-0000-4000-8000-000000000003';

const task: Task = {
  id: taskId,
  listId,
  workspaceId: listId,
  title: 'Party',
  notes: '',
  done: false,
  completedAt: null,
  completedBy: null,
  dueDate: null,
  recurrence: null,
  priority: 4,
  position: 'a0',
  assigneeId: null,
  createdBy: listId,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  blocks: [],
};

const gif = presentBlock({ type: 'gif', uploadId, mimeType: 'image/gif', size: 100, name: 'dance.gif', width: 4, height: 3, frames: 2 });

function fakeApi() {
  const sent: UpdateTaskBody[] = [];
  let release: () => void = () => undefined;
  let refuse: ApiError | null = null;
  const api: TasksApi = {
    listTasks: async () => ({ items: [task], listVersion: 1 }),
    updateTask: async (_id, body) => {
      sent.push(body);
      await new Promise<void>((resolve) => (release = resolve));
      if (refuse) throw refuse;
      // The server stores inputs and presents them again, with URLs.
      const blocks = (body.blocks as BlockInput[]).map((input) => ('uploadId' in input ? gif : (input as Block)));
      return { ...task, blocks, updatedAt: '2026-01-01T00:00:01.000Z' };
    },
    createTask: async () => task,
    moveTask: async () => task,
    deleteTask: async () => undefined,
    restoreTask: async () => task,
  };
  return { api, sent, release: () => release(), refuseWith: (error: ApiError) => (refuse = error) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('task blocks in the list store', () => {
  it('shows new blocks at once and sends upload-backed ones as {type, uploadId}', async () => {
    const server = fakeApi();
    const store = new ListTasksStore(listId, server.api);
    await store.load();
    store.updateTask(taskId, { blocks: [{ type: 'text', text: 'Bring **snacks**' }, gif] });
    expect(store.getSnapshot().tasks[0]).toMatchObject({ pending: true, blocks: [{ type: 'text', text: 'Bring **snacks**' }, gif] });
    await settle();
    expect(server.sent).toEqual([
      {
        blocks: [
          { type: 'text', text: 'Bring **snacks**' },
          { type: 'gif', uploadId },
        ],
      },
    ]);
    server.release();
    await settle();
    expect(store.getSnapshot().tasks[0]).toMatchObject({ pending: false, blocks: [{ type: 'text', text: 'Bring **snacks**' }, gif] });
  });

  it('puts the blocks back when the server refuses them', async () => {
    const server = fakeApi();
    const errors: ApiError[] = [];
    const store = new ListTasksStore(listId, server.api, { onError: (error) => errors.push(error) });
    await store.load();
    server.refuseWith(new ApiError('validation_failed', 422, 'blocks.0.uploadId: is not an upload you can use'));
    store.updateTask(taskId, { blocks: [gif] });
    expect(store.getSnapshot().tasks[0]!.blocks).toEqual([gif]);
    await settle();
    server.release();
    await settle();
    expect(store.getSnapshot().tasks[0]!.blocks).toEqual([]);
    expect(errors.map((error) => error.status)).toEqual([422]);
  });
});

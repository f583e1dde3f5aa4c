import { describe, expect, it, vi } from 'vitest';
import type { TaskList } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import { createSessionStores } from './session-stores.js';

const groceries: TaskList = {
  id: 'g',
  workspaceId: 'w',
  name: 'Groceries',
  position: 'a0',
  version: 1,
  archived: false,
  archivedAt: null,
  role: 'owner',
  createdBy: 'u',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
};

describe('session stores', () => {
  it('count a list rename waiting for the network as unsaved, so leaving the page asks first', async () => {
    let offline = true;
    const api = {
      listLists: async () => [groceries],
      updateList: async (_listId: string, body: { name?: string }) => {
        if (offline) throw new ApiError('network_error', 0, 'Cannot reach Listo.');
        return { ...groceries, ...body, version: 2 };
      },
    } as unknown as Parameters<typeof createSessionStores>[0];
    const stores = createSessionStores(api, vi.fn());
    await stores.lists.load();
    expect(stores.hasUnsavedChanges()).toBe(false);

    const renamed = stores.lists.renameList('g', 'Shopping');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stores.hasUnsavedChanges()).toBe(true);

    offline = false;
    stores.lists.retryNow(); // as the real-time client does once the connection is back
    expect(await renamed).toBe(true);
    expect(stores.hasUnsavedChanges()).toBe(false);
  });

  it('send nothing after sign-out: a write stalled before it is not sent later with the next user’s cookie', async () => {
    const milk = { id: 't1', listId: 'g', title: 'Milk', updatedAt: '2026-11-24T10:00:00.000Z', deletedAt: null, position: 'a0' };
    let answer: ApiError | null = new ApiError('service_unavailable', 503, 'Try again shortly.');
    const calls: string[] = [];
    const reach = () => {
      if (answer) throw answer;
    };
    const api = {
      listLists: async () => [groceries],
      listTasks: async () => ({ items: [milk], listVersion: 1 }),
      updateList: async (_listId: string, body: { name?: string }) => {
        calls.push('rename list');
        reach();
        return { ...groceries, ...body, version: 2 };
      },
      updateTask: async (_taskId: string, body: { title?: string }) => {
        calls.push('edit task');
        reach();
        return { ...milk, ...body, updatedAt: '2026-11-24T10:00:01.000Z' };
      },
    } as unknown as Parameters<typeof createSessionStores>[0];
    const stores = createSessionStores(api, vi.fn());
    await stores.lists.load();
    const tasks = stores.tasksOf('g');
    await tasks.load();
    vi.useFakeTimers();
    try {
      const renamed = stores.lists.renameList('g', 'Shopping'); // the server is busy: both wait and retry
      tasks.updateTask('t1', { title: 'Oat milk' });
      await vi.advanceTimersByTimeAsync(0);
      answer = new ApiError('network_error', 0, 'Cannot reach Listo.'); // then the network goes too
      await vi.advanceTimersByTimeAsync(2_000);
      expect(stores.hasUnsavedChanges()).toBe(true);
      const before = calls.length;

      stores.dispose(); // the user signs out; someone else signs in on this tab
      answer = null;
      await vi.advanceTimersByTimeAsync(120_000); // every backoff timer would have fired by now
      stores.resumeWrites(); // and nothing else sends them either
      stores.lists.retryNow();
      stores.lists.caughtUp('g');
      tasks.caughtUp();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(calls.slice(before)).toEqual([]);
      expect(await renamed).toBe(false); // not saved
      expect(stores.hasUnsavedChanges()).toBe(false); // nothing left to warn about when leaving
      stores.tasksOf('h').updateTask('t1', { title: 'Soy milk' });
      await vi.advanceTimersByTimeAsync(0);
      expect(calls.slice(before)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** An API whose `createList` answers only when the test says so; records the tasks the server is asked to create. */
function heldCreationApi() {
  const calls: string[] = [];
  let answer!: { resolve: (created: TaskList) => void; reject: (error: ApiError) => void };
  let taskCount = 0;
  const api = {
    listLists: async () => [],
    listTasks: async () => ({ items: [], listVersion: 1 }),
    createList: (name: string) => {
      calls.push(`POST list ${name}`);
      return new Promise<TaskList>((resolve, reject) => (answer = { resolve, reject }));
    },
    deleteList: async (listId: string) => void calls.push(`DELETE list ${listId}`),
    createTask: async (listId: string, body: { title: string }) => {
      calls.push(`POST task ${listId} ${body.title}`);
      taskCount += 1;
      const stamp = `2026-11-24T10:00:0${taskCount}.000Z`;
      return {
        ...{ notes: '', done: false, completedAt: null, completedBy: null, dueDate: null, priority: 4, assigneeId: null, blocks: [] },
        ...{ id: `t${taskCount}`, listId, workspaceId: 'w', title: body.title, position: `a${taskCount}`, createdBy: 'u' },
        ...{ createdAt: stamp, updatedAt: stamp, deletedAt: null },
      };
    },
  } as unknown as Parameters<typeof createSessionStores>[0];
  return {
    api,
    calls,
    create: (name: string) => answer.resolve({ ...groceries, id: 'n', name }),
    refuse: (error: ApiError) => answer.reject(error),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('session stores, tasks added to a list still being created', () => {
  it('keep them in the lists store, shown with the list, and create them in order under its server id once it exists', async () => {
    const { api, calls, create } = heldCreationApi();
    const stores = createSessionStores(api, vi.fn());
    await stores.lists.load();
    const creating = stores.lists.createList('Errands');
    const localId = stores.lists.getSnapshot().lists[0]!.id;
    expect(localId).toMatch(/^local:/);
    // As the list's screen shows them: waiting with the list, else from the tasks store of the id it is shown under.
    const shownTasks = () => {
      const list = stores.lists.find(localId);
      if (!list) return 'gone';
      return (list.waitingTasks ?? stores.tasksOf(list.id).getSnapshot().tasks).map((task) => task.title).join();
    };
    const shown: string[] = [];
    stores.lists.subscribe(() => shown.push(shownTasks()));

    stores.lists.addTask(localId, { title: 'Milk' });
    // No screen holds them: the user may open another list, and come back, before the server answers.
    stores.lists.addTask(localId, { title: 'Bread' });
    await settle();
    expect(calls).toEqual(['POST list Errands']); // nothing sent for a list the server does not have yet
    expect(shownTasks()).toBe('Milk,Bread');
    expect(stores.hasUnsavedChanges()).toBe(true);

    create('Errands');
    expect((await creating).id).toBe('n');
    await settle();
    expect(calls).toEqual(['POST list Errands', 'POST task n Milk', 'POST task n Bread']);
    expect(stores.lists.find('n')?.waitingTasks).toBeUndefined();
    expect(
      stores
        .tasksOf('n')
        .getSnapshot()
        .tasks.map((task) => [task.title, task.pending]),
    ).toEqual([
      ['Milk', false],
      ['Bread', false],
    ]);
    expect(stores.hasUnsavedChanges()).toBe(false);
    // From waiting to the tasks store in one update: never a moment with neither.
    expect(new Set(shown)).toEqual(new Set(['Milk', 'Milk,Bread']));

    stores.lists.addTask(localId, { title: 'Eggs' }); // a screen still showing the local id adds under the server's
    await settle();
    expect(calls.at(-1)).toBe('POST task n Eggs');
  });

  it('drop them when the list is deleted before the server has created it', async () => {
    const { api, calls, create } = heldCreationApi();
    const onError = vi.fn();
    const stores = createSessionStores(api, onError);
    await stores.lists.load();
    const creating = stores.lists.createList('Errands');
    const localId = stores.lists.getSnapshot().lists[0]!.id;
    stores.lists.addTask(localId, { title: 'Milk' });
    const deleted = stores.lists.deleteList(localId);

    create('Errands');
    await creating;
    expect(await deleted).toBe(true);
    await settle();
    expect(calls).toEqual(['POST list Errands', 'DELETE list n']);
    expect(onError).not.toHaveBeenCalled();
  });

  it('drop them when the creation fails, reporting only the creation', async () => {
    const { api, calls, refuse } = heldCreationApi();
    const onError = vi.fn();
    const stores = createSessionStores(api, onError);
    await stores.lists.load();
    const creating = stores.lists.createList('Errands');
    const localId = stores.lists.getSnapshot().lists[0]!.id;
    stores.lists.addTask(localId, { title: 'Milk' });
    stores.lists.addTask(localId, { title: 'Bread' });
    await settle();

    refuse(new ApiError('limit_reached', 422, 'Your plan allows 100 lists'));
    await expect(creating).rejects.toMatchObject({ code: 'limit_reached' });
    stores.lists.addTask(localId, { title: 'Eggs' }); // too late: the list is gone
    await settle();
    expect(calls).toEqual(['POST list Errands']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'limit_reached' }));
    expect(stores.lists.getSnapshot().lists).toEqual([]);
    expect(stores.hasUnsavedChanges()).toBe(false);
  });
});

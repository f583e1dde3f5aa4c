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

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
});

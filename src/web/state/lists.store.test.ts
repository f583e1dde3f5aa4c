import { describe, expect, it, vi } from 'vitest';
import type { TaskList } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import { ListsStore, type ListsApi } from './lists.store.js';

const list = (id: string, name: string, version = 1): TaskList => ({
  id,
  workspaceId: 'w',
  name,
  position: `a${id}`,
  version,
  archived: false,
  archivedAt: null,
  role: 'editor',
  createdBy: 'u',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
});

/** A lists API whose `listLists` answers only when the test says so. */
function slowApi() {
  const answers: ((lists: TaskList[]) => void)[] = [];
  const api = {
    listLists: vi.fn(() => new Promise<TaskList[]>((resolve) => answers.push(resolve))),
    createList: vi.fn(),
    updateList: vi.fn(),
    deleteList: vi.fn(async () => undefined),
  } as unknown as ListsApi;
  return { api, answer: (index: number, lists: TaskList[]) => answers[index]!(lists) };
}

const names = (store: ListsStore) => store.getSnapshot().lists.map((shown) => shown.name);

describe('ListsStore.load', () => {
  it('keeps a list joined while the load was on its way (its answer was read before the join)', async () => {
    const { api, answer } = slowApi();
    const store = new ListsStore(api);
    const loading = store.load();
    store.applyServerList(list('g', 'Groceries'));
    answer(0, [list('h', 'Home')]);
    await loading;
    expect(names(store).sort()).toEqual(['Groceries', 'Home']);
    expect(store.getSnapshot().status).toBe('ready');
  });

  it('does not bring back a list removed while the load was on its way', async () => {
    const { api, answer } = slowApi();
    const store = new ListsStore(api);
    const loading = store.load();
    store.applyServerRemoval('h');
    answer(0, [list('h', 'Home'), list('g', 'Groceries')]);
    await loading;
    expect(names(store)).toEqual(['Groceries']);
  });

  it('takes the newer of the answer and what came meanwhile, and a later load is the whole truth again', async () => {
    const { api, answer } = slowApi();
    const store = new ListsStore(api);
    const loading = store.load();
    store.applyServerList(list('h', 'Home (old)', 1));
    answer(0, [list('h', 'Home', 2)]);
    await loading;
    expect(names(store)).toEqual(['Home']);

    // Nothing happened during this one: a list it no longer has is gone.
    const reloading = store.load();
    answer(1, []);
    await reloading;
    expect(names(store)).toEqual([]);
  });
});

/** A lists API that fails as if the network were down while `offline`; records each write with its key. */
function flakyApi(lists: TaskList[]) {
  const state = { offline: true, refuse: null as ApiError | null, calls: [] as string[] };
  const server = new Map(lists.map((shown) => [shown.id, shown]));
  const reach = () => {
    if (state.offline) throw new ApiError('network_error', 0, 'Cannot reach Listo.');
    if (state.refuse) throw state.refuse;
  };
  const api = {
    listLists: async () => [...server.values()],
    createList: vi.fn(),
    updateList: async (listId: string, body: { name?: string; archived?: boolean }, key?: string) => {
      state.calls.push(`PATCH ${listId} ${JSON.stringify(body)} ${key}`);
      reach();
      const next = { ...server.get(listId)!, ...body, version: server.get(listId)!.version + 1 };
      server.set(listId, next);
      return next;
    },
    deleteList: async (listId: string, key?: string) => {
      state.calls.push(`DELETE ${listId} ${key}`);
      reach();
      server.delete(listId);
    },
  } as unknown as ListsApi;
  return { api, state };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ListsStore writes', () => {
  it('keeps a rename, an archive and a deletion made offline shown and queued, and sends them with the same keys once back', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries'), list('h', 'Home'), list('w', 'Work')]);
    const onError = vi.fn();
    const store = new ListsStore(api, { onError, retryDelayMs: () => 60_000 });
    await store.load();
    const renamed = store.renameList('g', 'Shopping');
    const archived = store.setArchived('h', true);
    const deleted = store.deleteList('w');
    await settle();
    // Shown as the user left them, unsaved, and why.
    expect(names(store)).toEqual(['Shopping', 'Home']);
    expect(store.find('g')).toMatchObject({ name: 'Shopping', pending: true });
    expect(store.find('h')).toMatchObject({ archived: true, pending: true });
    expect(store.getSnapshot()).toMatchObject({ saving: true, stalledBy: 'network' });
    expect(onError).not.toHaveBeenCalled();
    const firstTry = [...state.calls];
    expect(firstTry).toHaveLength(3); // each list's first write was tried

    state.offline = false;
    store.retryNow(); // the connection is back
    expect(await Promise.all([renamed, archived, deleted])).toEqual([true, true, true]);
    const key = (call: string) => call.split(' ').at(-1)!;
    expect(state.calls.slice(3).map(key)).toEqual(firstTry.map(key)); // the same Idempotency-Keys
    expect(state.calls.slice(3).map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['PATCH g', 'PATCH h', 'DELETE w']);
    expect(new Set(state.calls.slice(3).map(key)).size).toBe(3);
    expect(names(store)).toEqual(['Shopping', 'Home']);
    expect(store.find('g')).toMatchObject({ name: 'Shopping', pending: false });
    expect(store.find('h')).toMatchObject({ archived: true, pending: false });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
    await store.load();
    expect(names(store)).toEqual(['Shopping', 'Home']);
  });

  it('still reverts and reports a change the server refuses', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries')]);
    state.offline = false;
    state.refuse = new ApiError('forbidden', 403, 'Your role (viewer) cannot rename this list');
    const onError = vi.fn();
    const store = new ListsStore(api, { onError, retryDelayMs: () => 60_000 });
    await store.load();
    expect(await store.renameList('g', 'Shopping')).toBe(false);
    expect(names(store)).toEqual(['Groceries']);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'forbidden' }));
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
  });

  it('does not send a rename again when its echo comes (its answer was lost), and waits for the catch-up of a watched list', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries'), list('h', 'Home')]);
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    store.awaitCatchUp('g'); // the socket dropped: the list's replay will follow the reconnection
    const renamed = store.renameList('g', 'Shopping');
    const archived = store.setArchived('h', true);
    await settle();
    const key = state.calls[0]!.split(' ').at(-1)!;
    state.offline = false;
    store.retryNow(); // back online; the list's replay is not in yet
    expect(await archived).toBe(true); // another list's write does not wait for it
    await settle();
    const ofG = () => state.calls.filter((call) => call.startsWith('PATCH g'));
    expect(ofG()).toHaveLength(1);
    // The replay: our rename had reached the server, then someone renamed it again.
    store.applyServerListChange({ ...list('g', 'Shopping', 2), role: 'owner' }, key);
    store.applyServerListChange({ ...list('g', 'Food', 3), role: 'owner' }, 'someone-else');
    store.caughtUp('g');
    expect(await renamed).toBe(true);
    expect(ofG()).toHaveLength(1); // the rename once
    expect(store.find('g')).toMatchObject({ name: 'Food', pending: false, role: 'editor' });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
  });

  it('a write waiting for its list to catch up holds back neither the writes of other lists nor, past 15 s, itself', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries'), list('h', 'Home')]);
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    vi.useFakeTimers();
    try {
      store.awaitCatchUp('g'); // the socket dropped, and never comes back (a proxy that drops WebSocket upgrades)
      const renamed = store.renameList('g', 'Shopping');
      const archived = store.setArchived('g', true); // the same list's: waits behind the rename
      await vi.advanceTimersByTimeAsync(0);
      const key = state.calls[0]!.split(' ').at(-1)!;
      state.offline = false;
      store.retryNow(); // the browser is back online
      void store.renameList('h', 'House'); // a list not watched: nothing to wait for
      await vi.advanceTimersByTimeAsync(0);
      expect(store.find('h')).toMatchObject({ name: 'House', pending: false });
      await vi.advanceTimersByTimeAsync(14_000);
      expect(state.calls.filter((call) => call.startsWith('PATCH g'))).toHaveLength(1);
      expect(store.find('g')).toMatchObject({ name: 'Shopping', archived: true, pending: true });
      await vi.advanceTimersByTimeAsync(1_000);
      const ofG = state.calls.filter((call) => call.startsWith('PATCH g'));
      expect(ofG.map((call) => call.split(' ')[2])).toEqual(['{"name":"Shopping"}', '{"name":"Shopping"}', '{"archived":true}']); // in order
      expect(ofG[1]!.split(' ').at(-1)).toBe(key); // the same Idempotency-Key
      expect(store.find('g')).toMatchObject({ name: 'Shopping', archived: true, pending: false });
      expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
      expect(await Promise.all([renamed, archived])).toEqual([true, true]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes a deletion sent again after its answer was lost, and refused as not found, as done', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries'), list('h', 'Home')]);
    state.offline = false;
    const deleteList = api.deleteList;
    let lostOnce = true;
    api.deleteList = async (...args: Parameters<typeof deleteList>) => {
      if (!state.calls.some((call) => call.startsWith('DELETE'))) {
        await deleteList(...args); // applied on the server…
      } else {
        state.calls.push(`DELETE ${args[0]} ${args[1]}`);
        throw new ApiError('not_found', 404, 'List not found'); // …so the retry finds it gone
      }
      if (lostOnce) {
        lostOnce = false;
        throw new ApiError('network_error', 0, 'Cannot reach Listo.'); // …but the answer was lost
      }
    };
    const onError = vi.fn();
    const store = new ListsStore(api, { onError, retryDelayMs: () => 60_000 });
    await store.load();
    const deleted = store.deleteList('h');
    await settle();
    expect(store.getSnapshot()).toMatchObject({ saving: true, stalledBy: 'network' });
    store.retryNow();
    expect(await deleted).toBe(true);
    expect(state.calls.map((call) => call.split(' ')[0])).toEqual(['DELETE', 'DELETE']);
    expect(onError).not.toHaveBeenCalled();
    expect(names(store)).toEqual(['Groceries']);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
  });

  it('takes the echo of a rename on its way for its answer when that answer is lost', async () => {
    const { api, state } = flakyApi([list('g', 'Groceries')]);
    state.offline = false;
    let fail!: () => void;
    const updateList = api.updateList;
    api.updateList = (...args: Parameters<typeof updateList>) => {
      void updateList(...args);
      return new Promise((_resolve, reject) => (fail = () => reject(new ApiError('network_error', 0, 'Cannot reach Listo.'))));
    };
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    const renamed = store.renameList('g', 'Shopping');
    await settle();
    store.applyServerListChange(list('g', 'Shopping', 2), state.calls[0]!.split(' ').at(-1)!);
    fail();
    expect(await renamed).toBe(true);
    expect(state.calls).toHaveLength(1);
    expect(store.find('g')).toMatchObject({ name: 'Shopping', pending: false });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
  });
});

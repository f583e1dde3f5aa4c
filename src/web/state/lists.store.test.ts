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

/** A lists API whose `createList` answers only when the test says so; records what the server is asked. */
function creationApi() {
  const calls: string[] = [];
  const keys: string[] = [];
  const server = new Map<string, TaskList>();
  let answer!: { resolve: (created: TaskList) => void; reject: (error: ApiError) => void };
  const api = {
    listLists: async () => [...server.values()],
    createList: (name: string, key: string) => {
      calls.push(`POST ${name}`);
      keys.push(key);
      return new Promise<TaskList>((resolve, reject) => (answer = { resolve, reject }));
    },
    updateList: async (listId: string, body: { name?: string; archived?: boolean }) => {
      calls.push(`PATCH ${listId} ${JSON.stringify(body)}`);
      const current = server.get(listId);
      if (!current) throw new ApiError('not_found', 404, 'List not found');
      const next = { ...current, ...body, version: current.version + 1 };
      server.set(listId, next);
      return next;
    },
    deleteList: async (listId: string) => {
      calls.push(`DELETE ${listId}`);
      if (!server.delete(listId)) throw new ApiError('not_found', 404, 'List not found');
    },
  } as unknown as ListsApi;
  const commit = (name: string) => {
    const created = { ...list('n', name), role: 'owner' as const };
    server.set(created.id, created);
    return created;
  };
  const create = (name: string) => answer.resolve(server.get('n') ?? commit(name));
  const refuse = (error: ApiError) => answer.reject(error);
  return { api, calls, keys, server, commit, create, refuse };
}

describe('ListsStore writes to a list still being created', () => {
  it('shows a list once when the server announces it (and a reload brings it) before its creation answers', async () => {
    const { api, keys, commit, create } = creationApi();
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const names = () => store.getSnapshot().lists.map((one) => `${one.id.startsWith('local:') ? 'local' : one.id} ${one.name}`);
    commit('Groceries'); // committed; its answer is still on its way
    store.applyAnnouncedCreation('n', keys[0]!); // the creator's own `list.added`, which makes the app reload
    await store.load();
    expect(names()).toEqual(['local Groceries']);
    create('Groceries');
    await creating;
    expect(names()).toEqual(['n Groceries']);
  });

  it('shows a list announced under another key (made in another tab) beside the one being created here', async () => {
    const { api, commit } = creationApi();
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    void store.createList('Groceries').catch(() => {});
    commit('Groceries');
    store.applyAnnouncedCreation('n', 'another-tabs-key');
    await store.load();
    expect(
      store
        .getSnapshot()
        .lists.map((one) => (one.id.startsWith('local:') ? 'local' : one.id))
        .sort(),
    ).toEqual(['local', 'n']);
  });

  it('sends a rename and an archive made before the creation answered once it has, in order, under the server id, shown throughout', async () => {
    const { api, calls, create } = creationApi();
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const localId = store.getSnapshot().lists[0]!.id;
    expect(localId).toMatch(/^local:/);
    const shown: string[] = [];
    store.subscribe(() =>
      shown.push(
        store
          .getSnapshot()
          .lists.map((one) => `${one.name}${one.archived ? ' (archived)' : ''}`)
          .join(),
      ),
    );
    const renamed = store.renameList(localId, 'Shopping');
    const archived = store.setArchived(localId, true);
    await settle();
    expect(calls).toEqual(['POST Groceries']); // nothing sent for a list the server does not have yet
    expect(store.find(localId)).toMatchObject({ name: 'Shopping', archived: true, pending: true });

    create('Groceries');
    expect((await creating).id).toBe('n');
    expect(await Promise.all([renamed, archived])).toEqual([true, true]);
    expect(calls).toEqual(['POST Groceries', 'PATCH n {"name":"Shopping"}', 'PATCH n {"archived":true}']);
    expect(store.find('n')).toMatchObject({ name: 'Shopping', archived: true, pending: false });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
    // Never the old name or the unarchived list again, not even for one update while the local copy became the server's.
    expect(shown.length).toBeGreaterThan(2);
    expect(new Set(shown.slice(1))).toEqual(new Set(['Shopping (archived)']));
  });

  it('deletes a list deleted before its creation answered once the server has it: none is left, there or shown', async () => {
    const { api, calls, server, create } = creationApi();
    const onError = vi.fn();
    const store = new ListsStore(api, { onError, retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const localId = store.getSnapshot().lists[0]!.id;
    const shown: string[][] = [];
    store.subscribe(() => shown.push(names(store)));
    const deleted = store.deleteList(localId);
    await settle();
    expect(names(store)).toEqual([]);

    create('Groceries');
    await creating;
    expect(await deleted).toBe(true);
    expect(calls).toEqual(['POST Groceries', 'DELETE n']);
    expect(server.size).toBe(0);
    expect(shown.every((each) => each.length === 0)).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ lists: [], saving: false });
    expect(onError).not.toHaveBeenCalled();
    await store.load();
    expect(names(store)).toEqual([]);
  });

  it('keeps a list created offline, with its tasks and rename, and creates it with the same key once back', async () => {
    const { api, calls, keys, refuse, create } = creationApi();
    const onError = vi.fn();
    const addTasks = vi.fn();
    const store = new ListsStore(api, { onError, addTasks, retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const localId = store.getSnapshot().lists[0]!.id;
    store.addTask(localId, { title: 'Milk' });
    store.addTask(localId, { title: 'Eggs' });
    const renamed = store.renameList(localId, 'Shopping');
    refuse(new ApiError('network_error', 0, 'Cannot reach Listo.'));
    await settle();
    // Still shown, with what was typed into it, unsaved and why; nothing reported.
    expect(store.find(localId)).toMatchObject({ name: 'Shopping', pending: true, waitingTasks: [{ title: 'Milk' }, { title: 'Eggs' }] });
    expect(store.getSnapshot()).toMatchObject({ saving: true, stalledBy: 'network' });
    expect(onError).not.toHaveBeenCalled();
    expect(addTasks).not.toHaveBeenCalled();

    store.retryNow(); // the connection is back
    await settle();
    expect(calls).toEqual(['POST Groceries', 'POST Groceries']);
    expect(keys[1]).toBe(keys[0]); // the same Idempotency-Key: the server replays its answer if the first one got through
    create('Groceries');
    expect((await creating).id).toBe('n');
    expect(await renamed).toBe(true);
    expect(addTasks).toHaveBeenCalledWith('n', [{ title: 'Milk' }, { title: 'Eggs' }]);
    expect(calls).toEqual(['POST Groceries', 'POST Groceries', 'PATCH n {"name":"Shopping"}']);
    expect(store.find(localId)).toMatchObject({ id: 'n', name: 'Shopping', pending: false });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalledBy: null });
    expect(onError).not.toHaveBeenCalled();
  });

  it('drops a list created offline that the server then refuses, reporting it once', async () => {
    const { api, calls, refuse } = creationApi();
    const onError = vi.fn();
    const addTasks = vi.fn();
    const store = new ListsStore(api, { onError, addTasks, retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const localId = store.getSnapshot().lists[0]!.id;
    store.addTask(localId, { title: 'Milk' });
    refuse(new ApiError('network_error', 0, 'Cannot reach Listo.'));
    await settle();
    store.retryNow();
    await settle();
    refuse(new ApiError('limit_reached', 422, 'Your plan allows 100 lists'));
    await expect(creating).rejects.toMatchObject({ code: 'limit_reached' });
    expect(calls).toEqual(['POST Groceries', 'POST Groceries']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(addTasks).not.toHaveBeenCalled();
    expect(store.getSnapshot()).toMatchObject({ lists: [], saving: false, stalledBy: null });
  });

  it('drops a list still waiting to be created when the user signs out, sending nothing more', async () => {
    const { api, calls, refuse } = creationApi();
    const store = new ListsStore(api, { retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    refuse(new ApiError('network_error', 0, 'Cannot reach Listo.'));
    await settle();
    store.dispose();
    await expect(creating).rejects.toBeInstanceOf(ApiError);
    store.retryNow();
    await settle();
    expect(calls).toEqual(['POST Groceries']);
    expect(store.getSnapshot()).toMatchObject({ lists: [], saving: false });
  });

  it('drops the writes waiting for a creation that failed, reporting only the creation', async () => {
    const { api, calls, refuse } = creationApi();
    const onError = vi.fn();
    const store = new ListsStore(api, { onError, retryDelayMs: () => 60_000 });
    await store.load();
    const creating = store.createList('Groceries');
    const localId = store.getSnapshot().lists[0]!.id;
    const renamed = store.renameList(localId, 'Shopping');
    const deleted = store.deleteList(localId);
    await settle();

    refuse(new ApiError('limit_reached', 422, 'Your plan allows 100 lists'));
    await expect(creating).rejects.toMatchObject({ code: 'limit_reached' });
    expect(await Promise.all([renamed, deleted])).toEqual([false, false]);
    expect(calls).toEqual(['POST Groceries']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'limit_reached' }));
    expect(store.getSnapshot()).toMatchObject({ lists: [], saving: false, stalledBy: null });
  });
});

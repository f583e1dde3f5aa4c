import { describe, expect, it, vi } from 'vitest';
import type { TaskList } from '../../core/schemas/index.js';
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

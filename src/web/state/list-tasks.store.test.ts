import { describe, expect, it, vi } from 'vitest';
import { comparePositions, positionBetween } from '../../core/ordering.js';
import type { MoveTaskBody, Task } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import type { TasksApi } from '../api/endpoints.js';
import { ListTasksStore, type PendingChange } from './list-tasks.store.js';

const listId = '00000000-0000-4000-8000-000000000001';

/** An in-memory API whose answers wait until `release()`, to look at the optimistic state in between. */
class FakeServer implements TasksApi {
  tasks = new Map<string, Task>();
  calls: string[] = [];
  failNext: ApiError | null = null;
  /** Every call fails as if the network were down. */
  offline = false;
  /** The list version: bumped by every write, like the server's. */
  version = 0;
  private held: (() => void)[] = [];
  private holding = false;
  private clock = 0;
  private ids = 0;

  hold() {
    this.holding = true;
  }

  /** Lets every held call, and those they lead to, answer. */
  async release() {
    this.holding = false;
    for (let i = 0; i < 20; i++) {
      this.held.splice(0).forEach((resume) => resume());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  private async answer<T>(call: string, work: () => T): Promise<T> {
    this.calls.push(call);
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.offline) throw new ApiError('network_error', 0, 'Cannot reach Listo.');
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    return work();
  }

  /** The next `updatedAt`: strictly increasing, like the server's (update-stamp.ts). */
  stamp = () => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ++this.clock)).toISOString();
  private live = () => [...this.tasks.values()].filter((task) => !task.deletedAt).sort(comparePositions);
  save(task: Task) {
    this.version++;
    this.tasks.set(task.id, task);
    return task;
  }

  seed(title: string): Task {
    const last = this.live().at(-1);
    const id = `00000000-0000-4000-8000-${String(++this.ids).padStart(12, '0')}`;
    const at = this.stamp();
    return this.save({
      id,
      listId,
      workspaceId: listId,
      title,
      notes: '',
      done: false,
      completedAt: null,
      completedBy: null,
      dueDate: null,
      recurrence: null,
      priority: 4,
      position: positionBetween(last?.position ?? null, null),
      assigneeId: null,
      createdBy: listId,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      blocks: [],
    });
  }

  listTasks = (id: string) => this.answer(`list ${id}`, () => ({ items: this.live(), listVersion: this.version }));
  createTask = (_listId: string, body: { title: string }, key: string) => this.answer(`create ${body.title} ${key}`, () => this.seed(body.title));
  updateTask = (id: string, body: Record<string, unknown>, key: string) =>
    this.answer(`update ${id} ${JSON.stringify(body)} ${key}`, () => {
      const task = this.tasks.get(id)!;
      if (task.deletedAt) throw new ApiError('task_deleted', 422, 'This task was deleted; restore it before editing');
      const next = { ...task, ...body, updatedAt: this.stamp() } as Task;
      if (typeof body.done === 'boolean') next.completedAt = body.done ? next.updatedAt : null;
      return this.save(next);
    });
  moveTask = (id: string, body: MoveTaskBody, key?: string) =>
    this.answer(`move ${id} ${JSON.stringify(body)} ${key}`, () => {
      const others = this.live().filter((task) => task.id !== id);
      let index = 0;
      if (body.beforeId) index = others.findIndex((task) => task.id === body.beforeId);
      else if (body.afterId) index = others.findIndex((task) => task.id === body.afterId) + 1;
      const position = positionBetween(others[index - 1]?.position ?? null, others[index]?.position ?? null);
      return this.save({ ...this.tasks.get(id)!, position, updatedAt: this.stamp() });
    });
  deleteTask = (id: string, key: string) =>
    this.answer(`delete ${id} ${key}`, () => {
      const at = this.stamp();
      this.save({ ...this.tasks.get(id)!, deletedAt: at, updatedAt: at });
    });
  restoreTask = (id: string) => this.answer(`restore ${id}`, () => this.save({ ...this.tasks.get(id)!, deletedAt: null, updatedAt: this.stamp() }));
}

async function setup(titles: string[] = []) {
  const server = new FakeServer();
  for (const title of titles) server.seed(title);
  const onError = vi.fn<(error: ApiError, change: PendingChange, task: Task | undefined) => void>();
  // The user's day is the 25th (noon, local): a repeating task's completion depends on it.
  const store = new ListTasksStore(listId, server, { onError, retryDelayMs: () => 60_000, now: () => new Date(2026, 10, 25, 12) });
  await store.load();
  const shown = () => store.getSnapshot().tasks.map((task) => task.title);
  return { server, store, onError, shown };
}

describe('ListTasksStore', () => {
  it('shows a new task at once, then swaps in the server’s without changing its key', async () => {
    const { server, store, shown } = await setup(['Milk']);
    server.hold();
    const localId = store.addTask({ title: '  Bread ' });
    const optimistic = store.getSnapshot().tasks[1]!;
    expect(shown()).toEqual(['Milk', 'Bread']);
    expect(optimistic).toMatchObject({ id: localId, pending: true });
    expect(store.getSnapshot().saving).toBe(true);

    await server.release();
    const confirmed = store.getSnapshot().tasks[1]!;
    expect(confirmed.id).not.toBe(localId);
    expect(confirmed).toMatchObject({ key: optimistic.key, pending: false, title: 'Bread' });
    expect(store.getSnapshot().saving).toBe(false);
    expect(server.calls.filter((call) => call.startsWith('create'))).toHaveLength(1);
  });

  it('sends changes of a task made before its creation was confirmed, with its server id, in order', async () => {
    const { server, store } = await setup();
    server.hold();
    const localId = store.addTask({ title: 'Eggs' });
    store.updateTask(localId, { done: true });
    store.updateTask(localId, { title: 'Six eggs' });
    expect(store.getSnapshot().tasks[0]).toMatchObject({ title: 'Six eggs', done: true });

    await server.release();
    const [task] = [...server.tasks.values()];
    expect(task).toMatchObject({ title: 'Six eggs', done: true });
    expect(server.calls.map((call) => call.split(' ')[0])).toEqual(['list', 'create', 'update', 'update']);
    expect(server.calls[2]).toContain(task!.id);
  });

  it('reverts a change the server refuses and reports the problem', async () => {
    const { server, store, onError, shown } = await setup(['Milk']);
    const milk = store.getSnapshot().tasks[0]!;
    server.hold();
    server.failNext = new ApiError('forbidden', 403, 'Your role (viewer) cannot edit tasks');
    store.updateTask(milk.id, { title: 'Oat milk' });
    expect(shown()).toEqual(['Oat milk']);

    await server.release();
    expect(shown()).toEqual(['Milk']);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'forbidden', detail: 'Your role (viewer) cannot edit tasks' }),
      expect.objectContaining({ kind: 'update' }),
      expect.objectContaining({ title: 'Oat milk' }),
    );
  });

  it('moves by one place up and down, at once, and the server agrees', async () => {
    const { server, store, shown } = await setup(['A', 'B', 'C']);
    const c = store.getSnapshot().tasks[2]!;
    server.hold();
    expect(store.moveTaskBy(c.id, -1)).toBe(true);
    expect(store.moveTaskBy(c.id, -1)).toBe(true);
    expect(store.moveTaskBy(c.id, -1)).toBe(false); // already first
    expect(shown()).toEqual(['C', 'A', 'B']);

    await server.release();
    expect(shown()).toEqual(['C', 'A', 'B']);
    await store.load();
    expect(shown()).toEqual(['C', 'A', 'B']);
    expect(store.moveTaskBy(c.id, 1)).toBe(true);
    await server.release();
    expect(shown()).toEqual(['A', 'C', 'B']);
  });

  it('deletes to the trash and restores in the same place', async () => {
    const { server, store, shown } = await setup(['A', 'B', 'C']);
    const deleted = store.deleteTask(store.getSnapshot().tasks[1]!.id)!;
    expect(shown()).toEqual(['A', 'C']);
    await server.release();
    expect(server.tasks.get(deleted.id)?.deletedAt).not.toBeNull();

    store.restoreTask(deleted);
    expect(shown()).toEqual(['A', 'B', 'C']);
    await server.release();
    await store.load();
    expect(shown()).toEqual(['A', 'B', 'C']);
  });

  it('a task deleted here stays gone when an older change of it arrives after the answer (a replay after reconnecting)', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    const edited = server.save({ ...milk, title: 'Oat milk', updatedAt: server.stamp() }); // someone's edit, before the deletion
    store.deleteTask(milk.id);
    await server.release();
    expect(shown()).toEqual(['Bread']);
    store.applyServerTask(edited, 'their-edit');
    expect(shown()).toEqual(['Bread']);
    // The deletion's own echo arrives; after it, news of the task counts again (someone restores it).
    store.applyServerTask({ ...server.tasks.get(milk.id)! }, 'our-delete');
    store.applyServerTask({ ...edited, deletedAt: null, updatedAt: '2031-01-01T00:00:00.000Z' }, 'their-restore');
    expect(shown()).toEqual(['Oat milk', 'Bread']);
  });

  it('a task deleted here and restored by someone else shows again after a fetch, even with no echo of either', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    store.deleteTask(milk.id);
    await server.release();
    server.tasks.set(milk.id, { ...server.tasks.get(milk.id)!, deletedAt: null, updatedAt: '2031-01-01T00:00:00.000Z' });
    await store.load();
    expect(shown()).toEqual(['Milk', 'Bread']);
  });

  it('shows a task deleted here again when someone restores it, though the deletion echoed before its answer', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    server.hold();
    store.deleteTask(milk.id);
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    // The server tells subscribers before it answers: the deletion's echo comes first.
    const deletedAt = server.stamp();
    store.applyServerTask({ ...milk, deletedAt, updatedAt: deletedAt }, key);
    await server.release();
    expect(shown()).toEqual(['Bread']);
    // Someone restores it; the change arrives live.
    store.applyServerTask({ ...milk, updatedAt: server.stamp() }, 'their-restore');
    expect(shown()).toEqual(['Milk', 'Bread']);
  });

  it('an answer older than someone’s deletion of the task does not bring it back', async () => {
    for (const kind of ['update', 'move'] as const) {
      const { server, store, shown } = await setup(['Milk', 'Bread']);
      const [milk, bread] = store.getSnapshot().tasks;
      // Our change commits; someone then deletes the task; both echo before our answer arrives.
      const ours = { ...server.tasks.get(milk!.id)!, title: kind === 'update' ? 'Oat milk' : 'Milk', position: 'z', updatedAt: server.stamp() };
      let answer!: () => void;
      server.updateTask = server.moveTask = () => new Promise<Task>((resolve) => (answer = () => resolve(ours)));
      if (kind === 'update') store.updateTask(milk!.id, { title: 'Oat milk' });
      else store.moveTask(milk!.id, { afterId: bread!.id });
      store.applyServerTask(ours, 'ours');
      const at = server.stamp();
      store.applyServerTask({ ...ours, deletedAt: at, updatedAt: at }, 'their-delete');
      answer();
      await server.release();
      expect(shown(), kind).toEqual(['Bread']);
    }
  });

  it('an answer older than the task’s move to another list does not bring it back', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    const ours = { ...milk, title: 'Oat milk', updatedAt: server.stamp() };
    let answer!: () => void;
    server.updateTask = () => new Promise<Task>((resolve) => (answer = () => resolve(ours)));
    store.updateTask(milk.id, { title: 'Oat milk' });
    store.applyServerTask(ours, 'ours');
    store.applyServerRemoval(milk.id, server.stamp()); // someone moved it to another list
    answer();
    await server.release();
    expect(shown()).toEqual(['Bread']);
  });

  it('a reload while our edit is on its way does not let the edit’s late answer bring back a task someone deleted', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    // Our edit commits first; its answer is slow.
    const ours = server.save({ ...server.tasks.get(milk.id)!, title: 'Oat milk', updatedAt: server.stamp() });
    let answer!: () => void;
    server.updateTask = () => new Promise<Task>((resolve) => (answer = () => resolve(ours)));
    store.updateTask(milk.id, { title: 'Oat milk' });
    // Someone deletes the task; its echo arrives.
    const at = server.stamp();
    store.applyServerTask(server.save({ ...ours, deletedAt: at, updatedAt: at }), 'their-delete');
    expect(shown()).toEqual(['Bread']);
    // A reload (a resync) lands with nothing else happening meanwhile.
    await store.load();
    expect(shown()).toEqual(['Bread']);
    answer();
    await server.release();
    expect(shown()).toEqual(['Bread']);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });

  it('takes a real-time echo of its own creation as the answer, without showing the task twice', async () => {
    const { server, store, shown } = await setup();
    server.hold();
    const localId = store.addTask({ title: 'Echo' });
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    const fromServer = server.seed('Echo');
    store.applyServerTask(fromServer, key);
    expect(shown()).toEqual(['Echo']);
    expect(store.getSnapshot().tasks[0]).toMatchObject({ id: fromServer.id, key: localId });
    expect(store.ownsMutation(key)).toBe(true);
  });

  it('keeps a pending change on top of a newer version from elsewhere', async () => {
    const { server, store } = await setup(['Milk']);
    const milk = store.getSnapshot().tasks[0]!;
    server.hold();
    store.updateTask(milk.id, { done: true });
    store.applyServerTask({ ...milk, title: 'Milk (2 l)', updatedAt: '2030-01-01T00:00:00.000Z' });
    expect(store.getSnapshot().tasks[0]).toMatchObject({ title: 'Milk (2 l)', done: true, pending: true });
    store.applyServerTask({ ...milk, title: 'stale', updatedAt: '2000-01-01T00:00:00.000Z' });
    expect(store.getSnapshot().tasks[0]?.title).toBe('Milk (2 l)');
  });

  it('reports the list version of each load', async () => {
    const { server, store } = await setup(['A', 'B']);
    const seen: number[] = [];
    store.onLoaded((version) => seen.push(version));
    expect(store.listVersion).toBe(2);
    server.seed('C');
    await store.load();
    expect(seen).toEqual([3]);
    expect(store.listVersion).toBe(3);
  });

  it('says why it waits: no network, or a server that answered it is unavailable', async () => {
    const { server, store } = await setup(['Milk']);
    server.failNext = new ApiError('service_unavailable', 503, 'Listo is busy; try again shortly.');
    const localId = store.addTask({ title: 'Bread' });
    await vi.waitFor(() => expect(store.getSnapshot()).toMatchObject({ stalled: true, stalledBy: 'server' }));
    store.retryNow();
    await server.release();
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false, stalledBy: null });
    expect(store.getSnapshot().tasks.map((task) => task.id)).not.toContain(localId); // saved, with the server's id
  });

  it('keeps changes made offline queued, in order, and sends them with the same keys once back', async () => {
    const { server, store, shown, onError } = await setup(['Milk']);
    server.offline = true;
    const localId = store.addTask({ title: 'Bread' });
    store.updateTask(localId, { done: true });
    await vi.waitFor(() => expect(store.getSnapshot().stalled).toBe(true));
    expect(shown()).toEqual(['Milk', 'Bread']);
    expect(store.getSnapshot()).toMatchObject({ saving: true, stalled: true, stalledBy: 'network' });
    const firstKey = server.calls.at(-1)!.split(' ').at(-1);

    server.offline = false;
    store.retryNow();
    await server.release();
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false, stalledBy: null });
    expect(shown()).toEqual(['Milk', 'Bread']);
    expect(store.getSnapshot().tasks[1]).toMatchObject({ done: true, pending: false });
    const creates = server.calls.filter((call) => call.startsWith('create'));
    expect(creates).toHaveLength(2);
    expect(creates.every((call) => call.endsWith(firstKey!))).toBe(true);
    expect(server.calls.at(-1)).toMatch(/^update .*"done":true/);
    expect(onError).not.toHaveBeenCalled();
  });

  it('drops changes of a task deleted meanwhile, takes the task away, and says which task', async () => {
    const { server, store, shown, onError } = await setup(['Milk', 'Bread']);
    const milk = store.getSnapshot().tasks[0]!;
    server.hold();
    store.updateTask(milk.id, { title: 'Oat milk' });
    store.updateTask(milk.id, { done: true });
    server.tasks.set(milk.id, { ...server.tasks.get(milk.id)!, deletedAt: '2026-01-02T00:00:00.000Z' }); // by someone else
    await server.release();
    expect(shown()).toEqual(['Bread']);
    expect(store.getSnapshot().saving).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'task_deleted' }),
      expect.objectContaining({ kind: 'update' }),
      expect.objectContaining({ id: milk.id }),
    );
    // Only the first update was tried; the second was dropped with it.
    expect(server.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
  });

  it('ignores echoes of its own changes once their answer is in (no step back in between)', async () => {
    const { server, store } = await setup(['Milk']);
    const milk = store.getSnapshot().tasks[0]!;
    store.updateTask(milk.id, { title: 'Oat milk', done: true });
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    expect(store.ownsMutation(key)).toBe(true);
    await server.release();
    expect(store.getSnapshot().tasks[0]).toMatchObject({ title: 'Oat milk', done: true });
    // The first of the two events of that change (edited, then completed) arrives late.
    store.applyServerTask({ ...server.tasks.get(milk.id)!, done: false, completedAt: null }, key);
    expect(store.getSnapshot().tasks[0]).toMatchObject({ title: 'Oat milk', done: true });
    // Someone else's change still applies.
    store.applyServerTask({ ...server.tasks.get(milk.id)!, title: 'Soy milk', updatedAt: '2030-01-01T00:00:00.000Z' }, 'someone-else');
    expect(store.getSnapshot().tasks[0]?.title).toBe('Soy milk');
  });

  it('takes the echo of a change on its way for its answer when that answer is lost, and goes on with the next', async () => {
    const { server, store, shown } = await setup(['Milk', 'Bread']);
    const [milk, bread] = store.getSnapshot().tasks;
    server.hold();
    store.updateTask(milk!.id, { title: 'Oat milk' });
    store.updateTask(bread!.id, { done: true });
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    // The server applied it and told subscribers; then the connection dropped before the answer.
    store.applyServerTask({ ...server.tasks.get(milk!.id)!, title: 'Oat milk', updatedAt: server.stamp() }, key);
    expect(store.getSnapshot().saving).toBe(true); // still on its way
    server.offline = true;
    await server.release();
    server.offline = false;
    // The next change failed too and waits; the echoed one is done.
    expect(server.calls.filter((call) => call.includes(key))).toHaveLength(1);
    expect(store.getSnapshot()).toMatchObject({ stalled: true });
    store.retryNow();
    await server.release();
    expect(server.calls.filter((call) => call.includes(key))).toHaveLength(1);
    expect(shown()).toEqual(['Oat milk', 'Bread']);
    expect(store.getSnapshot().tasks[1]).toMatchObject({ done: true, pending: false });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });

  it('takes the echo of a creation that waits to be sent again for its answer; later changes of it use the server id', async () => {
    const { server, store, shown } = await setup();
    server.offline = true;
    const localId = store.addTask({ title: 'Eggs' });
    store.updateTask(localId, { done: true });
    await vi.waitFor(() => expect(store.getSnapshot().stalled).toBe(true));
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    server.offline = false;
    store.applyServerTask(server.seed('Eggs'), key); // it had reached the server
    expect(shown()).toEqual(['Eggs']);
    expect(store.getSnapshot().tasks[0]).toMatchObject({ key: localId, done: true, pending: true });
    store.retryNow();
    await server.release();
    expect(server.calls.filter((call) => call.startsWith('create'))).toHaveLength(1);
    expect(server.tasks.size).toBe(1);
    expect([...server.tasks.values()][0]).toMatchObject({ title: 'Eggs', done: true });
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });

  it('while the list catches up, a change that failed by network error waits for it; new changes still go', async () => {
    const { server, store } = await setup(['Milk', 'Bread']);
    const [milk, bread] = store.getSnapshot().tasks;
    store.awaitCatchUp();
    server.offline = true;
    store.updateTask(milk!.id, { title: 'Oat milk' });
    await vi.waitFor(() => expect(store.getSnapshot().stalled).toBe(true));
    server.offline = false;
    store.retryNow(); // the connection is back, the replay is not in yet
    await server.release();
    expect(server.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    store.caughtUp();
    await server.release();
    expect(server.calls.filter((call) => call.startsWith('update'))).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
    // Nothing waits any more: with no failure, catching up holds nothing back.
    store.awaitCatchUp();
    store.updateTask(bread!.id, { done: true });
    await server.release();
    expect(server.tasks.get(bread!.id)).toMatchObject({ done: true });
  });

  it('a change waiting for the catch-up is sent anyway, with its key, 15 s on, when the real-time connection stays down but requests get through', async () => {
    const { server, store, shown } = await setup(['Milk']);
    const milk = store.getSnapshot().tasks[0]!;
    const updates = () => server.calls.filter((call) => call.startsWith('update'));
    vi.useFakeTimers();
    try {
      store.awaitCatchUp(); // the socket dropped, and never comes back (a proxy that drops WebSocket upgrades)
      server.offline = true;
      store.updateTask(milk.id, { title: 'Oat milk' });
      await vi.advanceTimersByTimeAsync(0);
      expect(store.getSnapshot()).toMatchObject({ saving: true, stalledBy: 'network' });
      server.offline = false;
      store.retryNow(); // the browser is back online
      await vi.advanceTimersByTimeAsync(14_000);
      expect(updates()).toHaveLength(1); // still waiting for the replay that may hold its echo
      expect(shown()).toEqual(['Oat milk']);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(updates()).toHaveLength(2);
      expect(updates()[1]!.split(' ').at(-1)).toBe(updates()[0]!.split(' ').at(-1)); // the same Idempotency-Key
      expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false, stalledBy: null });
      expect(server.tasks.get(milk.id)?.title).toBe('Oat milk');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a change waiting for the catch-up while every request fails waits again after each try, and is sent by its timer once through', async () => {
    const { server } = await setup(['Milk']);
    const store = new ListTasksStore(listId, server, { retryDelayMs: () => 1_000 });
    await store.load();
    const milk = store.getSnapshot().tasks[0]!;
    const updates = () => server.calls.filter((call) => call.startsWith('update'));
    vi.useFakeTimers();
    try {
      store.awaitCatchUp();
      server.offline = true;
      store.updateTask(milk.id, { title: 'Oat milk' });
      await vi.advanceTimersByTimeAsync(16_000); // one more try at the bound: still offline
      expect(updates()).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(10_000); // the wait started over with that failure
      expect(updates()).toHaveLength(2);
      server.offline = false; // no online event, no socket: only the timer can send it
      await vi.advanceTimersByTimeAsync(60_000);
      expect(updates()).toHaveLength(3);
      expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a move whose echo arrives while it waits to be sent again is done', async () => {
    const { server, store, shown } = await setup(['A', 'B']);
    const [a, b] = store.getSnapshot().tasks;
    server.offline = true;
    store.moveTask(a!.id, { afterId: b!.id });
    await vi.waitFor(() => expect(store.getSnapshot().stalled).toBe(true));
    server.offline = false;
    const moveCalls = server.calls.filter((call) => call.startsWith('move')).length;
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    store.applyServerTask({ ...server.tasks.get(a!.id)!, position: 'z', updatedAt: server.stamp() }, key);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
    store.retryNow();
    await server.release();
    expect(server.calls.filter((call) => call.startsWith('move'))).toHaveLength(moveCalls);
    expect(shown()).toEqual(['B', 'A']);
  });

  it('completing a repeating task shows it open on its next date at once; its echo and answer change nothing shown', async () => {
    const { server, store } = await setup(['Bins']);
    const bins = [...server.tasks.values()][0]!;
    server.save({ ...bins, dueDate: '2026-11-23', recurrence: { every: 'week', weekdays: ['mon', 'thu'] }, updatedAt: server.stamp() });
    await store.load();
    // The server moves a repeating task on instead of closing it.
    const plainUpdate = server.updateTask;
    server.updateTask = (id, body, key) => plainUpdate(id, body.done === true ? { dueDate: '2026-11-26' } : body, key);
    const seen: string[] = [];
    store.subscribe(() => {
      const task = store.getSnapshot().tasks[0]!;
      seen.push(`${task.done} ${String(task.dueDate)}`);
    });

    server.hold();
    store.updateTask(bins.id, { done: true });
    expect(store.getSnapshot().tasks[0]).toMatchObject({ done: false, dueDate: '2026-11-26', pending: true });
    // Its echo comes before the answer: not moved on a second time.
    const key = server.calls.at(-1)!.split(' ').at(-1)!;
    store.applyServerTask({ ...server.tasks.get(bins.id)!, dueDate: '2026-11-26', updatedAt: server.stamp() }, key);
    await server.release();
    expect(store.getSnapshot()).toMatchObject({ saving: false, tasks: [{ done: false, dueDate: '2026-11-26', pending: false }] });
    expect(new Set(seen)).toEqual(new Set(['false 2026-11-26']));

    // Twice in a row, before any answer: the occurrence after next.
    server.hold();
    store.updateTask(bins.id, { done: true });
    store.updateTask(bins.id, { done: true });
    expect(store.getSnapshot().tasks[0]).toMatchObject({ done: false, dueDate: '2026-12-03' });
  });

  it('completing a repeating task says which occurrence; a stale one gives way to the server’s answer', async () => {
    const { server, store } = await setup(['Water plants']);
    const plants = [...server.tasks.values()][0]!;
    server.save({ ...plants, dueDate: '2026-11-25', recurrence: { every: 'day' }, updatedAt: server.stamp() });
    await store.load();
    // Someone else completed the 25th meanwhile; this screen has not heard of it yet.
    server.save({ ...server.tasks.get(plants.id)!, dueDate: '2026-11-26', updatedAt: server.stamp() });
    const plainUpdate = server.updateTask;
    const bodies: Record<string, unknown>[] = [];
    // As the server does: an occurrence the task has moved past is not completed again.
    server.updateTask = (id, body, key) => {
      bodies.push(body);
      const current = server.tasks.get(id)!;
      if (body.done === true && body.occurrence !== current.dueDate) return plainUpdate(id, {}, key);
      return plainUpdate(id, body.done === true ? { dueDate: '2026-11-27' } : body, key);
    };
    const answers: Task[] = [];
    server.hold();
    store.updateTask(plants.id, { done: true }, (task) => answers.push(task));
    expect(store.getSnapshot().tasks[0]).toMatchObject({ done: false, dueDate: '2026-11-26', pending: true });
    await server.release();
    expect(bodies).toEqual([{ done: true, occurrence: '2026-11-25', today: '2026-11-25' }]);
    expect(store.getSnapshot().tasks[0]).toMatchObject({ done: false, dueDate: '2026-11-26', pending: false });
    expect(answers.map((task) => task.dueDate)).toEqual(['2026-11-26']);
    // A task that does not repeat is completed without an occurrence.
    server.save({ ...server.tasks.get(plants.id)!, recurrence: null, updatedAt: server.stamp() });
    await store.load();
    store.updateTask(plants.id, { done: true });
    await vi.waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ done: true });
  });

  it('completing a repeating task with no occurrence left (until) closes it; clearing its due date stops it', async () => {
    const { server, store } = await setup(['Stand-up', 'Gym']);
    const [standUp, gym] = [...server.tasks.values()];
    server.save({ ...standUp!, dueDate: '2026-11-25', recurrence: { every: 'day', until: '2026-11-25' }, updatedAt: server.stamp() });
    server.save({ ...gym!, dueDate: '2026-11-25', recurrence: { every: 'day' }, updatedAt: server.stamp() });
    await store.load();
    server.hold();
    store.updateTask(standUp!.id, { done: true });
    store.updateTask(gym!.id, { dueDate: null });
    expect(store.getSnapshot().tasks.map((task) => [task.done, task.dueDate, task.recurrence])).toEqual([
      [true, '2026-11-25', { every: 'day', until: '2026-11-25' }],
      [false, null, null],
    ]);
  });
});

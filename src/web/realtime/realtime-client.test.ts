import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../core/realtime/protocol.js';
import type { Task, TaskList } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import type { TasksApi } from '../api/endpoints.js';
import { ListTasksStore } from '../state/list-tasks.store.js';
import type { ListView } from '../state/lists.store.js';
import { RealtimeClient, type RealtimeStores, type RealtimeTaskStore, type RealtimeTimers, type SocketHandlers } from './realtime-client.js';

const listId = '00000000-0000-4000-8000-00000000000a';
const me = '00000000-0000-4000-8000-0000000000e1';
const bob = '00000000-0000-4000-8000-0000000000b0';

/** Timers that only move when the test says so. */
class ManualTimers implements RealtimeTimers {
  time = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.due.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.due.delete(handle as number);
  };
  now = () => this.time;
  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = until;
  }
}

class FakeSocket {
  sent: ClientMessage[] = [];
  closed = false;
  constructor(readonly handlers: SocketHandlers) {}
  send = (data: string) => this.sent.push(JSON.parse(data) as ClientMessage);
  close = () => {
    this.closed = true;
  };
  receive(message: object) {
    this.handlers.onMessage(JSON.stringify(message));
  }
  of<T extends ClientMessage['type']>(type: T) {
    return this.sent.filter((message): message is Extract<ClientMessage, { type: T }> => message.type === type);
  }
}

class FakeTaskStore implements RealtimeTaskStore {
  listVersion: number | null = null;
  loads = 0;
  applied: [string, string | null | undefined][] = [];
  removed: [string, string | undefined][] = [];
  /** `hold` for awaitCatchUp, `release` for caughtUp. */
  catchUp: string[] = [];
  awaitCatchUp = () => void this.catchUp.push('hold');
  caughtUp = () => void this.catchUp.push('release');
  private readonly listeners = new Set<(version: number) => void>();
  load = () => {
    this.loads++;
    return Promise.resolve();
  };
  onLoaded(listener: (version: number) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  loaded(version: number) {
    this.listVersion = version;
    for (const listener of this.listeners) listener(version);
  }
  applyServerTask(task: Task, mutationId?: string | null) {
    this.applied.push([task.title, mutationId]);
  }
  applyServerRemoval(taskId: string, updatedAt?: string) {
    this.removed.push([taskId, updatedAt]);
  }
}

const task = (title: string): Task => ({
  id: '00000000-0000-4000-8000-000000000101',
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
  position: 'a0',
  assigneeId: null,
  createdBy: bob,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  blocks: [],
});

const list: TaskList = {
  id: listId,
  workspaceId: listId,
  name: 'Groceries',
  position: 'a0',
  version: 1,
  archived: false,
  archivedAt: null,
  role: 'editor',
  createdBy: bob,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const change = (version: number, title: string, extra: object = {}) => ({
  type: 'change',
  listId,
  version,
  change: 'task.edited',
  actorId: bob,
  taskId: task(title).id,
  mutationId: `m${version}`,
  at: '2026-01-01T00:00:00.000Z',
  data: { task: task(title) },
  ...extra,
});

function setup(
  extra: {
    onUserEvent?: (event: string, data: unknown) => void;
    onChange?: (change: { change: string; version: number }) => void;
    onPolicyClose?: () => void;
    random?: () => number;
  } = {},
) {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const tasks = new FakeTaskStore();
  const notes: string[] = [];
  const calls: string[] = [];
  let lists: ListView[] = [{ ...list, pending: false }];
  let network: ((online: boolean) => void) | null = null;
  const stores: RealtimeStores = {
    lists: {
      load: async () => void calls.push('lists.load'),
      applyServerListChange: (changed) => void calls.push(`list ${changed.name}`),
      applyServerRemoval: (id) => {
        calls.push(`list removed ${id}`);
        lists = lists.filter((candidate) => candidate.id !== id);
      },
      applyAnnouncedCreation: (id, mutationId) => void calls.push(`list created ${id} under ${mutationId}`),
      find: (id) => lists.find((candidate) => candidate.id === id),
      retryNow: () => void calls.push('lists.retryNow'),
      awaitCatchUp: () => undefined,
      caughtUp: () => undefined,
    },
    tasksOf: () => tasks,
    peekTasks: () => tasks,
    resumeWrites: () => void calls.push('resumeWrites'),
  };
  const client = new RealtimeClient({
    url: 'ws://test/api/v1/realtime',
    stores,
    selfId: me,
    timers,
    random: () => 0,
    notify: (message) => notes.push(message),
    socket: (_url, handlers) => {
      const socket = new FakeSocket(handlers);
      sockets.push(socket);
      return socket;
    },
    watchNetwork: (listener) => {
      network = listener;
      return () => (network = null);
    },
    ...extra,
  });
  const socket = () => sockets.at(-1)!;
  const hello = () => socket().receive({ type: 'hello', userId: me, heartbeatMs: 25_000 });
  return { client, timers, sockets, socket, hello, tasks, notes, calls, setNetwork: (online: boolean) => network?.(online) };
}

describe('RealtimeClient', () => {
  it('subscribes to a watched list from the version its tasks were loaded at, then applies changes in order', () => {
    const { client, socket, hello, tasks } = setup();
    client.start();
    expect(client.getSnapshot().status).toBe('connecting');
    hello();
    expect(client.getSnapshot().status).toBe('online');
    client.watchList(listId);
    expect(socket().of('subscribe')).toEqual([]); // waits for the tasks
    tasks.loaded(7);
    expect(socket().of('subscribe')).toEqual([{ type: 'subscribe', listId, sinceVersion: 7 }]);

    socket().receive(change(7, 'old (already in the fetch)'));
    socket().receive(change(8, 'Milk'));
    socket().receive(change(8, 'Milk'));
    socket().receive(change(9, 'Oat milk'));
    expect(tasks.applied).toEqual([
      ['Milk', 'm8'],
      ['Oat milk', 'm9'],
    ]);
  });

  it('asks for a replay on a gap, applies held changes once it is filled, and subscribes again if it is not', () => {
    const { client, socket, hello, tasks, timers } = setup();
    tasks.listVersion = 3;
    client.start();
    client.watchList(listId);
    hello();
    expect(socket().of('subscribe')).toEqual([{ type: 'subscribe', listId, sinceVersion: 3 }]);

    socket().receive(change(5, 'five'));
    expect(socket().of('replay')).toEqual([{ type: 'replay', listId, sinceVersion: 3 }]);
    socket().receive(change(4, 'four'));
    expect(tasks.applied.map(([title]) => title)).toEqual(['four', 'five']);

    socket().receive(change(7, 'seven'));
    timers.advance(3_000);
    expect(socket().of('subscribe').at(-1)).toEqual({ type: 'subscribe', listId, sinceVersion: 5 });
    socket().receive(change(6, 'six'));
    expect(tasks.applied.map(([title]) => title)).toEqual(['four', 'five', 'six', 'seven']);
  });

  it('on resync refetches the tasks and continues after their version, with what arrived meanwhile', () => {
    const { client, socket, hello, tasks } = setup();
    tasks.listVersion = 2;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ type: 'resync', listId, version: 2_000 });
    expect(tasks.loads).toBe(1);
    socket().receive(change(2_002, 'after the fetch'));
    expect(socket().of('replay')).toEqual([]); // the fetch will fill the gap, not a replay
    tasks.loaded(2_001);
    expect(tasks.applied.map(([title]) => title)).toEqual(['after the fetch']);
    expect(socket().of('subscribe')).toHaveLength(1); // the server streams from 2000: nothing to ask again
  });

  it('a socket closed for policy (a revoked credential) asks the app to check the session; other closes do not', () => {
    let checks = 0;
    const { client, socket, sockets, hello, timers } = setup({ onPolicyClose: () => void checks++ });
    client.start();
    hello();
    socket().handlers.onClose(1006);
    expect(checks).toBe(0);
    expect(client.getSnapshot().status).toBe('offline');
    timers.advance(10_000);
    expect(sockets).toHaveLength(2);
    hello();
    socket().handlers.onClose(1008);
    expect(checks).toBe(1);
  });

  it('when the server ended the subscription with its resync, subscribes again from the refetched version', () => {
    const { client, socket, hello, tasks } = setup();
    tasks.listVersion = 2;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ type: 'resync', listId, version: 2, ended: true });
    socket().receive(change(3, 'from the ended subscription')); // already on its way: not applied
    tasks.loaded(4);
    expect(socket().of('subscribe').at(-1)).toEqual({ type: 'subscribe', listId, sinceVersion: 4 });
    socket().receive(change(5, 'five'));
    expect(tasks.applied.map(([title]) => title)).toEqual(['five']);
  });

  it('retries a refetch that failed after a resync, later each time, until one lands', async () => {
    const { client, socket, hello, tasks, timers } = setup();
    tasks.listVersion = 2;
    client.start();
    client.watchList(listId);
    hello();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    socket().receive({ type: 'resync', listId, version: 2_000 });
    await settle(); // the first fetch came back without news: it failed
    expect(tasks.loads).toBe(1);
    timers.advance(999);
    expect(tasks.loads).toBe(1);
    timers.advance(1);
    await settle();
    expect(tasks.loads).toBe(2);
    timers.advance(2_000);
    await settle();
    expect(tasks.loads).toBe(3);
    tasks.loaded(2_001);
    timers.advance(8_000); // past the next retry (4 s): none comes
    await settle();
    expect(tasks.loads).toBe(3);
    socket().receive(change(2_002, 'live again'));
    expect(tasks.applied.map(([title]) => title)).toEqual(['live again']);
  });

  it('subscribes again when a refetch is older than what the server already streamed', () => {
    const { client, socket, hello, tasks } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive(change(2, 'two'));
    socket().receive(change(3, 'three'));
    tasks.loaded(2); // e.g. a reload after a refused change, read before change 3
    expect(socket().of('subscribe').at(-1)).toEqual({ type: 'subscribe', listId, sinceVersion: 2 });
    socket().receive(change(3, 'three'));
    expect(tasks.applied.map(([title]) => title)).toEqual(['two', 'three', 'three']);
  });

  it('reconnects with backoff, resumes from the last applied version, and sends waiting writes', () => {
    const { client, sockets, socket, hello, tasks, timers, calls } = setup();
    tasks.listVersion = 10;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive(change(11, 'eleven'));
    socket().handlers.onClose(1006);
    expect(client.getSnapshot().status).toBe('offline');
    expect(sockets).toHaveLength(1);
    timers.advance(249);
    expect(sockets).toHaveLength(1);
    timers.advance(1); // 0.5 s with jitter (random 0 → half)
    expect(sockets).toHaveLength(2);
    socket().handlers.onClose(1006); // still down: the next wait is longer
    timers.advance(499);
    expect(sockets).toHaveLength(2);
    timers.advance(1);
    expect(sockets).toHaveLength(3);
    calls.length = 0;
    hello();
    expect(client.getSnapshot().status).toBe('online');
    expect(socket().of('subscribe')).toEqual([{ type: 'subscribe', listId, sinceVersion: 11 }]);
    expect(calls).toEqual(['resumeWrites', 'lists.retryNow', 'lists.load']); // task and list writes waiting go now
  });

  it('holds a watched list’s writes from losing the socket until its replay reached the subscribed version, and releases them when the list is left', () => {
    const { client, socket, hello, tasks, calls, setNetwork } = setup();
    tasks.listVersion = 10;
    client.start();
    const unwatch = client.watchList(listId);
    hello();
    expect(tasks.catchUp).toEqual(['hold']); // the first replay too may hold an echo
    socket().receive({ type: 'subscribed', listId, version: 10 });
    expect(tasks.catchUp).toEqual(['hold', 'release']);

    socket().handlers.onClose(1006);
    expect(tasks.catchUp).toEqual(['hold', 'release', 'hold']);
    setNetwork(true); // the browser's online event: unwatched lists' writes go now, this one waits
    calls.length = 0;
    hello();
    expect(calls).toContain('resumeWrites');
    socket().receive({ type: 'subscribed', listId, version: 12 });
    socket().receive(change(12, 'twelve')); // held behind the gap
    socket().receive(change(11, 'eleven'));
    expect(tasks.catchUp).toEqual(['hold', 'release', 'hold', 'release']);

    socket().handlers.onClose(1006);
    unwatch();
    expect(tasks.catchUp).toEqual(['hold', 'release', 'hold', 'release', 'hold', 'release']);
  });

  it('pings every 20 s and starts over when nothing answers', () => {
    const { client, sockets, socket, hello, timers } = setup();
    client.start();
    hello();
    timers.advance(20_000);
    expect(socket().of('ping')).toHaveLength(1);
    socket().receive({ type: 'pong', id: '1' });
    timers.advance(20_000);
    expect(socket().of('ping')).toHaveLength(2);
    timers.advance(10_000); // no pong
    expect(sockets[0]!.closed).toBe(true);
    expect(client.getSnapshot().status).toBe('offline');
    timers.advance(250);
    expect(sockets).toHaveLength(2);
  });

  it('goes offline with the browser and reconnects at once when it is back', () => {
    const { client, sockets, hello, timers, setNetwork, calls } = setup();
    client.start();
    hello();
    setNetwork(false);
    expect(client.getSnapshot().status).toBe('offline');
    timers.advance(250);
    sockets.at(-1)!.handlers.onClose(1006);
    const before = sockets.length;
    setNetwork(true);
    expect(calls).toContain('resumeWrites');
    expect(calls).toContain('lists.retryNow');
    expect(sockets).toHaveLength(before + 1);
  });

  it('leaves a list whose access ended, once, with a message', () => {
    const { client, socket, hello, tasks, notes, calls } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ type: 'revoked', listId });
    socket().receive({ type: 'user', event: 'list.removed', data: { listId, reason: 'removed' } });
    expect(calls.filter((call) => call.startsWith('list removed'))).toHaveLength(2);
    expect(notes).toEqual(['You no longer have access to “Groceries”']);
    socket().receive(change(2, 'too late'));
    expect(tasks.applied).toEqual([]);
  });

  it('refreshes the lists when one is shared, and applies list changes', () => {
    const { client, socket, hello, tasks, calls } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ type: 'user', event: 'list.added', data: { listId: bob, role: 'editor' } });
    socket().receive({ ...change(2, 'x'), change: 'list.updated', taskId: null, data: { list: { ...list, name: 'Food', version: 2 } } });
    socket().receive({
      ...change(3, 'x'),
      change: 'task.moved',
      data: { task: { ...task('x'), updatedAt: '2026-01-02T00:00:00.000Z' }, removed: true, toListId: bob },
    });
    socket().receive({ ...change(4, 'x'), change: 'comment.created', data: { comment: {} } });
    socket().receive({ ...change(5, 'y'), change: 'task.completed' });
    socket().receive({ type: 'user', event: 'list.added', data: { listId: 'made-here', mutationId: 'create-key' } });
    expect(calls).toEqual(['resumeWrites', 'lists.retryNow', 'lists.load', 'list Food', 'list created made-here under create-key', 'lists.load']);
    expect(tasks.removed).toEqual([[task('x').id, '2026-01-02T00:00:00.000Z']]); // with the stamp of its leaving
    expect(tasks.applied).toEqual([['y', 'm5']]);
  });

  it('shows who else is viewing, not the user themself, and ignores frames it does not understand', () => {
    const { client, socket, hello, tasks } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().handlers.onMessage('not json');
    socket().receive({ type: 'from the future' });
    socket().receive({
      type: 'presence',
      listId,
      viewers: [
        { userId: me, name: 'Me' },
        { userId: bob, name: 'Bob Builder' },
      ],
    });
    expect(client.getSnapshot().presence.get(listId)).toEqual([{ userId: bob, name: 'Bob Builder' }]);
    socket().handlers.onClose(1006);
    expect(client.getSnapshot().presence.size).toBe(0);
  });

  it('unsubscribes when no screen shows the list, and stops for good on stop()', () => {
    const { client, sockets, socket, hello, tasks, timers } = setup();
    tasks.listVersion = 1;
    client.start();
    const unwatch = client.watchList(listId);
    hello();
    unwatch();
    expect(socket().of('unsubscribe')).toEqual([{ type: 'unsubscribe', listId }]);
    client.stop();
    expect(socket().closed).toBe(true);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it("reloads the lists when the user's own role on one changes, so what they may do follows; not for someone else's", () => {
    const { client, socket, hello, tasks, calls } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ ...change(2, 'x'), change: 'member.role_changed', taskId: null, data: { userId: bob, role: 'viewer', previousRole: 'editor' } });
    expect(calls.filter((call) => call === 'lists.load')).toEqual([]);
    socket().receive({ ...change(3, 'x'), change: 'member.role_changed', taskId: null, data: { userId: me, role: 'viewer', previousRole: 'editor' } });
    expect(calls.filter((call) => call === 'lists.load')).toEqual(['lists.load']);
  });

  it('passes every user event and every ordered change on, for the inbox and member lists', () => {
    const events: string[] = [];
    const changes: string[] = [];
    const { client, socket, hello, tasks } = setup({ onUserEvent: (event) => events.push(event), onChange: (c) => changes.push(`${c.version} ${c.change}`) });
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    socket().receive({ type: 'user', event: 'notification.created', data: { id: 'n1' } });
    socket().receive({ type: 'user', event: 'list.added', data: { listId: bob } });
    socket().receive({ ...change(3, 'x'), change: 'member.joined', taskId: null, data: { userId: bob } });
    socket().receive({ ...change(2, 'x') });
    expect(events).toEqual(['notification.created', 'list.added']);
    expect(changes).toEqual(['2 task.edited', '3 member.joined']);
  });

  it('reloads the lists and tells the inbox when the server says user-channel events may have been missed', () => {
    const events: string[] = [];
    const { client, socket, hello, calls, timers } = setup({ onUserEvent: (event) => events.push(event) });
    client.start();
    hello();
    calls.length = 0;
    socket().receive({ type: 'user', event: 'resync', data: {} });
    timers.advance(0); // after a random wait (none here)
    expect(calls).toEqual(['lists.load']);
    expect(events).toEqual(['resync']); // the app refreshes notifications and invitations on it
    expect(client.getSnapshot().status).toBe('online');
  });

  it('waits a random 0–5 s before reloading on the user channel’s resync (sent to every browser at once), once for several', () => {
    const events: string[] = [];
    const { client, socket, hello, calls, timers } = setup({ onUserEvent: (event) => events.push(event), random: () => 0.5 });
    client.start();
    hello();
    calls.length = 0;
    socket().receive({ type: 'user', event: 'resync', data: {} });
    timers.advance(1_000);
    socket().receive({ type: 'user', event: 'resync', data: {} }); // another node's
    timers.advance(1_499);
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
    timers.advance(1);
    expect(calls).toEqual(['lists.load']);
    expect(events).toEqual(['resync']);
    timers.advance(10_000);
    expect(calls).toEqual(['lists.load']);
    expect(events).toEqual(['resync']);

    // Stopped (signed out) while waiting: nothing happens.
    socket().receive({ type: 'user', event: 'resync', data: {} });
    client.stop();
    timers.advance(10_000);
    expect(calls).toEqual(['lists.load']);
    expect(events).toEqual(['resync']);
  });

  it('tells a screen following one list each of its changes, in order and once, until it stops', () => {
    const { client, socket, hello, tasks } = setup();
    tasks.listVersion = 1;
    client.start();
    client.watchList(listId);
    hello();
    const seen: string[] = [];
    const stop = client.onListChange(listId, (c) => seen.push(`${c.version} ${c.change}`));
    const elsewhere: string[] = [];
    client.onListChange(bob, (c) => elsewhere.push(`${c.version}`));
    socket().receive({ ...change(3, 'x'), change: 'comment.created', data: { comment: { id: 'c3' } } });
    socket().receive(change(2, 'two'));
    socket().receive(change(2, 'two'));
    expect(seen).toEqual(['2 task.edited', '3 comment.created']);
    stop();
    socket().receive(change(4, 'four'));
    expect(seen).toHaveLength(2);
    expect(elsewhere).toEqual([]);
  });
});

/**
 * A list's real task store behind the client, over an API that fails as if the network were down while
 * `offline`: what the user sees of a write whose answer was lost, once the connection is back.
 */
async function withTaskStore({ retryDelayMs = 60_000, watch = true } = {}) {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const state = { offline: false, calls: [] as string[] };
  const milk = task('Milk');
  const reach = () => {
    if (state.offline) throw new ApiError('network_error', 0, 'Cannot reach Listo.');
  };
  const api = {
    listTasks: async () => ({ items: [milk], listVersion: 5 }),
    updateTask: async (id: string, body: Partial<Task>, key: string) => {
      state.calls.push(`update ${JSON.stringify(body)} ${key}`);
      reach();
      return { ...milk, ...body, id, updatedAt: '2026-01-01T00:00:09.000Z' };
    },
    deleteTask: async (_id: string, key: string) => {
      state.calls.push(`delete ${key}`);
      reach();
    },
  } as unknown as TasksApi;
  const store = new ListTasksStore(listId, api, { retryDelayMs: () => retryDelayMs });
  const stores: RealtimeStores = {
    lists: {
      load: async () => undefined,
      applyServerListChange: () => undefined,
      applyServerRemoval: () => undefined,
      applyAnnouncedCreation: () => undefined,
      find: () => undefined,
      retryNow: () => undefined,
      awaitCatchUp: () => undefined,
      caughtUp: () => undefined,
    },
    tasksOf: () => store,
    peekTasks: () => store,
    resumeWrites: () => store.retryNow(),
  };
  const client = new RealtimeClient({
    url: 'ws://test/api/v1/realtime',
    stores,
    selfId: me,
    timers,
    random: () => 0,
    socket: (_url, handlers) => {
      const socket = new FakeSocket(handlers);
      sockets.push(socket);
      return socket;
    },
  });
  const socket = () => sockets.at(-1)!;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  client.start();
  socket().receive({ type: 'hello', userId: me, heartbeatMs: 25_000 });
  if (watch) client.watchList(listId);
  await store.load();
  if (watch) {
    expect(socket().of('subscribe')).toEqual([{ type: 'subscribe', listId, sinceVersion: 5 }]);
    socket().receive({ type: 'subscribed', listId, version: 5 });
  }

  /** The connection drops (the socket and every request) until `reconnect`. */
  const disconnect = () => {
    state.offline = true;
    socket().handlers.onClose(1006);
  };
  /** The network is back: the socket reconnects (after its backoff) and says hello. */
  const reconnect = () => {
    state.offline = false;
    timers.advance(10_000);
    socket().receive({ type: 'hello', userId: me, heartbeatMs: 25_000 });
  };
  const key = (call: string) => call.split(' ').at(-1)!;
  const edit = (version: number, title: string, updatedAt: string, mutationId: string, actorId = bob) => ({
    ...change(version, title),
    actorId,
    mutationId,
    data: { task: { ...milk, title, updatedAt } },
  });
  return { store, state, socket, settle, disconnect, reconnect, key, edit, milk, timers };
}

describe('RealtimeClient and a list’s task store: a write whose answer was lost is applied once', () => {
  it('does not send a rename again when its echo comes with the replay, and shows the collaborator’s later rename', async () => {
    const { store, state, socket, settle, disconnect, reconnect, key, edit, milk } = await withTaskStore();
    disconnect();
    // The rename reached the server (version 6), but its answer was lost.
    store.updateTask(milk.id, { title: 'Oat milk' });
    await settle();
    expect(state.calls).toHaveLength(1);
    expect(store.getSnapshot()).toMatchObject({ saving: true, stalled: true, stalledBy: 'network' });
    const ours = key(state.calls[0]!);

    reconnect();
    await settle();
    expect(state.calls).toHaveLength(1); // not before the replay
    expect(socket().of('subscribe')).toEqual([{ type: 'subscribe', listId, sinceVersion: 5 }]);
    socket().receive({ type: 'subscribed', listId, version: 7 });
    socket().receive(edit(6, 'Oat milk', '2026-01-01T00:00:01.000Z', ours, me));
    socket().receive(edit(7, 'Soy milk', '2026-01-01T00:00:02.000Z', 'bobs-rename'));
    await settle();

    expect(state.calls).toHaveLength(1); // the rename was not sent again
    expect(store.getSnapshot().tasks.map((shown) => shown.title)).toEqual(['Soy milk']);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false, stalledBy: null });
  });

  it('sends a rename that did not reach the server again, with its key, once the list caught up, and not before', async () => {
    const { store, state, socket, settle, disconnect, reconnect, key, edit, milk } = await withTaskStore({ retryDelayMs: 1 });
    disconnect();
    store.updateTask(milk.id, { title: 'Oat milk' });
    await settle(); // its retry timer fired meanwhile: still offline, and then waiting for the catch-up
    expect(state.calls.length).toBeGreaterThanOrEqual(1);
    const tries = state.calls.length;
    const ours = key(state.calls[0]!);

    reconnect();
    await settle(); // the write's retry timer fires again: it waits for the replay
    expect(state.calls).toHaveLength(tries);
    socket().receive({ type: 'subscribed', listId, version: 6 });
    await settle();
    expect(state.calls).toHaveLength(tries); // the replay is not in yet
    expect(store.getSnapshot().tasks[0]).toMatchObject({ title: 'Oat milk', pending: true });
    socket().receive(edit(6, 'Soy milk', '2026-01-01T00:00:02.000Z', 'bobs-rename'));
    await settle();

    expect(state.calls).toHaveLength(tries + 1);
    expect(key(state.calls.at(-1)!)).toBe(ours); // the same Idempotency-Key
    expect(state.calls.at(-1)).toContain('"title":"Oat milk"');
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
    expect(store.getSnapshot().tasks[0]?.title).toBe('Oat milk');
  });

  it('does not send a deletion again when its echo comes with the replay (someone restored the task since)', async () => {
    const { store, state, socket, settle, disconnect, reconnect, key, milk } = await withTaskStore();
    disconnect();
    store.deleteTask(milk.id);
    await settle();
    expect(state.calls).toHaveLength(1);
    const ours = key(state.calls[0]!);
    expect(store.getSnapshot().tasks).toEqual([]);

    reconnect();
    socket().receive({ type: 'subscribed', listId, version: 7 });
    const deletedAt = '2026-01-01T00:00:01.000Z';
    socket().receive({
      ...change(6, 'Milk'),
      change: 'task.deleted',
      actorId: me,
      mutationId: ours,
      data: { task: { ...milk, deletedAt, updatedAt: deletedAt } },
    });
    socket().receive({
      ...change(7, 'Milk'),
      change: 'task.restored',
      mutationId: 'bobs-restore',
      data: { task: { ...milk, updatedAt: '2026-01-01T00:00:02.000Z' } },
    });
    await settle();

    expect(state.calls).toHaveLength(1); // not deleted a second time
    expect(store.getSnapshot().tasks.map((shown) => shown.title)).toEqual(['Milk']);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });

  it('after a resync instead of a replay, sends the waiting write once the refetch landed', async () => {
    const { store, state, socket, settle, disconnect, reconnect, milk } = await withTaskStore();
    disconnect();
    store.updateTask(milk.id, { title: 'Oat milk' });
    await settle();
    reconnect();
    socket().receive({ type: 'subscribed', listId, version: 5_000 });
    socket().receive({ type: 'resync', listId, version: 5_000 });
    expect(state.calls).toHaveLength(1);
    await settle(); // the refetch lands
    expect(state.calls).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });

  it('sends the writes of a list no screen shows as soon as the connection is back', async () => {
    const { store, state, socket, settle, disconnect, reconnect, milk } = await withTaskStore({ watch: false });
    disconnect();
    store.updateTask(milk.id, { title: 'Oat milk' });
    await settle();
    reconnect();
    await settle();
    expect(socket().of('subscribe')).toEqual([]);
    expect(state.calls).toHaveLength(2); // no replay of it to wait for
    expect(store.getSnapshot()).toMatchObject({ saving: false, stalled: false });
  });
});

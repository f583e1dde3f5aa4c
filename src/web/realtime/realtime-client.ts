/**
 * The signed-in session's one WebSocket (`/api/v1/realtime`): keeps the open list in step with the
 * server's change stream, shows who else is viewing it, and hears the user's own channel (lists shared
 * or taken away). It reconnects by itself and resumes each list from the last version it applied.
 *
 * Per list, a `VersionTracker` applies changes strictly in version order. The stream is based on a
 * fetch: the list's tasks come with `listVersion`, and the subscription starts right after it. Whenever
 * the tasks are fetched again (a resync, a refused change) the tracker is rebased on the new version,
 * and if the server had already streamed past it, the list is subscribed again from there.
 *
 * Writes wait for the list to catch up: a write that failed by network error may have been applied (only its
 * answer lost), and the server applies an edit or a deletion (PATCH, DELETE) sent again a second time. Its echo tells:
 * from losing the socket until the list's replay has reached the version in `subscribed` (or a `resync`
 * refetch landed), the list's stores hold such writes back (`awaitCatchUp`), then send what is left
 * (`caughtUp`); a store sends them anyway after 15 s, should the socket stay down while plain requests get
 * through. Lists not watched have no replay to wait for: their writes go as soon as the connection is back.
 */
import { closeCodes, serverMessageSchema, type ChangeMessage, type ClientMessage, type ServerMessage, type Viewer } from '../../core/realtime/protocol.js';
import { listSchema, type Task, type TaskList } from '../../core/schemas/index.js';
import { clientTaskSchema } from '../api/task-schema.js';
import type { ListView } from '../state/lists.store.js';
import { backoffDelay, reconnectBackoff } from './backoff.js';
import { VersionTracker } from './version-tracker.js';

// --- what the client needs from its surroundings (the browser in the app, fakes in tests) ---------

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(code: number): void;
}

/** An open (or opening) socket. `close` stops every handler at once. */
export interface SocketConnection {
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketConnection;

/** What the client feeds from a list's task store. */
export interface RealtimeTaskStore {
  readonly listVersion: number | null;
  load(): Promise<void>;
  onLoaded(listener: (listVersion: number) => void): () => void;
  applyServerTask(task: Task, mutationId?: string | null): void;
  /** `updatedAt`: the server's stamp of the task's leaving, when the event tells it. */
  applyServerRemoval(taskId: string, updatedAt?: string, mutationId?: string | null): void;
  /** The list is catching up (socket lost, replay on its way): hold back writes whose answer may have been lost. */
  awaitCatchUp(): void;
  /** The list caught up: send the writes still waiting now. */
  caughtUp(): void;
}

export interface RealtimeStores {
  lists: {
    load(): Promise<void>;
    /** `mutationId`: the change event's (the echo of one of our queued writes settles it). */
    applyServerListChange(list: TaskList, mutationId?: string | null): void;
    applyServerRemoval(listId: string): void;
    /** `list.added` of a list created under `mutationId` (the creator's own event). */
    applyAnnouncedCreation(listId: string, mutationId: string): void;
    find(listId: string): ListView | undefined;
    /** Sends the list changes that waited for the connection now. */
    retryNow(): void;
    /** As for a list's tasks: hold back, then send, the writes of this list whose answer may have been lost. */
    awaitCatchUp(listId: string): void;
    caughtUp(listId: string): void;
  };
  tasksOf(listId: string): RealtimeTaskStore;
  peekTasks(listId: string): RealtimeTaskStore | undefined;
  resumeWrites(): void;
}

export interface RealtimeTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface RealtimeClientOptions {
  /** `ws(s)://host/api/v1/realtime` */
  url: string;
  stores: RealtimeStores;
  /** The signed-in user: not shown among the other viewers. */
  selfId: string;
  socket?: SocketFactory;
  /** Shows a short message (a toast). */
  notify?: (message: string) => void;
  timers?: RealtimeTimers;
  random?: () => number;
  /** Browser network state changes (`online`/`offline` events); returns how to stop listening. */
  watchNetwork?: (listener: (online: boolean) => void) => () => void;
  /**
   * Every event of the user's own channel (after the lists were updated for `list.added`/`list.removed`/`resync`).
   * `resync`: events of this channel may have been lost (the server's link to its other nodes was down), so
   * what they tell (notifications, invitations) must be fetched again. Every node sends it to every socket at
   * once, so it is passed on (with the lists' reload) after a random wait of up to `userResyncSpreadMs`.
   */
  onUserEvent?: (event: string, data: unknown) => void;
  /** Every change of a watched list, in version order, after the stores were fed (member, comment events too). */
  onChange?: (change: ChangeMessage) => void;
  /**
   * The server closed the socket for policy (1008): the credential was revoked (a logout elsewhere), or a flood.
   * The app asks whether the session still stands, and signs out if not; reconnecting alone would fail forever.
   */
  onPolicyClose?: () => void;
  /** Application ping interval; the server drops sockets silent for 25 s. */
  pingIntervalMs?: number;
  /** No frame at all this long after a ping: the connection is dead, start over. */
  pongTimeoutMs?: number;
  /** A gap not filled by a replay this long after asking: subscribe again from the last version. */
  gapTimeoutMs?: number;
  /** The user channel's `resync` is acted on after a random wait below this (default 5 s): not all browsers at once. */
  userResyncSpreadMs?: number;
}

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface RealtimeSnapshot {
  status: ConnectionStatus;
  /** Other people viewing each subscribed list. */
  presence: ReadonlyMap<string, readonly Viewer[]>;
}

interface ListState {
  /** How many screens show this list; unsubscribed at 0. */
  watchers: number;
  /** Null until the list's tasks were loaded once: the stream needs a base version. */
  tracker: VersionTracker | null;
  /** On the current socket: null when not subscribed, else the version the server has streamed up to. */
  streamVersion: number | null;
  /** Between a `resync` and the refetch: held changes wait for the fetch instead of a replay. */
  resyncing: boolean;
  /** The one pending timer of the list: re-subscribe if a gap stays open, or retry a resync's failed refetch. */
  gapTimer: unknown;
  stopLoaded: () => void;
  /** The list's stores hold back writes until it caught up (`awaitCatchUp` was called, `caughtUp` not yet). */
  holding: boolean;
  /** The version of the server's `subscribed` on this socket: caught up once the tracker reaches it. */
  catchUpTo: number | null;
}

const browserTimers: RealtimeTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** The browser's WebSocket behind `SocketFactory`. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  socket.onclose = (event) => handlers.onClose(event.code);
  return {
    send(data) {
      if (socket.readyState === WebSocket.OPEN) socket.send(data);
    },
    close() {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.close();
    },
  };
};

/** The realtime URL of the page's own origin (the session cookie authenticates it). */
export function realtimeUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
}

export class RealtimeClient {
  private readonly timers: RealtimeTimers;
  private readonly random: () => number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly gapTimeoutMs: number;
  private readonly userResyncSpreadMs: number;

  private socket: SocketConnection | null = null;
  private started = false;
  /** `hello` received on the current socket. */
  private ready = false;
  private everReady = false;
  private attempt = 0;
  private reconnectTimer: unknown;
  private pingTimer: unknown;
  private pongTimer: unknown;
  private lastHeardAt = 0;
  private pingCount = 0;
  private stopNetwork: (() => void) | null = null;
  /** The reaction to the user channel's `resync`, waiting its random delay (one at a time). */
  private userResyncTimer: unknown;

  private readonly lists = new Map<string, ListState>();
  /** Lists the user lost during this session, so a `revoked` and a `list.removed` toast only once. */
  private readonly left = new Set<string>();
  private snapshot: RealtimeSnapshot = { status: 'connecting', presence: new Map() };
  private readonly listeners = new Set<() => void>();
  /** Screens that follow a list's changes themselves (a comment thread, the activity panel). */
  private readonly changeListeners = new Map<string, Set<(change: ChangeMessage) => void>>();

  constructor(private readonly options: RealtimeClientOptions) {
    this.timers = options.timers ?? browserTimers;
    this.random = options.random ?? Math.random;
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.gapTimeoutMs = options.gapTimeoutMs ?? 3_000;
    this.userResyncSpreadMs = options.userResyncSpreadMs ?? 5_000;
  }

  // --- for React -----------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RealtimeSnapshot => this.snapshot;

  /**
   * Calls `listener` with every change of the list, in version order and once each, while the list is
   * watched (`watchList`); returns how to stop. It does not watch the list by itself.
   */
  onListChange(listId: string, listener: (change: ChangeMessage) => void): () => void {
    let listeners = this.changeListeners.get(listId);
    if (!listeners) this.changeListeners.set(listId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.changeListeners.get(listId) === listeners) this.changeListeners.delete(listId);
    };
  }

  // --- life cycle ------------------------------------------------------------------------------

  /** Connects, and keeps reconnecting until `stop`. Safe to call again after `stop`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.attempt = 0;
    this.stopNetwork = this.options.watchNetwork?.((online) => this.onNetwork(online)) ?? null;
    this.connect();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.stopNetwork?.();
    this.stopNetwork = null;
    this.timers.clearTimeout(this.reconnectTimer);
    this.timers.clearTimeout(this.userResyncTimer);
    this.userResyncTimer = undefined;
    this.dropSocket();
    for (const [listId, state] of this.lists) this.release(listId, state);
    this.setStatus('connecting');
  }

  /**
   * Keeps `listId` in step while a screen shows it; returns how to stop. The list's task store must
   * be loaded (the screen does it); the subscription starts from the version of that load.
   */
  watchList(listId: string): () => void {
    let state = this.lists.get(listId);
    if (!state) {
      state = {
        watchers: 0,
        tracker: null,
        streamVersion: null,
        resyncing: false,
        gapTimer: undefined,
        stopLoaded: () => undefined,
        holding: false,
        catchUpTo: null,
      };
      this.lists.set(listId, state);
    }
    const watched = state;
    watched.watchers++;
    if (watched.watchers === 1) {
      const store = this.options.stores.tasksOf(listId);
      watched.stopLoaded = store.onLoaded((version) => this.onLoaded(listId, version));
      if (!watched.tracker && store.listVersion !== null) watched.tracker = new VersionTracker(store.listVersion);
      if (this.ready && watched.tracker) this.subscribeList(listId, watched.tracker.version);
      // Opened while the connection is lost: its replay after reconnecting may hold echoes of its writes.
      else if (this.everReady && watched.tracker) this.hold(listId, watched);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      watched.watchers--;
      if (watched.watchers > 0) return;
      watched.stopLoaded();
      this.timers.clearTimeout(watched.gapTimer);
      watched.gapTimer = undefined;
      watched.resyncing = false;
      // No replay of it will come to wait for: its writes go as for any list not shown.
      this.release(listId, watched);
      // The tracker stays: its version is where the list's store was left, to resume from next time.
      if (watched.streamVersion !== null) this.send({ type: 'unsubscribe', listId });
      watched.streamVersion = null;
      this.setPresence(listId, null);
    };
  }

  // --- the socket ------------------------------------------------------------------------------

  private connect(): void {
    if (!this.started) return;
    const factory = this.options.socket ?? browserSocket;
    let socket: SocketConnection | null = null;
    const handlers: SocketHandlers = {
      onOpen: () => undefined, // ready on `hello`
      onMessage: (data) => {
        if (this.socket === socket) this.onFrame(data);
      },
      onClose: (code) => {
        if (this.socket !== socket) return;
        if (code === closeCodes.policyViolation) this.options.onPolicyClose?.();
        this.onDisconnected();
      },
    };
    try {
      socket = factory(this.options.url, handlers);
    } catch {
      this.socket = null;
      this.onDisconnected();
      return;
    }
    this.socket = socket;
    this.lastHeardAt = this.timers.now();
  }

  /** Forgets the current socket and everything that was tied to it. */
  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.timers.clearTimeout(this.pingTimer);
    this.timers.clearTimeout(this.pongTimer);
    for (const [listId, state] of this.lists) {
      state.streamVersion = null;
      state.resyncing = false;
      state.catchUpTo = null;
      this.timers.clearTimeout(state.gapTimer);
      state.gapTimer = undefined;
      // A write failing now may have reached the server; its echo will come with the replay after reconnecting.
      // Only once the socket has worked in this session: if it never connects, nothing would ever release it.
      if (this.started && this.everReady && state.watchers > 0 && state.tracker) this.hold(listId, state);
    }
    socket?.close();
    // Presence is the server's to tell again after reconnecting; what we had may be stale.
    if (this.snapshot.presence.size > 0) {
      this.snapshot = { ...this.snapshot, presence: new Map() };
      this.emit();
    }
  }

  private onDisconnected(): void {
    this.dropSocket();
    if (!this.started) return;
    this.setStatus('offline');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.timers.clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempt++, reconnectBackoff, this.random);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  /** The browser says the network came back (or went away). */
  private onNetwork(online: boolean): void {
    if (!this.started) return;
    if (!online) {
      // The socket may take long to notice: stop trusting it now.
      if (this.socket) this.onDisconnected();
      else this.setStatus('offline');
      return;
    }
    // Watched lists hold theirs until they caught up (the reconnect below brings their replay).
    this.options.stores.resumeWrites();
    this.options.stores.lists.retryNow();
    if (!this.ready) {
      // A connection attempt made while offline is doomed: start a fresh one now, not after the backoff.
      this.dropSocket();
      this.attempt = 0;
      this.timers.clearTimeout(this.reconnectTimer);
      this.connect();
    }
  }

  private send(message: ClientMessage): void {
    this.socket?.send(JSON.stringify(message));
  }

  private schedulePing(): void {
    this.timers.clearTimeout(this.pingTimer);
    this.pingTimer = this.timers.setTimeout(() => {
      if (!this.ready) return;
      const sentAt = this.timers.now();
      this.send({ type: 'ping', id: String(++this.pingCount) });
      this.timers.clearTimeout(this.pongTimer);
      this.pongTimer = this.timers.setTimeout(() => {
        // Nothing at all since the ping (not even its pong): the connection is dead.
        if (this.lastHeardAt < sentAt) this.onDisconnected();
      }, this.pongTimeoutMs);
      this.schedulePing();
    }, this.pingIntervalMs);
  }

  // --- frames ----------------------------------------------------------------------------------

  private onFrame(data: string): void {
    this.lastHeardAt = this.timers.now();
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return; // a message this version does not know: ignore it
    this.onMessage(parsed.data);
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'hello':
        return this.onHello();
      case 'change':
        return this.onChange(message);
      case 'resync':
        return this.onResync(message.listId, message.version, message.ended === true);
      case 'revoked':
        return this.leaveList(message.listId, 'revoked');
      case 'presence':
        if (this.lists.get(message.listId)?.streamVersion != null) {
          this.setPresence(
            message.listId,
            message.viewers.filter((viewer) => viewer.userId !== this.options.selfId),
          );
        }
        return;
      case 'user':
        return this.onUserEvent(message.event, message.data);
      case 'error':
        // A subscription refused (no access, or the list is gone): as good as revoked.
        if (message.listId && message.code === 'not_found') this.leaveList(message.listId, 'revoked');
        return;
      case 'subscribed':
        return this.onSubscribed(message.listId, message.version);
      case 'unsubscribed':
      case 'pong':
        return;
    }
  }

  private onHello(): void {
    const reconnected = this.everReady;
    this.ready = true;
    this.everReady = true;
    this.attempt = 0;
    this.setStatus('online');
    this.schedulePing();
    for (const [listId, state] of this.lists) {
      if (state.watchers > 0 && state.tracker) {
        this.hold(listId, state);
        this.subscribeList(listId, state.tracker.version);
      }
    }
    // Writes that waited for the connection go now, with their original Idempotency-Keys; those of the lists
    // just subscribed once their replay is in (`onSubscribed`).
    this.options.stores.resumeWrites();
    this.options.stores.lists.retryNow();
    // Lists shared or taken away while we were gone were announced on a channel we did not hear.
    if (reconnected) void this.options.stores.lists.load();
  }

  /** The server's answer to `subscribe`: the replay that follows ends at `version`. */
  private onSubscribed(listId: string, version: number): void {
    const state = this.lists.get(listId);
    if (!state || state.watchers === 0 || state.streamVersion === null) return;
    state.catchUpTo = version;
    this.checkCaughtUp(listId, state);
  }

  /** From now until the list caught up, its stores hold back writes whose answer may have been lost. */
  private hold(listId: string, state: ListState): void {
    if (state.holding) return;
    state.holding = true;
    this.options.stores.peekTasks(listId)?.awaitCatchUp();
    this.options.stores.lists.awaitCatchUp(listId);
  }

  /** The list caught up (or is no longer followed): its stores send what waited. */
  private release(listId: string, state: ListState): void {
    state.catchUpTo = null;
    if (!state.holding) return;
    state.holding = false;
    this.options.stores.peekTasks(listId)?.caughtUp();
    this.options.stores.lists.caughtUp(listId);
  }

  /** Every change up to the `subscribed` version was applied: the echoes of our writes that reached the server are in. */
  private checkCaughtUp(listId: string, state: ListState): void {
    if (state.holding && !state.resyncing && state.catchUpTo !== null && state.tracker && state.tracker.version >= state.catchUpTo) this.release(listId, state);
  }

  private subscribeList(listId: string, sinceVersion: number): void {
    const state = this.lists.get(listId);
    if (!state || !this.ready) return;
    state.streamVersion = sinceVersion;
    this.send({ type: 'subscribe', listId, sinceVersion });
  }

  private onChange(change: ChangeMessage): void {
    const state = this.lists.get(change.listId);
    // Not (or no longer) subscribed: a frame that was already on its way.
    if (!state?.tracker || state.streamVersion === null) return;
    state.streamVersion = Math.max(state.streamVersion, change.version);
    const result = state.tracker.offer(change);
    if (result.kind === 'apply') {
      for (const ready of result.changes) this.applyChange(ready);
      // Listeners ran above: be safe should one have left the list meanwhile.
      if (!state.tracker) return;
      if (!state.tracker.hasGap) {
        this.timers.clearTimeout(state.gapTimer);
        state.gapTimer = undefined;
      }
      this.checkCaughtUp(change.listId, state);
    } else if (result.kind === 'gap') {
      this.onGap(change.listId, state);
    }
  }

  /** Versions are missing: ask for them once, and subscribe again if the replay does not fill the gap. */
  private onGap(listId: string, state: ListState): void {
    if (state.resyncing || state.gapTimer !== undefined || !state.tracker) return;
    if (state.tracker.overflowing) {
      this.onResync(listId, state.streamVersion ?? state.tracker.version);
      return;
    }
    this.send({ type: 'replay', listId, sinceVersion: state.tracker.version });
    state.gapTimer = this.timers.setTimeout(() => {
      state.gapTimer = undefined;
      if (state.tracker?.hasGap && state.streamVersion !== null) this.subscribeList(listId, state.tracker.version);
    }, this.gapTimeoutMs);
  }

  /**
   * The server cannot replay what we miss: refetch the tasks; `onLoaded` continues from their version (and
   * subscribes again if the server `ended` the subscription).
   */
  private onResync(listId: string, version: number, ended = false): void {
    const state = this.lists.get(listId);
    if (!state || state.watchers === 0) return;
    state.streamVersion = ended ? null : version;
    state.resyncing = true;
    this.timers.clearTimeout(state.gapTimer);
    state.gapTimer = undefined;
    this.refetch(listId, state, 0);
  }

  /** A refetch that fails leaves the list as it was: try again, later each time, until one lands or the list is left. */
  private refetch(listId: string, state: ListState, attempt: number): void {
    void this.options.stores
      .tasksOf(listId)
      .load()
      .then(() => {
        if (!state.resyncing || state.watchers === 0 || this.lists.get(listId) !== state) return; // landed, or left
        state.gapTimer = this.timers.setTimeout(
          () => {
            state.gapTimer = undefined;
            if (state.resyncing && state.watchers > 0) this.refetch(listId, state, attempt + 1);
          },
          Math.min(30_000, 1_000 * 2 ** attempt),
        );
      });
  }

  /** The list's tasks were (re)fetched and reflect `version`. */
  private onLoaded(listId: string, version: number): void {
    const state = this.lists.get(listId);
    if (!state || state.watchers === 0) return;
    const resynced = state.resyncing;
    state.resyncing = false;
    if (!state.tracker) {
      state.tracker = new VersionTracker(version);
    } else {
      for (const ready of state.tracker.rebase(version)) this.applyChange(ready);
    }
    // A refetch after `resync` stands for the replay: what it missed is in the fetch (without mutation ids, so a
    // write whose echo was among it cannot be told apart: it is sent again, as before this hold existed).
    if (resynced && this.ready) this.release(listId, state);
    else this.checkCaughtUp(listId, state);
    if (!this.ready) return; // `hello` subscribes
    // Not subscribed yet, or the server already streamed changes the fetch does not show and that are
    // not held here (the fetch replaced what they had done): (re)start from where we now are.
    if (state.streamVersion === null || state.tracker.version < state.streamVersion) this.subscribeList(listId, state.tracker.version);
  }

  /** One change, in version order, into the stores. Kinds the stores do not hold are only passed on. */
  private applyChange(change: ChangeMessage): void {
    this.feedStores(change);
    this.options.onChange?.(change);
    for (const listener of this.changeListeners.get(change.listId) ?? []) listener(change);
  }

  private feedStores(change: ChangeMessage): void {
    const kind = change.change;
    if (kind.startsWith('task.')) {
      const store = this.options.stores.peekTasks(change.listId);
      if (!store) return;
      if (kind === 'task.moved' && change.data.removed === true) {
        // Its state as it left carries the stamp of its leaving: older news of the task must not bring it back.
        const left = clientTaskSchema.safeParse(change.data.task);
        if (change.taskId) store.applyServerRemoval(change.taskId, left.success ? left.data.updatedAt : undefined, change.mutationId);
        return;
      }
      const task = clientTaskSchema.safeParse(change.data.task);
      if (task.success) store.applyServerTask(task.data, change.mutationId);
      else void store.load(); // a shape we do not understand: the server's copy is the truth
      return;
    }
    if (kind === 'list.updated' || kind === 'list.archived' || kind === 'list.unarchived' || kind === 'list.moved') {
      const list = listSchema.safeParse(change.data.list);
      if (list.success) this.options.stores.lists.applyServerListChange(list.data, change.mutationId);
    }
    // The user's own role on the list changed (demoted, promoted, a workspace role): what they may do on it did too.
    // Their role may come from more than one grant, so the server says what it is now.
    if ((kind === 'member.role_changed' || kind === 'member.joined') && (change.data as { userId?: unknown }).userId === this.options.selfId) {
      void this.options.stores.lists.load();
    }
    // list.deleted is followed by `revoked`; other member events and comments are for `onChange`.
  }

  private onUserEvent(event: string, data: unknown): void {
    const listId =
      typeof data === 'object' && data !== null && typeof (data as { listId?: unknown }).listId === 'string' ? (data as { listId: string }).listId : null;
    if (event === 'list.added') {
      if (listId) this.left.delete(listId);
      const mutationId = (data as { mutationId?: unknown }).mutationId;
      if (listId && typeof mutationId === 'string') this.options.stores.lists.applyAnnouncedCreation(listId, mutationId);
      void this.options.stores.lists.load();
    } else if (event === 'list.removed' && listId) {
      const reason = (data as { reason?: unknown }).reason;
      this.leaveList(listId, reason === 'deleted' || reason === 'left' ? reason : 'revoked');
    } else if (event === 'resync') {
      // The server's node lost its link to the others for a while: lists shared with or taken from the user
      // meanwhile may not have been announced. Reload them, as after reconnecting; the inbox is `onUserEvent`'s.
      // Every node tells every socket at the same moment (10,000 browsers, two requests each): spread the reloads
      // over a random 0–5 s; another `resync` meanwhile is covered by the reload already planned.
      if (this.userResyncTimer === undefined) {
        this.userResyncTimer = this.timers.setTimeout(
          () => {
            this.userResyncTimer = undefined;
            void this.options.stores.lists.load();
            this.options.onUserEvent?.(event, data);
          },
          Math.floor(this.random() * this.userResyncSpreadMs),
        );
      }
      return;
    }
    // invitation.created, notification.created and the rest are for others (the inbox).
    this.options.onUserEvent?.(event, data);
  }

  /** Access to a list ended: out of the sidebar (the screen then opens another list), with a word why. */
  private leaveList(listId: string, reason: 'revoked' | 'deleted' | 'left'): void {
    const state = this.lists.get(listId);
    if (state) {
      this.timers.clearTimeout(state.gapTimer);
      state.gapTimer = undefined;
      state.streamVersion = null;
      state.tracker = null;
      // Nothing more of it will come: its writes go (and are refused) as for any list.
      this.release(listId, state);
    }
    this.setPresence(listId, null);
    // Our own deletion already took it out of the sidebar: nothing to tell.
    const list = this.options.stores.lists.find(listId);
    this.options.stores.lists.applyServerRemoval(listId);
    if (!list || this.left.has(listId)) return;
    this.left.add(listId);
    const messages = { deleted: `“${list.name}” was deleted`, left: `You left “${list.name}”`, revoked: `You no longer have access to “${list.name}”` };
    this.options.notify?.(messages[reason]);
  }

  // --- state for the screen -------------------------------------------------------------------

  private setStatus(status: ConnectionStatus): void {
    if (this.snapshot.status === status) return;
    this.snapshot = { ...this.snapshot, status };
    this.emit();
  }

  private setPresence(listId: string, viewers: readonly Viewer[] | null): void {
    const current = this.snapshot.presence.get(listId);
    if (viewers === null && current === undefined) return;
    if (viewers && current && sameViewers(current, viewers)) return;
    const presence = new Map(this.snapshot.presence);
    if (viewers === null) presence.delete(listId);
    else presence.set(listId, viewers);
    this.snapshot = { ...this.snapshot, presence };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function sameViewers(a: readonly Viewer[], b: readonly Viewer[]): boolean {
  return a.length === b.length && a.every((viewer, index) => viewer.userId === b[index]?.userId && viewer.name === b[index]?.name);
}

/**
 * Fans committed changes out to subscribed sockets. Each change is serialized once per broadcast;
 * each subscription delivers versions contiguously (filling any gap from the change log), so a client
 * sees every change exactly once and in order. Access is checked on subscribe and re-checked whenever a
 * membership change touches the subscriber.
 */
import { sql } from 'kysely';
import type { WebSocket } from 'ws';
import { clientMessageSchema, closeCodes, realtimeLimits, type ServerMessage, type Viewer } from '../../core/realtime/protocol.js';
import { can } from '../../core/permissions.js';
import { eventDataFor } from '../../core/activity.js';
import type { AppContext } from '../context.js';
import type { ActivityEventsTable } from '../db/schema.js';
import type { Principal } from '../features/auth/auth.service.js';
import { findListAccess, findListAccessOfUsers } from '../features/lists/list-access.js';
import type { ListChange, PresenceUpdate, UserEvent } from './change-bus.js';
import { RemotePresence } from './remote-presence.js';

interface Connection {
  id: number;
  socket: WebSocket;
  principal: Principal;
  viewer: Viewer;
  subscriptions: Map<string, Subscription>;
  alive: boolean;
  tokens: number;
  refilledAt: number;
  /** Changes this client may still have replayed now (`takeReplayBudget`). */
  replayBudget: number;
  replayRefilledAt: number;
  /**
   * Until the credential is confirmed after the upgrade (`accept`): the messages the client sent (past the rate
   * limit) and what the server would have sent it, `hello` first, held; null once confirmed.
   */
  held: { incoming: Buffer[]; outgoing: (ServerMessage | string | Buffer)[]; closing?: { code: number; reason: string } } | null;
}

/** More than this waiting for a socket's credential check, and its own channel's events give way to one `resync`. */
const maxHeldOutgoing = 64;

/** A stretch of a list's change log, or too much of it to replay (`readChangeLog`). */
type ChangeLog = { tooMuch: false; rows: ActivityEventsTable[] } | { tooMuch: true; lastVersion: number };
/** A list's access for many subscribers at once, and the log they may be behind on (see `catchUpAll`). */
type ListStanding = NonNullable<Awaited<ReturnType<typeof findListAccessOfUsers>>> & { changes: ChangeLog };

interface Subscription {
  connection: Connection;
  listId: string;
  /** Last version sent to the client. */
  lastVersion: number;
  /** While replaying or re-checking access, live changes wait; they are refetched from the log afterwards. */
  paused: boolean;
  /** A change of the list came while paused (and was skipped): since the last access re-check began. */
  missedWhilePaused: boolean;
  /**
   * Access re-checks asked and not yet done (`recheckAccess`). While one waits, nothing else resumes delivery: a
   * removal heard while earlier work ran must be looked at before that work lets a change through.
   */
  rechecks: number;
  /** Serializes the async work of one subscription (replays, gap fills) so frames stay in order. */
  work: Promise<void>;
  /** The access check passed. Until then nothing of the list is sent, whatever the client asks. */
  granted: boolean;
  /** A client `replay` queued and not yet started, from this version: later ones join it. */
  replayQueuedFrom: number | null;
}

/**
 * Up to this many subscribers of a list on one node are served before the writer's response (see
 * `queueListChange`). At 100 subscribers that took the until-all-delivered p99 from 9.0 to 7.8 ms and
 * the writer's ack p99 from 7.4 to 7.8 ms (medians of four alternating runs of bench/realtime.bench.ts).
 */
const immediateFanOut = 128;

const membershipChanges = new Set(['member.removed', 'member.role_changed', 'member.joined']);
/** A client this far behind on its socket is dropped; it will reconnect and resume by version. */
const maxBufferedBytes = 8 * 1024 * 1024;

/** A frame for many sockets: serialized and UTF-8-encoded once per broadcast, not once per recipient. */
const broadcastFrame = (json: string): Buffer => Buffer.from(json);
/** The user-channel event telling a client its own channel may have missed events: it reloads lists and inbox. */
const resyncFrame = (): Buffer => broadcastFrame(JSON.stringify({ type: 'user', event: 'resync', data: {} }));

export function changeFrame(change: ListChange): string {
  return JSON.stringify({
    type: 'change',
    listId: change.listId,
    version: change.version,
    change: change.type,
    actorId: change.actorId,
    taskId: change.taskId,
    mutationId: change.mutationId,
    at: change.at,
    // One frame for every subscriber, whatever their role: it carries what any member may read.
    data: eventDataFor(change.type, change.data, false),
  });
}

export class RealtimeHub {
  private readonly subscribers = new Map<string, Set<Subscription>>();
  private readonly connectionsByUser = new Map<string, Set<Connection>>();
  /** Other nodes repeat their viewers every heartbeat: one silent for two and a half is gone. */
  private readonly remotePresence = new RemotePresence(realtimeLimits.heartbeatMs * 2.5);
  private readonly presenceTimers = new Map<string, NodeJS.Timeout>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribeBus: (() => void)[];
  private readonly changesToFanOut: ListChange[] = [];
  private nextConnectionId = 1;

  constructor(
    private readonly ctx: AppContext,
    private readonly nodeId: string,
    /** Asks the database whether a connection's credential still exists (see `catchUpAll`). */
    private readonly isStillValid: (principal: Principal) => Promise<boolean>,
  ) {
    const { bus } = ctx;
    this.unsubscribeBus = [
      bus.onListChange((change) => this.queueListChange(change)),
      bus.onUserEvent((event) => this.onUserEvent(event)),
      bus.onPresence((update) => this.onRemotePresence(update)),
      bus.onReconnect(() => this.catchUpAll()),
    ];
    this.heartbeat = setInterval(() => this.beat(), realtimeLimits.heartbeatMs);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.connectionsByUser.values()) count += set.size;
    return count;
  }

  /** How many sockets this user has open on this node. */
  connectionsOf(userId: string): number {
    return this.connectionsByUser.get(userId)?.size ?? 0;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const timer of this.presenceTimers.values()) clearTimeout(timer);
    for (const stop of this.unsubscribeBus) stop();
    for (const connections of this.connectionsByUser.values()) {
      for (const connection of connections) connection.socket.close(closeCodes.goingAway, 'server shutting down');
    }
  }

  accept(socket: WebSocket, principal: Principal, viewer: Viewer): void {
    const connection: Connection = {
      id: this.nextConnectionId++,
      socket,
      principal,
      viewer,
      subscriptions: new Map(),
      alive: true,
      tokens: realtimeLimits.messageBurst,
      refilledAt: Date.now(),
      replayBudget: realtimeLimits.replayedBurst,
      replayRefilledAt: Date.now(),
      held: { incoming: [], outgoing: [] },
    };
    let mine = this.connectionsByUser.get(principal.userId);
    if (!mine) this.connectionsByUser.set(principal.userId, (mine = new Set()));
    mine.add(connection);

    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => this.onMessage(connection, data as Buffer, isBinary));
    socket.on('close', () => this.drop(connection));
    socket.on('error', () => socket.terminate());
    this.send(connection, { type: 'hello', userId: principal.userId, heartbeatMs: realtimeLimits.heartbeatMs });
    // A logout or revocation heard between the upgrade's authentication and now found no socket to
    // close. Asked once, now that later revocations will find this one: nothing can slip between. Until
    // the answer, nothing is answered or sent (`held`): the credential may already be gone.
    this.isStillValid(principal).then(
      (valid) => (valid ? this.confirm(connection) : socket.close(closeCodes.policyViolation, 'credential revoked')),
      () => this.confirm(connection), // the database is out: every request on this credential will check it again
    );
  }

  /** The credential was still there after the upgrade: send what was held, then answer what the client sent. */
  private confirm(connection: Connection): void {
    const held = connection.held;
    if (!held || connection.socket.readyState !== connection.socket.OPEN) return;
    connection.held = null;
    for (const message of held.outgoing) this.send(connection, message);
    if (held.closing) return connection.socket.close(held.closing.code, held.closing.reason);
    for (const data of held.incoming) this.handleMessage(connection, data);
  }

  /** `message` as an object, a JSON string, or a JSON text already encoded as UTF-8 (a broadcast frame). */
  private send(connection: Connection, message: ServerMessage | string | Buffer): void {
    const held = connection.held;
    if (held) {
      if (held.outgoing.length < maxHeldOutgoing) held.outgoing.push(message);
      else held.outgoing[maxHeldOutgoing - 1] = resyncFrame(); // the client refetches its own channel instead
      return;
    }
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      socket.terminate();
      return;
    }
    if (Buffer.isBuffer(message)) socket.send(message, { binary: false });
    else socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The socket's session has ended (it expired while the socket was open): closed as a logout would close it. */
  private closeIfExpired(connection: Connection): boolean {
    const { expiresAt } = connection.principal;
    if (expiresAt === undefined || this.ctx.clock.now().getTime() < expiresAt) return false;
    connection.socket.close(closeCodes.policyViolation, 'session expired');
    return true;
  }

  private onMessage(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.held?.closing) return; // flooded while its credential was checked: closed once that answers
    if (this.closeIfExpired(connection)) return;
    connection.alive = true;
    if (!this.takeToken(connection)) {
      this.send(connection, { type: 'error', code: 'too_many_requests', message: 'Slow down: too many messages' });
      if (connection.tokens < -realtimeLimits.messageBurst) {
        // While the credential is checked, after what is held has gone out (the client learns why), if it passes.
        if (connection.held) connection.held.closing = { code: closeCodes.policyViolation, reason: 'message flood' };
        else connection.socket.close(closeCodes.policyViolation, 'message flood');
      }
      return;
    }
    if (connection.held) connection.held.incoming.push(isBinary ? Buffer.alloc(0) : data);
    else this.handleMessage(connection, isBinary ? Buffer.alloc(0) : data);
  }

  /** A message within the rate limit, from a confirmed socket: an empty buffer stands for a binary frame (refused). */
  private handleMessage(connection: Connection, data: Buffer): void {
    let parsed: unknown;
    try {
      parsed = data.length === 0 ? undefined : JSON.parse(data.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const result = clientMessageSchema.safeParse(parsed);
    if (!result.success) {
      this.send(connection, {
        type: 'error',
        code: 'validation_failed',
        message: result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '),
      });
      return;
    }
    const message = result.data;
    switch (message.type) {
      case 'ping':
        this.send(connection, { type: 'pong', ...(message.id ? { id: message.id } : {}) });
        return;
      case 'subscribe':
        this.subscribe(connection, message.listId, message.sinceVersion);
        return;
      case 'replay': {
        const subscription = connection.subscriptions.get(message.listId);
        if (subscription?.granted) this.queueClientReplay(subscription, message.sinceVersion);
        return;
      }
      case 'unsubscribe':
        this.unsubscribe(connection, message.listId);
        this.send(connection, { type: 'unsubscribed', listId: message.listId });
        return;
    }
  }

  /** Token bucket: `messagesPerSecond` sustained, `messageBurst` at once. */
  private takeToken(connection: Connection): boolean {
    const now = Date.now();
    connection.tokens = Math.min(realtimeLimits.messageBurst, connection.tokens + ((now - connection.refilledAt) / 1000) * realtimeLimits.messagesPerSecond);
    connection.refilledAt = now;
    connection.tokens -= 1;
    return connection.tokens >= 0;
  }

  /** Replay budget, a token bucket like `takeToken`'s: false (and nothing taken) when `changes` is more than is left. */
  private takeReplayBudget(connection: Connection, changes: number): boolean {
    const now = Date.now();
    connection.replayBudget = Math.min(
      realtimeLimits.replayedBurst,
      connection.replayBudget + ((now - connection.replayRefilledAt) / 1000) * realtimeLimits.replayedPerSecond,
    );
    connection.replayRefilledAt = now;
    if (changes > connection.replayBudget) return false;
    connection.replayBudget -= changes;
    return true;
  }

  /**
   * The client lost something we believe we sent: resend from its version, whatever we sent before. Requests
   * arriving while one waits join it (from the older version); one beyond the replay budget gets `resync`.
   */
  private queueClientReplay(subscription: Subscription, sinceVersion: number): void {
    if (subscription.replayQueuedFrom !== null) {
      subscription.replayQueuedFrom = Math.min(subscription.replayQueuedFrom, sinceVersion);
      return;
    }
    subscription.replayQueuedFrom = sinceVersion;
    this.enqueue(subscription, async () => {
      const from = subscription.replayQueuedFrom ?? sinceVersion;
      subscription.replayQueuedFrom = null;
      if (!this.isCurrent(subscription)) return;
      if (!this.takeReplayBudget(subscription.connection, Math.max(0, subscription.lastVersion - from))) {
        this.send(subscription.connection, { type: 'resync', listId: subscription.listId, version: subscription.lastVersion });
        return;
      }
      await this.replayFrom(subscription, from, { resend: true });
    });
  }

  /**
   * Queues work for a subscription. If it fails (the database), the subscription ends: left paused, it would
   * never deliver again, and resumed unchecked, it could outlive a revocation. The client is told to resync:
   * it refetches the list and subscribes again, which checks access afresh.
   */
  private enqueue(subscription: Subscription, work: () => Promise<void>): void {
    subscription.work = subscription.work.then(work).catch((error: unknown) => {
      this.ctx.log.error({ err: error, listId: subscription.listId }, 'realtime delivery failed');
      if (!this.isCurrent(subscription)) return;
      this.unsubscribe(subscription.connection, subscription.listId);
      this.send(subscription.connection, { type: 'resync', listId: subscription.listId, version: subscription.lastVersion, ended: true });
    });
  }

  /** Still the connection's subscription to its list: not unsubscribed, revoked or replaced since. */
  private isCurrent(subscription: Subscription): boolean {
    return subscription.connection.subscriptions.get(subscription.listId) === subscription;
  }

  private subscribe(connection: Connection, listId: string, sinceVersion: number | undefined): void {
    if (connection.subscriptions.has(listId)) this.unsubscribe(connection, listId);
    const subscription: Subscription = {
      connection,
      listId,
      lastVersion: 0,
      paused: true,
      missedWhilePaused: false,
      rechecks: 0,
      work: Promise.resolve(),
      granted: false,
      replayQueuedFrom: null,
    };
    connection.subscriptions.set(listId, subscription);
    let set = this.subscribers.get(listId);
    if (!set) this.subscribers.set(listId, (set = new Set()));
    set.add(subscription);

    this.enqueue(subscription, async () => {
      const access = await findListAccess(this.ctx.db.kysely, listId, connection.principal.userId);
      if (!this.isCurrent(subscription)) return; // unsubscribed, or subscribed again, while we looked
      if (!access || !can(access.role, 'list.read')) {
        this.unsubscribe(connection, listId);
        this.send(connection, { type: 'error', code: 'not_found', message: 'List not found', listId });
        return;
      }
      subscription.granted = true;
      const current = Number(access.list.version);
      this.send(connection, { type: 'subscribed', listId, version: current });
      if (sinceVersion === undefined) {
        subscription.lastVersion = current;
      } else if (sinceVersion > current || current - sinceVersion > realtimeLimits.maxReplay || !this.takeReplayBudget(connection, current - sinceVersion)) {
        subscription.lastVersion = current;
        this.send(connection, { type: 'resync', listId, version: current });
      } else {
        subscription.lastVersion = sinceVersion;
      }
      await this.replayFrom(subscription, subscription.lastVersion);
      this.resume(subscription);
      // Changes committed while we replayed were skipped: fetch whatever is newer now.
      await this.replayFrom(subscription, subscription.lastVersion);
      this.touchPresence(listId);
    });
  }

  private unsubscribe(connection: Connection, listId: string): void {
    const subscription = connection.subscriptions.get(listId);
    if (!subscription) return;
    connection.subscriptions.delete(listId);
    const set = this.subscribers.get(listId);
    set?.delete(subscription);
    if (set?.size === 0) this.subscribers.delete(listId);
    this.touchPresence(listId);
  }

  /**
   * Sends every change after `after` from the change log, in version order. Versions already sent are
   * skipped unless `resend` (the client asked again for what it lost).
   */
  private async replayFrom(subscription: Subscription, after: number, { resend = false, read }: { resend?: boolean; read?: ChangeLog } = {}): Promise<void> {
    if (!subscription.granted || !this.isCurrent(subscription)) return;
    // `read`: the log from at most `after`, already read for several subscribers (what they have is skipped below).
    const log = read ?? (await this.readChangeLog(subscription.listId, after));
    if (!this.isCurrent(subscription)) return;
    if (log.tooMuch) {
      // Too much to replay, so too much to look through for the subscriber's own removal: ask instead.
      const access = await findListAccess(this.ctx.db.kysely, subscription.listId, subscription.connection.principal.userId);
      if (!this.isCurrent(subscription)) return;
      if (!access || !can(access.role, 'list.read')) {
        this.revoke(subscription.connection, subscription.listId);
        return;
      }
      subscription.lastVersion = Math.max(subscription.lastVersion, log.lastVersion);
      this.send(subscription.connection, { type: 'resync', listId: subscription.listId, version: subscription.lastVersion });
      return;
    }
    for (const row of log.rows) {
      const version = Number(row.list_version);
      if (version <= subscription.lastVersion && !resend) continue;
      const data = JSON.parse(row.data) as unknown;
      if (membershipChanges.has(row.type) && (data as { userId?: string }).userId === subscription.connection.principal.userId) {
        // A change of the subscriber's own membership, missed live (another node, while the link was down).
        const access = await findListAccess(this.ctx.db.kysely, subscription.listId, subscription.connection.principal.userId);
        if (!this.isCurrent(subscription)) return;
        if (!access || !can(access.role, 'list.read')) {
          this.revoke(subscription.connection, subscription.listId);
          return;
        }
      }
      this.send(
        subscription.connection,
        changeFrame({
          eventId: row.id,
          workspaceId: row.workspace_id,
          listId: subscription.listId,
          version,
          type: row.type as ListChange['type'],
          actorId: row.actor_id,
          taskId: row.task_id,
          mutationId: row.mutation_id,
          at: row.at,
          data,
        }),
      );
      subscription.lastVersion = Math.max(subscription.lastVersion, version);
    }
  }

  /**
   * The list's changes after version `after`, in order, or `tooMuch` (with the last version seen) when they are more
   * than a replay sends: over `maxReplay` changes, or over `maxReplayBytes` (each change carries its whole task, up to
   * a megabyte). Their sizes are read first (`octet_length`, not the data), so a too-large gap costs no more than that.
   */
  private async readChangeLog(listId: string, after: number): Promise<ChangeLog> {
    const { kysely } = this.ctx.db;
    const sizes = await kysely
      .selectFrom('activity_events')
      .select(['list_version', sql<number | string>`octet_length(data)`.as('bytes')])
      .where('list_id', '=', listId)
      .where('list_version', '>', after)
      .orderBy('list_version')
      .limit(realtimeLimits.maxReplay + 1)
      .execute();
    const last = sizes.at(-1);
    if (!last) return { tooMuch: false, rows: [] };
    const bytes = sizes.reduce((total, row) => total + Number(row.bytes), 0);
    if (sizes.length > realtimeLimits.maxReplay || bytes > realtimeLimits.maxReplayBytes) return { tooMuch: true, lastVersion: Number(last.list_version) };
    const rows = await kysely
      .selectFrom('activity_events')
      .selectAll()
      .where('list_id', '=', listId)
      .where('list_version', '>', after)
      .where('list_version', '<=', last.list_version)
      .orderBy('list_version')
      .execute();
    return { tooMuch: false, rows };
  }

  /**
   * A change to a list with few subscribers on this node (`immediateFanOut`) goes out at once, before
   * the writer's HTTP response, so collaborators do not wait for that response to be written. A bigger
   * fan-out waits for the next turn of the event loop, after the response, so the writer's
   * acknowledgement does not grow with the number of subscribers. While any fan-out is waiting, new
   * changes queue behind it: order is kept.
   */
  private queueListChange(change: ListChange): void {
    const subscribers = this.subscribers.get(change.listId)?.size ?? 0;
    if (this.changesToFanOut.length === 0 && subscribers <= immediateFanOut) {
      this.onListChange(change);
      return;
    }
    if (this.changesToFanOut.push(change) === 1) {
      setImmediate(() => {
        for (const queued of this.changesToFanOut.splice(0)) this.onListChange(queued);
      });
    }
  }

  private onListChange(change: ListChange): void {
    const set = this.subscribers.get(change.listId);
    if (!set) return;
    const affectedUser = membershipChanges.has(change.type) ? (change.data as { userId?: string }).userId : undefined;
    let frame: Buffer | undefined;
    for (const subscription of set) {
      if (affectedUser && subscription.connection.principal.userId === affectedUser) {
        this.recheckAccess(subscription);
        continue;
      }
      if (subscription.paused) {
        subscription.missedWhilePaused = true;
        continue;
      }
      if (change.version === subscription.lastVersion + 1) {
        frame ??= broadcastFrame(changeFrame(change));
        this.send(subscription.connection, frame);
        subscription.lastVersion = change.version;
      } else if (change.version > subscription.lastVersion + 1) {
        // A change we have not seen (another node, or Redis hiccup): fill the gap from the log.
        subscription.paused = true;
        this.enqueue(subscription, async () => {
          await this.replayFrom(subscription, subscription.lastVersion);
          this.resume(subscription);
          await this.replayFrom(subscription, subscription.lastVersion);
        });
      }
    }
  }

  /** Membership of the subscriber changed: hold delivery, look again, then resume or revoke. */
  /**
   * `standing`: the list's access for many subscribers at once, asked by the caller (a catch-up); with it, a subscriber
   * already up to date with the list's version, who missed nothing meanwhile, resumes without asking the change log.
   */
  private recheckAccess(subscription: Subscription, standing?: Promise<ListStanding | undefined>): void {
    subscription.paused = true;
    subscription.missedWhilePaused = false;
    subscription.rechecks++;
    this.enqueue(subscription, async () => {
      const { connection, listId } = subscription;
      const userId = connection.principal.userId;
      // This re-check is done (counted off once, whichever way it ends), and delivery may go on unless another waits.
      let pending = true;
      const settle = (resume: boolean) => {
        if (pending) subscription.rechecks--;
        pending = false;
        if (resume && this.isCurrent(subscription)) this.resume(subscription);
      };
      try {
        const known = standing ? await standing : undefined;
        const role = standing ? known?.roles.get(userId) : (await findListAccess(this.ctx.db.kysely, listId, userId))?.role;
        if (!role || !can(role, 'list.read')) {
          this.revoke(connection, listId);
          return;
        }
        if (known && Number(known.list.version) <= subscription.lastVersion && !subscription.missedWhilePaused) return settle(true);
        // The log read once for the list's subscribers covers this one's gap, unless it held more than a replay sends
        // (then this one's own read decides between replay and resync).
        const shared = known && !known.changes.tooMuch ? known.changes : undefined;
        await this.replayFrom(subscription, subscription.lastVersion, shared ? { read: shared } : {});
        settle(true);
        // Changes that came while paused were skipped: fetch whatever is newer now.
        if (!known || subscription.missedWhilePaused) await this.replayFrom(subscription, subscription.lastVersion);
      } finally {
        settle(false);
      }
    });
  }

  /** Delivery goes on, unless an access re-check is still to come: that one resumes it (or revokes). */
  private resume(subscription: Subscription): void {
    if (subscription.rechecks === 0) subscription.paused = false;
  }

  private revoke(connection: Connection, listId: string): void {
    if (!connection.subscriptions.has(listId)) return;
    this.unsubscribe(connection, listId);
    this.send(connection, { type: 'revoked', listId });
  }

  private onUserEvent(event: UserEvent): void {
    const connections = this.connectionsByUser.get(event.userId);
    if (!connections) return;
    const data = (event.data ?? {}) as { listId?: string; credentialHash?: string; tokenId?: string };
    if (event.type === 'credential.revoked') {
      for (const connection of connections) {
        const { credentialHash, tokenId } = connection.principal;
        if ((data.credentialHash && data.credentialHash === credentialHash) || (data.tokenId && data.tokenId === tokenId)) {
          connection.socket.close(closeCodes.policyViolation, 'credential revoked');
        }
      }
      return;
    }
    if (event.type === 'list.removed' && data.listId) {
      for (const connection of connections) {
        const subscription = connection.subscriptions.get(data.listId);
        if (subscription) this.recheckAccess(subscription);
      }
    }
    const frame = broadcastFrame(JSON.stringify({ type: 'user', event: event.type, data: event.data }));
    for (const connection of connections) this.send(connection, frame);
  }

  /**
   * After an outage of the link between nodes: close the sockets whose credential went meanwhile (a logout or
   * revocation on another node was not heard); check every subscription's access afresh (a list deleted or a
   * removal elsewhere revokes it) and bring it up to the database's version; and tell every socket that its own
   * channel may have missed events (`resync`: lists shared or removed, invitations, notifications), which have
   * no log to replay.
   */
  private catchUpAll(): void {
    // One question per credential, however many sockets (tabs) it opened.
    const byCredential = new Map<string, Connection[]>();
    for (const connections of this.connectionsByUser.values()) {
      for (const connection of connections) {
        const same = byCredential.get(connection.principal.credentialHash);
        if (same) same.push(connection);
        else byCredential.set(connection.principal.credentialHash, [connection]);
      }
    }
    for (const connections of byCredential.values()) {
      this.isStillValid(connections[0]!.principal).then(
        (valid) => {
          if (!valid) for (const connection of connections) connection.socket.close(closeCodes.policyViolation, 'credential revoked');
        },
        () => {}, // the database is out too: the next request on this credential checks it again
      );
    }
    for (const [listId, set] of this.subscribers) {
      // Not yet granted: its own access check is still to come, and reads the database as it is now.
      const granted = [...set].filter((subscription) => subscription.granted);
      if (granted.length === 0) continue;
      // One check per list for all its subscribers here (thousands of sockets on one list cost a few queries, not
      // thousands, on every node at once); only those behind its version then read the change log.
      const standing = this.standingOf(listId, granted);
      standing.catch(() => {}); // each subscription's own work reports it (see `enqueue`)
      for (const subscription of granted) this.recheckAccess(subscription, standing);
    }
    for (const listId of this.subscribers.keys()) this.touchPresence(listId);
    const resync = resyncFrame();
    for (const connections of this.connectionsByUser.values()) for (const connection of connections) this.send(connection, resync);
  }

  /** The list's access for these subscribers, its version, and the changes the furthest behind of them has not had. */
  private async standingOf(listId: string, subscriptions: readonly Subscription[]): Promise<ListStanding | undefined> {
    const userIds = subscriptions.map((subscription) => subscription.connection.principal.userId);
    const access = await findListAccessOfUsers(this.ctx.db.kysely, listId, userIds);
    if (!access) return undefined;
    const behind = Math.min(...subscriptions.map((subscription) => subscription.lastVersion));
    const changes: ChangeLog = Number(access.list.version) > behind ? await this.readChangeLog(listId, behind) : { tooMuch: false, rows: [] };
    return { ...access, changes };
  }

  private drop(connection: Connection): void {
    for (const listId of [...connection.subscriptions.keys()]) this.unsubscribe(connection, listId);
    const mine = this.connectionsByUser.get(connection.principal.userId);
    mine?.delete(connection);
    if (mine?.size === 0) this.connectionsByUser.delete(connection.principal.userId);
  }

  private beat(): void {
    for (const connections of this.connectionsByUser.values()) {
      for (const connection of connections) {
        if (this.closeIfExpired(connection)) continue;
        if (!connection.alive) {
          connection.socket.terminate(); // silent for a whole heartbeat: gone
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }
    // Refresh our presence on other nodes before it expires there.
    for (const listId of this.subscribers.keys()) this.ctx.bus.publishPresence({ nodeId: this.nodeId, listId, viewers: this.localViewers(listId) });
    // A node that stopped repeating its viewers (it died): they leave the lists they were shown on.
    for (const listId of this.remotePresence.expire(Date.now())) this.broadcastPresence(listId);
  }

  private localViewers(listId: string): Viewer[] {
    const viewers = new Map<string, Viewer>();
    for (const subscription of this.subscribers.get(listId) ?? []) {
      if (!subscription.paused || subscription.lastVersion > 0) viewers.set(subscription.connection.viewer.userId, subscription.connection.viewer);
    }
    return [...viewers.values()];
  }

  private viewersOf(listId: string): Viewer[] {
    const viewers = new Map(this.localViewers(listId).map((v) => [v.userId, v]));
    for (const viewer of this.remotePresence.viewers(listId, Date.now())) viewers.set(viewer.userId, viewer);
    return [...viewers.values()];
  }

  /** Presence changed on this node: tell our subscribers and the other nodes, at most once per throttle window. */
  private touchPresence(listId: string): void {
    if (this.presenceTimers.has(listId)) return;
    const timer = setTimeout(() => {
      this.presenceTimers.delete(listId);
      this.ctx.bus.publishPresence({ nodeId: this.nodeId, listId, viewers: this.localViewers(listId) });
      this.broadcastPresence(listId);
    }, realtimeLimits.presenceThrottleMs / 4);
    timer.unref();
    this.presenceTimers.set(listId, timer);
  }

  private broadcastPresence(listId: string): void {
    const set = this.subscribers.get(listId);
    if (!set) return;
    const frame = broadcastFrame(JSON.stringify({ type: 'presence', listId, viewers: this.viewersOf(listId) }));
    for (const subscription of set) if (!subscription.paused) this.send(subscription.connection, frame);
  }

  private onRemotePresence(update: PresenceUpdate): void {
    if (update.nodeId === this.nodeId) return;
    this.remotePresence.set(update.nodeId, update.listId, update.viewers, Date.now());
    this.broadcastPresence(update.listId);
  }
}

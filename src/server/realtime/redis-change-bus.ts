/**
 * Many nodes: each committed change is delivered to this node's listeners at once and published to
 * Redis for the others. If Redis is unreachable, local delivery goes on; when it returns, listeners
 * are told to catch up from the database (the change log is the source of truth, Redis only a doorbell).
 * The two connections fail and return on their own: a node whose publishing connection dropped something
 * rings `listo:catch-up` once it is back, and every other node catches up as if its own link had been down.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Listeners, type ChangeBus, type ListChange, type PresenceUpdate, type UserEvent } from './change-bus.js';

const channels = { changes: 'listo:changes', users: 'listo:users', presence: 'listo:presence', catchUp: 'listo:catch-up' } as const;

/**
 * Bytes of publishes this node may have waiting on its connection to Redis. A Redis that stops answering
 * without closing the connection would otherwise have every change of this node pile up in memory. Below
 * it, a publish waits however long Redis takes: a stall that ends delivers everything, and costs the other
 * nodes no catch-up (which reloads every socket's lists).
 */
const maxPublishBacklogBytes = 8 * 1024 * 1024;

/**
 * What is logged of a Redis error: its code and message only. ioredis hangs the failed command on its errors, a refused
 * AUTH's password among its arguments (and `REDIS_URL`'s password is sent that way), so the error itself is never logged.
 */
const redisErrorFields = (error: unknown): { code?: string; reason: string } => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'string' ? { code } : {}), reason: typeof message === 'string' ? message : String(error) };
};

/**
 * How often each connection is asked to answer a PING, and how long it may take. A link that stops carrying anything
 * without closing (a network partition, a Redis host that froze) is otherwise noticed only when TCP gives up, some
 * fifteen minutes later: until then this node neither hears the others nor reconnects once the network is back. A PING
 * unanswered in time drops the connection, so it reconnects (and catches up) as soon as Redis can be reached again.
 */
const defaultLivenessMs = 5_000;

export function createRedisChangeBus(
  redisUrl: string,
  log: Logger,
  nodeId: string = randomUUID(),
  { livenessMs = defaultLivenessMs }: { livenessMs?: number } = {},
): ChangeBus & { nodeId: string } {
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);
  // Named, so CLIENT LIST tells whose connection is whose. The publisher drops what it cannot send now (the
  // others catch up from the database); the subscriber's SUBSCRIBE waits however long Redis is away, even at
  // start: a failed one would never be made again (ioredis only resubscribes to channels it once had).
  const publisher = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy,
    connectionName: `listo:publisher:${nodeId}`,
  });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy, connectionName: `listo:subscriber:${nodeId}` });
  const changes = new Listeners<ListChange>();
  const users = new Listeners<UserEvent>();
  const presence = new Listeners<PresenceUpdate>();
  const reconnects = new Listeners<void>();
  let wasDown = false;
  /** A change or user event this node could not publish: the others must catch up once it can. */
  let unsent = false;

  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => log.debug(redisErrorFields(error), 'redis error'));
  }
  subscriber.on('close', () => {
    if (!wasDown) log.warn('redis connection lost: serving local clients only until it returns');
    wasDown = true;
  });
  subscriber.on('ready', () => {
    if (!wasDown) return;
    wasDown = false;
    log.info('redis connection restored: catching up from the database');
    // 'ready' comes before ioredis has subscribed again: a catch-up read now could miss a change published before the
    // subscription is back. Subscribing again (harmless) and waiting for Redis to confirm it closes that window.
    subscriber
      .subscribe(channels.changes, channels.users, channels.presence, channels.catchUp)
      .catch((error: unknown) => log.warn(redisErrorFields(error), 'redis subscribe failed'))
      .finally(() => reconnects.emit());
  });
  /** Tells the other nodes to catch up from the database, if this one lost a publish since it last did. */
  const ringCatchUpIfOwed = () => {
    if (!unsent || publisher.status !== 'ready') return;
    unsent = false;
    publisher.publish(channels.catchUp, JSON.stringify({ from: nodeId, payload: null })).catch(() => {
      unsent = true; // lost again: the next success or 'ready' rings
    });
  };
  // Back after a drop, or answering again after it hung (no reconnect then, so a publish that works rings too).
  publisher.on('ready', ringCatchUpIfOwed);
  void subscriber
    .subscribe(channels.changes, channels.users, channels.presence, channels.catchUp)
    .catch((error: unknown) => log.warn(redisErrorFields(error), 'redis subscribe failed'));
  subscriber.on('message', (channel: string, message: string) => {
    let envelope: { from: string; payload: unknown };
    try {
      envelope = JSON.parse(message) as { from: string; payload: unknown };
    } catch {
      return;
    }
    if (envelope.from === nodeId) return; // already delivered locally
    if (channel === channels.changes) changes.emit(envelope.payload as ListChange);
    else if (channel === channels.users) users.emit(envelope.payload as UserEvent);
    else if (channel === channels.presence) presence.emit(envelope.payload as PresenceUpdate);
    else if (channel === channels.catchUp) reconnects.emit();
  });

  /** `mustArrive`: a change or user event, which the others must catch up on if it is lost (not presence, repeated anyway). */
  const publish = (channel: string, payload: unknown, mustArrive = true) => {
    if (publisher.status !== 'ready' || publisher.stream.writableLength > maxPublishBacklogBytes) {
      if (mustArrive) unsent = true;
      return;
    }
    publisher.publish(channel, JSON.stringify({ from: nodeId, payload })).then(ringCatchUpIfOwed, (error: unknown) => {
      if (mustArrive) unsent = true;
      log.debug(redisErrorFields(error), 'redis publish failed');
    });
  };

  const pinging = new Set<Redis>();
  const liveness = setInterval(() => {
    for (const client of [publisher, subscriber]) {
      if (client.status !== 'ready' || pinging.has(client)) continue;
      pinging.add(client);
      let answered = false;
      const deadline = setTimeout(() => {
        if (answered) return;
        log.warn({ connection: client === publisher ? 'publisher' : 'subscriber' }, 'redis not answering: reconnecting');
        client.disconnect(true);
      }, livenessMs);
      client
        .ping()
        .catch(() => undefined) // a failed PING is a closed connection, which reconnects by itself
        .finally(() => {
          answered = true;
          clearTimeout(deadline);
          pinging.delete(client);
        });
    }
  }, livenessMs);
  liveness.unref();

  return {
    nodeId,
    publishListChange(change) {
      changes.emit(change);
      publish(channels.changes, change);
    },
    publishUserEvent(event) {
      users.emit(event);
      publish(channels.users, event);
    },
    publishPresence(update) {
      publish(channels.presence, update, false);
    },
    onListChange: (listener) => changes.add(listener),
    onUserEvent: (listener) => users.add(listener),
    onPresence: (listener) => presence.add(listener),
    onReconnect: (listener) => reconnects.add(() => listener()),
    async close() {
      clearInterval(liveness);
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

/** The Redis change bus between nodes, when only one side of a node's link to Redis fails. */
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeBus } from '../../src/server/realtime/change-bus.js';
import { createRedisChangeBus } from '../../src/server/realtime/redis-change-bus.js';
import { PrivateRedis, redisAvailable, redisRequired } from '../support/redis.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { eventually } from '../support/socket.js';

const runnable = redisAvailable || redisRequired;
if (!runnable) console.warn('[listo tests] Redis change-bus suite skipped: needs redis-server (required when CI=true).');

describe.skipIf(!runnable)('the Redis change bus', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis?.stop());

  it("a change published as a node's publishing connection drops is not lost: it crosses once the connection is back, or the others are told to catch up", async () => {
    const log = pino({ level: 'silent' });
    const a = createRedisChangeBus(redis.url, log, 'node-a');
    const b = createRedisChangeBus(redis.url, log, 'node-b');
    const admin = new Redis(redis.url);
    try {
      let catchUps = 0;
      b.onReconnect(() => catchUps++);
      const heard: number[] = [];
      b.onListChange((change) => heard.push(change.version));
      const clientList = async () => String(await admin.call('CLIENT', 'LIST'));
      // B hears once its subscription is in place: until then, publish again.
      await publishUntilHeard(a, heard, 1);
      heard.length = 0;

      // Only node A's publishing connection goes: B's own link never drops, so only A can tell it.
      const clients = (await clientList()).split('\n');
      const publisherId = clients.find((line) => line.includes('name=listo:publisher:node-a'))!.match(/id=(\d+)/)![1]!;
      await admin.call('CLIENT', 'KILL', 'ID', publisherId);
      // Written to the dead connection, the publish fails (B must catch up from the database), unless ioredis saw the
      // close first and resends it on the new connection (B hears it). Which one happens is a race; losing it is not.
      a.publishListChange(changeOf(2));
      await eventually(() => catchUps > 0 || heard.includes(2), 5_000);
    } finally {
      admin.disconnect();
      await a.close();
      await b.close();
    }
  });

  it('a node started while Redis is down hears the other nodes once Redis is up', async () => {
    const log = pino({ level: 'silent' });
    const own = await PrivateRedis.start();
    await own.stop();
    const late = createRedisChangeBus(own.url, log, 'late');
    try {
      const heard: number[] = [];
      late.onListChange((change) => heard.push(change.version));
      await new Promise((resolve) => setTimeout(resolve, 500)); // its first SUBSCRIBE finds no Redis
      await own.resume();
      const other = createRedisChangeBus(own.url, log, 'other');
      try {
        await publishUntilHeard(other, heard, 1);
      } finally {
        await other.close();
      }
    } finally {
      await late.close();
      await own.stop();
    }
  }, 20_000);

  it('a node whose link to Redis stops carrying anything, without closing, reconnects once Redis can be reached and hears the others again', async () => {
    const log = pino({ level: 'silent' });
    // Node B reaches Redis through a proxy whose open connections can be made to carry nothing (a partition).
    const proxy = await startTcpProxy('127.0.0.1', redis.port);
    const a = createRedisChangeBus(redis.url, log, 'node-a');
    const b = createRedisChangeBus(`redis://127.0.0.1:${proxy.port}`, log, 'node-b', { livenessMs: 300 });
    try {
      let catchUps = 0;
      b.onReconnect(() => catchUps++);
      const heard: number[] = [];
      b.onListChange((change) => heard.push(change.version));
      await publishUntilHeard(a, heard, 1);

      // The partition: B's connections carry nothing from now on, and nothing closes them. A new connection works.
      proxy.partitionOpenConnections();
      a.publishListChange(changeOf(2)); // lost to B: its catch-up reads it from the database
      // Unanswered PINGs drop B's dead connections; it connects again, catches up, and hears what follows.
      await eventually(() => catchUps > 0, 5_000);
      await publishUntilHeard(a, heard, 3);
    } finally {
      await a.close();
      await b.close();
      proxy.close();
    }
  }, 20_000);

  it('a node whose Redis hangs keeps at most a few megabytes of changes waiting for it, and the others are told to catch up', async () => {
    const log = pino({ level: 'silent' });
    const own = await PrivateRedis.start();
    const a = createRedisChangeBus(own.url, log, 'node-a');
    const b = createRedisChangeBus(own.url, log, 'node-b');
    try {
      let catchUps = 0;
      b.onReconnect(() => catchUps++);
      const heard: number[] = [];
      b.onListChange((change) => heard.push(change.version));
      await publishUntilHeard(a, heard, 0);

      own.freeze();
      const big = 'x'.repeat(1024 * 1024);
      for (let version = 1; version <= 30; version++) {
        a.publishListChange({ ...changeOf(version), data: { big } }); // 30 MB for a Redis that answers nothing
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      own.thaw();
      // Once Redis answers again the others learn that some were dropped, and hear what comes next.
      await publishUntilHeard(a, heard, 31);
      await eventually(() => heard.includes(31) && catchUps > 0, 10_000);
      expect(heard.filter((version) => version >= 1 && version <= 30).length).toBeLessThan(30);
    } finally {
      own.thaw();
      await a.close();
      await b.close();
      await own.stop();
    }
  }, 30_000);

  it('tells a node to catch up only once its subscription is back: what is published from then on reaches it', async () => {
    const log = pino({ level: 'silent' });
    const a = createRedisChangeBus(redis.url, log, 'node-a');
    const b = createRedisChangeBus(redis.url, log, 'node-b');
    const admin = new Redis(redis.url);
    try {
      const heard: number[] = [];
      b.onListChange((change) => heard.push(change.version));
      await publishUntilHeard(a, heard, 1);
      // A catch-up reads the database when told to; a change committed right after is only published. Told before its
      // subscription was back (ioredis's 'ready'), B missed such a change: here another node publishes one at once.
      b.onReconnect(() => void admin.publish('listo:changes', JSON.stringify({ from: 'node-c', payload: changeOf(2) })));
      const clients = String(await admin.call('CLIENT', 'LIST')).split('\n');
      const subscriberId = clients.find((line) => line.includes('name=listo:subscriber:node-b'))!.match(/id=(\d+)/)![1]!;
      await admin.call('CLIENT', 'KILL', 'ID', subscriberId);
      await eventually(() => heard.includes(2), 5_000);
    } finally {
      admin.disconnect();
      await a.close();
      await b.close();
    }
  });
});

const changeOf = (version: number) => ({
  eventId: `e${version}`,
  workspaceId: 'w',
  listId: 'l',
  version,
  type: 'task.created' as const,
  actorId: null,
  taskId: null,
  mutationId: null,
  at: '',
  data: null as unknown,
});

/**
 * Publishes change `version` from `bus` again and again until `heard` has it: a subscription (or, after an outage,
 * the link) takes a moment to be in place, and what is published before is not delivered.
 */
async function publishUntilHeard(bus: ChangeBus, heard: number[], version: number): Promise<void> {
  for (let tries = 0; !heard.includes(version) && tries < 100; tries++) {
    bus.publishListChange(changeOf(version));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(heard).toContain(version);
}

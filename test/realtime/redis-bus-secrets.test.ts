/** What the Redis change bus logs when Redis refuses it: why, never the password it was refused. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/app.js';
import { createRedisChangeBus } from '../../src/server/realtime/redis-change-bus.js';
import { PrivateRedis, redisAvailable, redisRequired } from '../support/redis.js';
import { eventually } from '../support/socket.js';

const runnable = redisAvailable || redisRequired;
if (!runnable) console.warn('[listo tests] Redis change-bus secrets suite skipped: needs redis-server (required when CI=true).');

/** The app's own logger, at debug, writing its JSON lines into `lines`. */
function capturedLogger(lines: string[]) {
  return createLogger({ logLevel: 'debug' }, { write: (line: string) => void lines.push(line) });
}

describe.skipIf(!runnable)('the Redis change bus with a wrong password', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const admin = new Redis(redis.url);
    await admin.call('CONFIG', 'SET', 'requirepass', 'the-right-password');
    admin.disconnect();
  });
  afterAll(() => redis?.stop());

  it('logs why Redis refused it (WRONGPASS), at warn, and never the password of REDIS_URL', async () => {
    const password = 'Wrong-Secret-4b1d9e';
    const lines: string[] = [];
    const bus = createRedisChangeBus(`redis://:${password}@127.0.0.1:${redis.port}`, capturedLogger(lines), 'node-secret');
    try {
      await eventually(() => lines.some((line) => line.includes('"redis subscribe failed"')), 5_000);
      await eventually(() => lines.filter((line) => line.includes('"redis error"')).length >= 2, 5_000);
      bus.publishListChange({ listId: 'l', version: 1 } as never);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await bus.close();
    }
    const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string; code?: string; reason?: string });
    expect(lines.filter((line) => line.includes(password))).toEqual([]);
    expect(entries.find((entry) => entry.msg === 'redis subscribe failed')).toMatchObject({ level: 40, reason: expect.stringMatching(/^WRONGPASS/) });
  });

  it("redacts a Redis command's arguments from any error logged whole", () => {
    const lines: string[] = [];
    const error = Object.assign(new Error('WRONGPASS invalid username-password pair'), { command: { name: 'auth', args: ['Wrong-Secret-77'] } });
    capturedLogger(lines).warn({ err: error }, 'something failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('Wrong-Secret-77');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      err: { message: 'WRONGPASS invalid username-password pair', command: { name: 'auth', args: '[redacted]' } },
    });
  });
});

/** Two server nodes sharing one PostgreSQL schema and a private Redis, for what must hold across nodes. */
import { postgresRequired } from './dialects.js';
import { PrivateRedis, redisAvailable, redisRequired } from './redis.js';
import { startTestServer, type TestServer } from './server.js';

/** Both PostgreSQL (mandatory when CI=true) and redis-server are there. */
export const twoNodesRunnable = postgresRequired && (redisAvailable || redisRequired);

export interface TwoNodes {
  redis: PrivateRedis;
  nodeA: TestServer;
  nodeB: TestServer;
  close(): Promise<void>;
}

export async function startTwoNodes(): Promise<TwoNodes> {
  const redis = await PrivateRedis.start();
  const nodeA = await startTestServer('postgres', { redisUrl: redis.url });
  const nodeB = await startTestServer('postgres', { redisUrl: redis.url, databaseSchema: nodeA.config.databaseSchema });
  return {
    redis,
    nodeA,
    nodeB,
    close: async () => {
      await nodeB.close();
      await nodeA.close();
      await redis.stop();
    },
  };
}

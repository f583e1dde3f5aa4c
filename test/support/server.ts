/** Starts a real Listo HTTP server on a free port, on the dialect asked for, with a manual clock. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/server/app.js';
import { ManualClock } from '../../src/server/clock.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createPostgresSchema, postgresUrl, type TestDialect } from './dialects.js';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  clock: ManualClock;
  config: Config;
  close(): Promise<void>;
}

export async function startTestServer(dialect: TestDialect, overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-test-'));
  // A second node of the same cluster passes the first one's schema and shares its database.
  const pgSchema = dialect === 'postgres' && !overrides.databaseSchema ? await createPostgresSchema() : null;
  const config = loadConfig(
    { LISTO_DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
    // Tests make many accounts from one address, and many sockets of one account: no limits, unless a test sets one.
    {
      signupsPerHour: 0,
      socketsPerUser: 0,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl } : {}),
      ...(pgSchema ? { databaseSchema: pgSchema.schema } : {}),
      ...overrides,
    },
  );
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(new Date('2026-03-01T09:00:00Z'));
  const app = await buildApp(config, { clock, ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    clock,
    config,
    async close() {
      await app.close();
      await pgSchema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

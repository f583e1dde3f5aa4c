import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import type { Api } from './route-types.js';

export function registerHealthRoutes(app: Api, db: Db): void {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ready', database: db.dialect };
    } catch {
      return reply.status(503).type('application/problem+json').send({
        type: 'https://listo.dev/problems/service_unavailable',
        title: 'Service Unavailable',
        status: 503,
        code: 'service_unavailable',
        detail: 'The database is not reachable',
      });
    }
  });
}

import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { problemOf, sendProblem, unavailableRetryAfterSeconds } from './error-handler.js';
import type { Api } from './route-types.js';

/**
 * How long `/readyz` waits for the database. A probe must get an answer within its own timeout: a database that
 * hangs (a partition, a stalled server) makes the node unready, said in 503, not a probe left without an answer.
 */
export const readinessTimeoutMs = 2_000;

export function registerHealthRoutes(app: Api, db: Db): void {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readinessTimeoutMs)));
    // The query may go on after the timeout; its failure then has no one to answer.
    const check = sql`select 1`.execute(db.kysely).then(
      () => 'ready' as const,
      () => 'unreachable' as const,
    );
    const outcome = await Promise.race([check, timedOut]).finally(() => clearTimeout(timer));
    if (outcome === 'ready') return { status: 'ready', database: db.dialect };
    // As every 503: problem+json with the request id and Retry-After.
    reply.header('Retry-After', String(unavailableRetryAfterSeconds));
    const detail = outcome === 'timeout' ? `The database did not answer within ${readinessTimeoutMs / 1000} s` : 'The database is not reachable';
    return sendProblem(reply, problemOf('service_unavailable', detail));
  });
}

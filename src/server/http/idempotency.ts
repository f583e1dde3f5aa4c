/**
 * `Idempotency-Key` on POST: the first response is stored and replayed for a retry with the same body;
 * the same key with another body is a client bug (422). Keys live at least 24 hours.
 *
 * A response that holds a secret (an API token, an invitation or share link) is not stored: secrets are
 * kept only hashed. A retry of such a request answers 409 instead of doing the work twice.
 *
 * A streamed upload is not keyed: its body is read by the handler, after this check, so a key could not tell one file
 * from another, and replayed the first file's upload for a second file. Retrying an upload is safe without a key: the
 * same bytes are stored and charged once, and an upload no task shows is released.
 *
 * PATCH and DELETE are not stored here: that would add two commits to every task edit, the real-time path. Their key is
 * the mutation id of the changes they record, and the task and list PATCH and task DELETE look it up instead, in the
 * same transaction: a retry whose first try was made is not made again (`TaskForChange.mutationApplied`).
 *
 * A request whose body holds a password (sign-up, sign-in) is not keyed either: the stored request hash is one fast,
 * unsalted SHA-256 of the body, kept a day or more, against which a password could be guessed offline. Replaying them
 * is not needed: signing in twice makes two sessions, and a repeated sign-up answers `email_taken`. Tokens in a body
 * (share link, invitation) are random 256-bit secrets, which a fast hash keeps safe, as their own tables do.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { Database, IdempotencyKeysTable } from '../db/schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim: { principal: string; key: string } | null;
  }
  interface FastifyContextConfig {
    /** The response shows a secret once (set with `responseHoldsSecret`): never stored for a replay. */
    responseHoldsSecret?: boolean;
    /** The body is streamed by the handler (set with `bodyStreamedByHandler`): `Idempotency-Key` is not applied. */
    bodyStreamedByHandler?: boolean;
    /** The body holds a password (set with `bodyHoldsSecret`): `Idempotency-Key` is not applied, so no hash of it is kept. */
    bodyHoldsSecret?: boolean;
  }
}

/** Route options for a POST whose response shows a secret once. */
export const responseHoldsSecret = { config: { responseHoldsSecret: true } } as const;

/** Route options for a POST whose body the handler streams (uploads). */
export const bodyStreamedByHandler = { config: { bodyStreamedByHandler: true } } as const;

/** Route options for a POST whose body holds a password: never keyed, so nothing derived from the body is stored. */
export const bodyHoldsSecret = { config: { bodyHoldsSecret: true } } as const;

/** The key a write carries; it doubles as the mutation id on real-time changes. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.length > 0 ? key : null;
}

// Prepared (see prepared-query.ts): a keyed POST runs two of them besides its own work.
const claimKey = preparedQuery((db, row: IdempotencyKeysTable) =>
  db
    .insertInto('idempotency_keys')
    .values({
      principal: row.principal,
      key: row.key,
      request_hash: row.request_hash,
      status_code: row.status_code,
      response_body: row.response_body,
      created_at: row.created_at,
    })
    .onConflict((oc) => oc.doNothing()),
);
const findKey = preparedQuery((db, args: { principal: string; key: string }) =>
  db.selectFrom('idempotency_keys').selectAll().where('principal', '=', args.principal).where('key', '=', args.key),
);
const storeResponse = preparedQuery((db, args: { principal: string; key: string; status_code: number; response_body: string | null }) =>
  db
    .updateTable('idempotency_keys')
    .set({ status_code: args.status_code, response_body: args.response_body })
    .where('principal', '=', args.principal)
    .where('key', '=', args.key),
);
const freeKey = preparedQuery((db, args: { principal: string; key: string }) =>
  db.deleteFrom('idempotency_keys').where('principal', '=', args.principal).where('key', '=', args.key),
);

export function registerIdempotency(app: FastifyInstance, db: Db, clock: Clock): void {
  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request, reply) => {
    const key = idempotencyKeyOf(request);
    // On every method: a PATCH's or DELETE's key is its changes' mutation id, stored and sent to every subscriber.
    if (key !== null && key.length > limits.idempotencyKeyMax) {
      throw new AppError('validation_failed', 'Idempotency-Key: is too long', {
        errors: [{ field: 'Idempotency-Key', message: `must be at most ${limits.idempotencyKeyMax} characters` }],
      });
    }
    if (request.method !== 'POST' || key === null || !request.principal) return;
    const { bodyStreamedByHandler, bodyHoldsSecret } = request.routeOptions.config;
    if (bodyStreamedByHandler || bodyHoldsSecret) return;
    const principal = request.principal.userId;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.routeOptions.url ?? request.url} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    // Claimed in a transaction of its own, so on SQLite it joins the group commit; on PostgreSQL its
    // BEGIN and COMMIT go out with it, one round trip.
    const inserted = await db.transaction((tx) =>
      claimKey.run(
        tx,
        { principal, key, request_hash: requestHash, status_code: null, response_body: null, created_at: clock.now().toISOString() },
        { endsTransaction: true },
      ),
    );
    if (Number(inserted.numAffectedRows ?? 0) > 0) {
      request.idempotencyClaim = { principal, key };
      return;
    }
    const previous = await findKey.executeTakeFirst(db.kysely, { principal, key });
    if (!previous) return; // purged since the claim found it: just do the work
    if (previous.request_hash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (previous.status_code === null) {
      throw new AppError('idempotency_key_in_progress', 'A request with this Idempotency-Key is still in progress');
    }
    if (previous.response_body === null) {
      throw new AppError('conflict', 'This request was already done; its response held a secret, which is shown only once and not kept', {
        extensions: { reason: 'secret_not_kept' },
      });
    }
    reply
      .status(previous.status_code)
      .header('idempotent-replayed', 'true')
      .type(previous.status_code >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8');
    return reply.send(previous.response_body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    await db.transaction(async (tx) => {
      if (reply.statusCode >= 500) {
        // Not a definitive answer: free the key so the client's retry does the work.
        await freeKey.run(tx, claim, { endsTransaction: true });
      } else {
        const withheld = reply.statusCode < 400 && request.routeOptions.config.responseHoldsSecret === true;
        const response = { ...claim, status_code: reply.statusCode, response_body: withheld ? null : typeof payload === 'string' ? payload : '' };
        await storeResponse.run(tx, response, { endsTransaction: true });
      }
    });
    return payload;
  });
}

export async function purgeIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 2 * limits.idempotencyRetentionHours * 3_600_000).toISOString();
  await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).execute();
}

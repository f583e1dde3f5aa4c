/**
 * A route with no body schema takes no body: whatever is sent to it is 400 `validation_failed` naming each field, as an
 * unknown field is on every route that takes a body (its schema is a strict object). `POST /tasks/:id/restore` with
 * `{ listId, position }` used to answer 200 having ignored both, leaving the client to believe they were applied.
 *
 * Nothing, an empty body, `{}` and `null` are all "no body": clients often send one of them with a POST that needs
 * none. They reach the handler (and the `Idempotency-Key` hash) as no body, so a retry sending `{}` matches a first
 * attempt that sent nothing. Routes whose handler streams the body (`bodyStreamedByHandler`, uploads) and the 404/405
 * fallback are left alone. GET and HEAD bodies are never read (Fastify skips them).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';

/** Fields named in the answer at most: a body of thousands of keys gets a short answer. */
const maxNamed = 10;

const isNoBody = (body: unknown) =>
  body === undefined ||
  body === null ||
  body === '' ||
  (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) && Object.keys(body).length === 0);

export function refuseBodiesOfBodylessRoutes(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.is404 || request.routeOptions.schema?.body !== undefined || request.routeOptions.config.bodyStreamedByHandler) return;
    const { body } = request;
    if (isNoBody(body)) {
      request.body = undefined;
      return;
    }
    const fields = typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) ? Object.keys(body as object) : [];
    const errors =
      fields.length > 0
        ? fields.slice(0, maxNamed).map((field) => ({ field, message: 'is not accepted: this request takes no body' }))
        : [{ field: 'body', message: 'must be empty: this request takes no body' }];
    const named = fields.length > 0 ? `; it sent ${fields.slice(0, maxNamed).join(', ')}${fields.length > maxNamed ? ', …' : ''}` : '';
    throw new AppError('validation_failed', `This request takes no body${named}`, { errors });
  });
}

import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ErrorCode } from '../../core/errors.js';

/** The Fastify instance routes are declared on: zod schemas validate and type every input. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Error codes this route answers beyond those its traits already imply (`http/openapi.ts`: 400 for inputs, 401
     * without a principal, 404 for path parameters, 403 cross-origin for writes, the idempotency codes of a keyed POST).
     * Documentation only: nothing checks a route against it.
     */
    problems?: readonly ErrorCode[];
    /** A PATCH/DELETE that passes `Idempotency-Key` on as the mutation id of the change it records. */
    keyIsMutationId?: boolean;
    /**
     * With `keyIsMutationId`: the change is not made again when the caller already made it under this key (a retry
     * whose answer was lost; see `TaskForChange.mutationApplied`). Documentation only, like `problems`.
     */
    retrySafeByKey?: boolean;
  }
}

/** Documented shape of every error response (problem+json); the OpenAPI component `Problem`. */
export { problemSchema } from '../../core/schemas/problem.js';

export const noContent = z.null().describe('No content');

/** The one shape of every error response (RFC 9457 problem details), as `problemOf` in the server's error handler builds it. */
import { z } from 'zod';
import { errorCodes, type ErrorCode, type Problem } from '../errors.js';

export const fieldErrorSchema = z.object({
  field: z.string().describe('Dotted path of the offending field, e.g. `title` or `tiers.2.upTo`; empty for the whole body'),
  message: z.string(),
});

/**
 * Loose: a problem may carry extensions beside these members (`retryAfter` with 429, `reason`, `limit`, `maxBytes`, …),
 * which clients must tolerate.
 */
export const problemSchema = z
  .looseObject({
    type: z.string().describe('`https://listo.dev/problems/<code>`'),
    title: z.string().describe("The status's name, e.g. `Not Found`"),
    status: z.number().int().min(400).max(599),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]).describe('Stable, machine-readable: branch on this, not on the text'),
    detail: z.string().describe('A message safe to show a person'),
    errors: z.array(fieldErrorSchema).optional().describe('Each field that failed validation'),
    requestId: z
      .string()
      .optional()
      .describe("The request's id, as in the `x-request-id` response header (a sane incoming `X-Request-Id` is kept): quote it when reporting a problem"),
  })
  .describe('An error (application/problem+json, RFC 9457)');

/** What the schema reads is what the server's `Problem` type holds (a compile error if the two drift apart). */
export type ProblemBody = z.infer<typeof problemSchema>;
const _sameShape: (body: ProblemBody) => Problem = (body) => body;
void _sameShape;

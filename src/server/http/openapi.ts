/**
 * The OpenAPI document's errors and idempotency, derived from each route's traits instead of written on every route:
 * whether it needs a principal (`security`), has path parameters, takes a body, is a keyed POST. A route adds only
 * what it alone answers, as error codes in `schema.problems`. Every error response points at the one `Problem`
 * component (`core/schemas/problem.ts`).
 */
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { problemSchema } from '../../core/schemas/problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A body the handler streams (`bodyStreamedByHandler`, never validated by Fastify): the JSON Schema the document shows for it. */
    documentedBody?: Record<string, unknown>;
  }
}

export const problemComponent = 'Problem';
const problemRef = { $ref: `#/components/schemas/${problemComponent}` };

/** What each code means, as an error response's description says it. */
const meaning: Record<ErrorCode, string> = {
  validation_failed: 'the request is invalid; `errors` names each field',
  malformed_json: 'the body is not valid JSON',
  unauthenticated: 'no valid session cookie or API token',
  invalid_credentials: 'the email or password is incorrect',
  forbidden: "the caller's role does not allow this",
  cross_origin_request: 'a cookie-authenticated write from another origin (scripts use an API token)',
  not_found: 'no such resource, or the caller cannot see it',
  method_not_allowed: 'the path does not take this method',
  conflict: 'the request conflicts with the current state',
  email_taken: 'an account with this email already exists',
  idempotency_key_in_progress: 'a request with this Idempotency-Key is still running: retry later',
  already_member: 'the person is already a member',
  gone: 'the invitation was already answered, revoked or has expired',
  request_timeout: 'the request (headers and body) did not arrive in time',
  payload_too_large: 'the body is larger than the limit',
  unsupported_media_type: 'the body is not of an accepted type, or is compressed (`Content-Encoding`)',
  unprocessable: 'the request is well formed but cannot be done',
  idempotency_key_reused: 'this Idempotency-Key was used with a different request',
  task_deleted: 'the task is in the trash: restore it first',
  last_owner: 'it would leave no owner (or no workspace admin)',
  role_too_high: 'the role is above what the caller may grant',
  limit_reached: 'the list has reached its limit of members and pending invitations',
  quota_exceeded: "the workspace's storage is full",
  too_many_requests: 'too many attempts: wait for `Retry-After` seconds',
  headers_too_large: 'the request headers are too large',
  internal_error: 'an error on our side',
  service_unavailable: 'a service it needs is unavailable: retry later',
};

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | string;

interface Traits {
  method: Method;
  /** The route answers 401 without a principal (the operation has a non-empty `security` with no `{}` choice). */
  requiresAuth: boolean;
  /** Some callers reach it signed in (required or optional authentication). */
  mayBeSignedIn: boolean;
  hasParams: boolean;
  hasInput: boolean;
  hasBody: boolean;
  /** `Idempotency-Key` claims the POST and a retry replays its stored response (`idempotency.ts`). */
  keyed: boolean;
  holdsSecret: boolean;
  keyIsMutationId: boolean;
  retrySafeByKey: boolean;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every error code a route with these traits can answer, besides `extra`, the ones only it knows. */
export function problemsOf(traits: Traits, extra: readonly ErrorCode[] = []): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  if (traits.hasInput || traits.keyed) codes.add('validation_failed');
  if (traits.hasBody) codes.add('malformed_json').add('payload_too_large').add('unsupported_media_type');
  if (traits.requiresAuth) codes.add('unauthenticated');
  if (unsafeMethods.has(traits.method)) codes.add('cross_origin_request');
  if (traits.hasParams) codes.add('not_found');
  if (traits.keyed) codes.add('idempotency_key_in_progress').add('idempotency_key_reused');
  if (traits.keyed && traits.holdsSecret) codes.add('conflict');
  for (const code of extra) codes.add(code);
  return [...codes];
}

const idempotencyKeyOnPost = {
  type: 'string',
  minLength: 1,
  maxLength: limits.idempotencyKeyMax,
  description:
    `Makes a retry safe: the first response (below 500) is stored for at least ${limits.idempotencyRetentionHours} hours, and a retry ` +
    'with the same key and body gets it again, marked `Idempotent-Replayed: true`. The same key with another request is 422 ' +
    '`idempotency_key_reused`; while the first is still running, 409 `idempotency_key_in_progress`. Keys are per caller, ' +
    `at most ${limits.idempotencyKeyMax} characters (longer is 400), and apply to a signed-in caller. A change of a list ` +
    'carries the key as its `mutationId` on the real-time socket.',
};
const idempotencyKeyAsMutationId = {
  type: 'string',
  minLength: 1,
  description:
    'Not stored or replayed (the method is idempotent by itself): carried as the `mutationId` of the real-time change ' +
    'this write causes, so the writer recognizes its own change.',
};
const idempotencyKeyMakingRetrySafe = {
  ...idempotencyKeyAsMutationId,
  description:
    'Carried as the `mutationId` of the real-time change this write causes, so the writer recognizes its own change. ' +
    'It also makes a retry safe: when the caller already changed this resource under the same key (the first try was ' +
    'made, its answer lost), the change is not made again over what others changed since; the retry answers with the ' +
    'resource as it is now (a DELETE, 204). Use a new key for each new change. Keys are per caller.',
};
const replayedHeader = {
  type: 'string',
  enum: ['true'],
  description: 'Present when this is the stored response of an earlier request with the same `Idempotency-Key`.',
};
const retryAfterHeader = { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again.' };
/** Statuses a keyed POST's replay never has: answered before the key is looked at (401, 413, 415). */
const neverReplayed = new Set(['401', '413', '415']);

function statusOf(code: ErrorCode): string {
  return String(errorCodes[code]);
}

function problemResponse(codes: ErrorCode[]): Record<string, unknown> {
  const description = codes.map((code) => `\`${code}\`: ${meaning[code]}`).join('; ');
  return {
    description: description.charAt(0).toUpperCase() + description.slice(1),
    ...(codes.includes('too_many_requests') ? { headers: { 'Retry-After': retryAfterHeader } } : {}),
    content: { 'application/problem+json': { schema: problemRef } },
  };
}

function requiresAuthentication(security: FastifySchema['security']): { requires: boolean; may: boolean } {
  if (security === undefined) return { requires: true, may: true }; // the document's own: session or bearer
  if (security.length === 0) return { requires: false, may: false };
  const optional = security.some((choice) => Object.keys(choice).length === 0);
  return { requires: !optional, may: true };
}

/**
 * `transform` for @fastify/swagger: the zod provider's own (zod → JSON Schema), then the error responses, the
 * `Idempotency-Key` parameter and `Idempotent-Replayed` header each operation really has. Route schemas are not
 * touched (this only shapes the document).
 */
export const openApiTransform: SwaggerTransform = (input) => {
  const { schema: routeSchema, route } = input;
  const base = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = routeSchema as FastifySchema | undefined;
  if (!schema || (base.schema as { hide?: boolean }).hide) return base;

  const method = String(Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
  const {
    problems: _problems,
    keyIsMutationId: _mutationId,
    retrySafeByKey: _retrySafe,
    ...documented
  } = base.schema as FastifySchema & Record<string, unknown>;
  const out: Record<string, unknown> = { ...documented };

  const auth = requiresAuthentication(schema.security);
  const config = route.config as
    | { bodyStreamedByHandler?: boolean; bodyHoldsSecret?: boolean; responseHoldsSecret?: boolean; documentedBody?: Record<string, unknown> }
    | undefined;
  const streamed = config?.bodyStreamedByHandler === true;
  // The plugin writes `body` as the request body, in each of `consumes`' media types.
  if (streamed && config.documentedBody) out.body = config.documentedBody;
  const traits: Traits = {
    method,
    requiresAuth: auth.requires,
    mayBeSignedIn: auth.may,
    hasParams: schema.params !== undefined || /[:*]/.test(route.url),
    hasInput: schema.params !== undefined || schema.querystring !== undefined || schema.body !== undefined || streamed,
    hasBody: schema.body !== undefined || streamed,
    keyed: method === 'POST' && auth.may && !streamed && config?.bodyHoldsSecret !== true,
    holdsSecret: config?.responseHoldsSecret === true,
    keyIsMutationId: schema.keyIsMutationId === true && (method === 'PATCH' || method === 'DELETE'),
    retrySafeByKey: schema.retrySafeByKey === true,
  };

  const byStatus = new Map<string, ErrorCode[]>();
  for (const code of problemsOf(traits, schema.problems ?? [])) {
    byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  }
  const responses: Record<string, unknown> = { ...(out.response as Record<string, unknown> | undefined) };
  // Without a response schema the plugin would have written a bare 200; keep one beside the errors.
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) responses['200'] = { description: 'Success' };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => Number(a) - Number(b))) {
    if (!(status in responses)) responses[status] = problemResponse(codes);
  }
  responses.default = { ...problemResponse(['internal_error', 'service_unavailable']), description: 'Any other error, e.g. 500 `internal_error`' };
  if (traits.keyed) {
    for (const [status, response] of Object.entries(responses)) {
      if (status === 'default' || neverReplayed.has(status)) continue;
      const current = response as { headers?: Record<string, unknown> };
      responses[status] = { ...current, headers: { ...current.headers, 'Idempotent-Replayed': replayedHeader } };
    }
  }
  out.response = responses;

  if (traits.keyed || traits.keyIsMutationId) {
    const headers = (out.headers as { properties?: Record<string, unknown> } | undefined) ?? {};
    out.headers = {
      ...headers,
      type: 'object',
      properties: {
        ...headers.properties,
        'Idempotency-Key': traits.keyed ? idempotencyKeyOnPost : traits.retrySafeByKey ? idempotencyKeyMakingRetrySafe : idempotencyKeyAsMutationId,
      },
    };
  }
  return { schema: out as FastifySchema, url: base.url };
};

/** `transformObject` for @fastify/swagger: registers the `Problem` schema every error response refers to, once. */
export const openApiTransformObject: SwaggerTransformObject = (input) => {
  if (!('openapiObject' in input)) throw new Error('Listo documents its API as OpenAPI 3');
  const { $schema: _dialect, ...problem } = z.toJSONSchema(problemSchema, { target: 'draft-2020-12', io: 'output' });
  const document = input.openapiObject;
  return {
    ...document,
    components: { ...document.components, schemas: { ...document.components?.schemas, [problemComponent]: problem } },
  } as typeof document;
};

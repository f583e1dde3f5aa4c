/** Every error leaves the API as RFC 9457 problem+json with a stable `code`; internals are never shown. */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorCodes, type ErrorCode, type FieldError, type Problem } from '../../core/errors.js';

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(code: ErrorCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const status = errorCodes[code];
  return { type: `https://listo.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
}

/**
 * What Node refuses before a request reaches Fastify's routing (a body or headers that did not arrive in time, headers
 * too large, bytes that are not HTTP), written to the socket as problem+json too, which then closes. Fastify's own
 * handler would write `{"error": …}`.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return; // the client is gone: nobody to answer
  const problem =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? problemOf('request_timeout', 'The request did not arrive in time; send it again')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? problemOf('headers_too_large', 'The request headers are too large')
        : problemOf('validation_failed', 'The request is not valid HTTP');
  // The code and message only: Node hangs the bytes it was parsing on the error (`rawPacket`), cookies and tokens included.
  this.log.debug({ code: error.code, reason: error.message }, 'client error');
  answerOnSocketAndClose(socket, problem);
}

/** The body did not arrive in time (`body-deadline.ts`): answered as Node's own request timeout is, above. */
export const requestTimedOut = (socket: Socket): void =>
  answerOnSocketAndClose(socket, problemOf('request_timeout', 'The request did not arrive in time; send it again'));

/**
 * The server is shutting down and the request on this connection had not all arrived (headers or a body still coming):
 * 503 with Retry-After, written as Node's own 408 is, and the connection closed. Nothing of it was done: sending it
 * again (to another node) is safe.
 */
export function shuttingDownBeforeArrival(socket: Socket, requestId?: string): void {
  const problem = problemOf('service_unavailable', 'This server is shutting down; send the request again');
  const headers: Record<string, string> = { 'Retry-After': String(unavailableRetryAfterSeconds) };
  if (requestId) headers['x-request-id'] = requestId;
  answerOnSocketAndClose(socket, requestId ? { ...problem, requestId } : problem, headers);
}

/** Writes `problem` as a whole HTTP response straight to the socket, which then closes: for what Fastify cannot answer. */
function answerOnSocketAndClose(socket: Socket, problem: Problem, headers: Record<string, string> = {}): void {
  if (socket.writable) {
    const body = JSON.stringify(problem);
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Sends `problem` with the request's id (also in `x-request-id`: an error before routing skips the hooks that set it). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const requestId = reply.request.id;
  return reply
    .status(problem.status)
    .header('x-request-id', requestId)
    .type('application/problem+json')
    .send({ ...problem, requestId });
}

function fieldsOf(validation: FastifyError['validation'], context: string | undefined): FieldError[] {
  return (validation ?? []).map((issue) => {
    const base = issue.instancePath.split('/').filter(Boolean).join('.');
    const keys = issue.keyword === 'unrecognized_keys' ? ((issue.params as { keys?: string[] }).keys ?? []) : [];
    const field = keys.length > 0 ? keys.map((key) => (base ? `${base}.${key}` : key)).join(',') : base;
    const where = context && context !== 'body' ? `${context}${field ? '.' : ''}` : '';
    return { field: `${where}${field}`, message: keys.length > 0 ? 'is not a known field' : (issue.message ?? 'is invalid') };
  });
}

/** How long a client should wait before retrying a request the database could not serve. */
export const unavailableRetryAfterSeconds = 5;

/**
 * The database or the blob store is down, unreachable, restarting, overloaded or gave up waiting (a statement or lock
 * timeout): a condition of the moment, not a bug. The blob store's own `BLOB_STORE_UNAVAILABLE` (S3's 5xx, 429 SlowDown
 * and timeouts, `blobs/blob-store.ts`); Node's socket errors, those of opening a connection included (the database's
 * host name does not resolve, ENOTFOUND, or not now, EAI_AGAIN; no route to it; no local port left), which pg hands on
 * as they are; PostgreSQL's SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (admin or crash shutdown, cannot connect now), 57014 (query_canceled: what statement_timeout raises),
 * 55P03 (lock_not_available: lock_timeout), 53300 (too many connections); SQLite's SQLITE_BUSY (and its extended
 * codes); pg and pg-pool's own messages, which carry no code (a connection lost, a pool or a read timed out).
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '55P03',
  '53300',
]);
/** `BlobStoreUnavailableError`'s code (not imported: the HTTP layer knows no storage module). */
const blobStoreUnavailable = 'BLOB_STORE_UNAVAILABLE';
const unavailableMessages =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Connection ended unexpectedly|Query read timeout)/;

/** The code or message that makes `error` (or an error it wraps) a 503, if one does. */
export function unavailabilityOf(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== 'object' || depth > 4) return null;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (
    typeof code === 'string' &&
    (unavailableCodes.has(code) || code === blobStoreUnavailable || /^08[0-9A-Z]{3}$/.test(code) || code.startsWith('SQLITE_BUSY'))
  )
    return code;
  if (typeof message === 'string' && unavailableMessages.test(message)) return message;
  // A connection to several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError of each.
  for (const inner of Array.isArray(errors) ? errors : []) {
    const found = unavailabilityOf(inner, depth + 1);
    if (found) return found;
  }
  return unavailabilityOf(cause, depth + 1);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.code === 'too_many_requests' && typeof error.extensions?.retryAfter === 'number') {
        reply.header('Retry-After', String(error.extensions.retryAfter));
      }
      return sendProblem(reply, problemOf(error.code, error.message, { ...(error.errors ? { errors: error.errors } : {}), ...error.extensions }));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldsOf(error.validation, error.validationContext);
      const summary = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
      return sendProblem(reply, problemOf('validation_failed', summary || 'The request is invalid', { errors }));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, problemOf('malformed_json', 'The request body is not valid JSON'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, problemOf('payload_too_large', 'The request body is larger than the limit'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, problemOf('unsupported_media_type', 'Send the request body as application/json'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code = (Object.entries(errorCodes).find(([, status]) => status === error.statusCode)?.[0] ?? 'validation_failed') as ErrorCode;
      return sendProblem(reply, problemOf(code, error.message));
    }
    const unavailable = unavailabilityOf(error);
    if (unavailable) {
      // Expected during an outage, at the rate of requests: one line each, without the stack.
      request.log.warn({ reason: unavailable, message: error.message }, 'database or blob store unavailable');
      reply.header('Retry-After', String(unavailableRetryAfterSeconds));
      return sendProblem(reply, problemOf('service_unavailable', 'The service is temporarily unavailable; retry shortly'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemOf('internal_error', 'Something went wrong on our side'));
  });
}

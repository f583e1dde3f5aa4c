/** Every error leaves the API as RFC 9457 problem+json with a stable `code`; internals are never shown. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorCodes, type ErrorCode, type FieldError, type Problem } from '../../core/errors.js';

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(code: ErrorCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const status = errorCodes[code];
  return { type: `https://listo.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
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
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemOf('internal_error', 'Something went wrong on our side'));
  });
}

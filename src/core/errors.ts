/** Stable, machine-readable error codes shared by the server and the web app. */
export const errorCodes = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  cross_origin_request: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  idempotency_key_in_progress: 409,
  already_member: 409,
  gone: 410,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  idempotency_key_reused: 422,
  task_deleted: 422,
  last_owner: 422,
  role_too_high: 422,
  limit_reached: 422,
  quota_exceeded: 422,
  too_many_requests: 429,
  headers_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One field that failed validation, as the API reports it. */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `title` or `tiers.2.upTo`; empty for the whole body. */
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * The one application error: a stable code, its HTTP status, and a message safe to show a user.
 * Domain code throws it; the HTTP layer turns it into problem+json.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { errors?: FieldError[]; extensions?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCodes[code];
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do that') => new AppError('forbidden', message);
export const invalidField = (field: string, message: string) => new AppError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });

/**
 * The one way the web app talks to the API: relative URLs, the session cookie, JSON in and out,
 * problem+json turned into a typed `ApiError`, and an `Idempotency-Key` on every write.
 */
import type { ZodType } from 'zod';
import type { ErrorCode, FieldError, Problem } from '../../core/errors.js';

/** Error codes of the API, plus the one the browser produces when the server cannot be reached. */
export type ClientErrorCode = ErrorCode | 'network_error';

/** An API failure, carrying the problem's stable `code`, a `detail` safe to show, and field errors. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(code: ClientErrorCode, status: number, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }

  /** The message of one field's error, for showing it next to that field. */
  fieldError(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.message;
  }
}

/** Any thrown value as an `ApiError`, so callers can always show `detail`. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('internal_error', 0, error instanceof Error ? error.message : 'Something went wrong');
}

/**
 * A fresh idempotency key. `crypto.randomUUID` exists only in secure contexts (https, localhost),
 * so a server reached over plain http on a LAN address still gets a random v4 UUID.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  body?: unknown;
  /** Validates and types the response body; omit for 204 answers. */
  schema?: ZodType<T>;
  /**
   * Sent as `Idempotency-Key` (it is also the change's mutation id on real-time events).
   * Writes get a fresh one when omitted; a retry reuses it.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

let onUnauthenticated: (() => void) | null = null;

/** Called when the API answers 401 to a signed-in request (the session expired or was revoked). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

const retryDelaysMs = [300, 1000];
const retryableCodes = new Set<ClientErrorCode>(['network_error', 'service_unavailable', 'idempotency_key_in_progress']);

/** One API call; retries transient failures with the same idempotency key. */
export async function apiRequest<T = void>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const key = method === 'GET' ? undefined : (options.idempotencyKey ?? newIdempotencyKey());
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(method, path, options, key);
    } catch (error) {
      const delay = retryDelaysMs[attempt];
      if (!(error instanceof ApiError) || !retryableCodes.has(error.code) || delay === undefined || options.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function send<T>(method: Method, path: string, options: RequestOptions<T>, key: string | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('network_error', 0, 'Cannot reach Listo. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (error.status === 401 && !path.startsWith('/auth/')) onUnauthenticated?.();
    throw error;
  }
  if (response.status === 204 || !options.schema) return undefined as T;
  return options.schema.parse(await response.json());
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await response.json()) as Partial<Problem>;
  } catch {
    // not JSON (a proxy's error page): fall back on the status
  }
  const code: ClientErrorCode = problem.code ?? (response.status >= 500 ? 'service_unavailable' : 'internal_error');
  const detail =
    problem.detail ?? (response.status >= 500 ? 'Listo is having trouble right now. Try again in a moment.' : `Request failed (${response.status})`);
  return new ApiError(code, response.status, detail, Array.isArray(problem.errors) ? problem.errors : []);
}

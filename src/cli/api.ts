/**
 * The public API as the `listo` command's to-do commands use it: a personal API token (`Authorization: Bearer`), JSON
 * in and out, problem+json turned into one line for the user. Knows nothing of the server's code, only its contract.
 */
import { z } from 'zod';

/** Something the user should read (a refusal, an unreachable server): printed as one line, exit 1. */
export class CliError extends Error {
  /** The HTTP status the server answered with, if it answered. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const problemSchema = z.looseObject({ status: z.number().optional(), code: z.string().optional(), detail: z.string().optional() });
const pageSchema = z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable().optional() });

export interface CliApiOptions {
  url: string;
  token?: string | undefined;
  fetch?: typeof fetch;
}

export function createCliApi({ url, token, fetch: doFetch = fetch }: CliApiOptions) {
  const base = url.replace(/\/+$/, '');

  async function send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}/api/v1${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new CliError(`Cannot reach Listo at ${base} (set LISTO_URL to your server's address)`);
    }
    if (response.ok) return response;
    const problem = problemSchema.safeParse(await response.json().catch(() => null));
    if (response.status === 401 && !path.startsWith('/auth/')) {
      throw new CliError('Not signed in: run `listo login`, or set LISTO_TOKEN to an API token', 401);
    }
    throw new CliError(problem.success && problem.data.detail ? problem.data.detail : `Listo answered ${response.status}`, response.status);
  }

  async function json<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await send(method, path, { body, ...(headers ? { headers } : {}) });
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new CliError(`Listo at ${base} answered something this version of listo does not understand`);
    return parsed.data;
  }

  return {
    base,
    send,
    json,
    /** Every item of a paginated collection, following `nextCursor` (a page may hold fewer items than asked). */
    async all<T>(itemSchema: z.ZodType<T>, path: string): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | null | undefined = null;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page: z.infer<typeof pageSchema> = await json(pageSchema, 'GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
        for (const item of page.items) {
          const parsed = itemSchema.safeParse(item);
          if (!parsed.success) throw new CliError(`Listo at ${base} answered something this version of listo does not understand`);
          items.push(parsed.data);
        }
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  };
}

export type CliApi = ReturnType<typeof createCliApi>;

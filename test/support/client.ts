/** A tiny API client for tests: keeps the session cookie like a browser and sends our Origin. */
import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  cookie: string | null = null;
  bearer: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly origin: string | null = baseUrl,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit & { headers: Record<string, string> } = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.headers['content-type'] ??= 'application/json';
      // A string or bytes go as they are (malformed bodies in tests); anything else as JSON.
      init.body = typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body);
    }
    if (this.cookie) init.headers.cookie = this.cookie;
    if (this.bearer) init.headers.authorization = `Bearer ${this.bearer}`;
    if (this.origin && method !== 'GET') init.headers.origin ??= this.origin;
    const response = await fetch(this.baseUrl + path, init);
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value.endsWith('=') ? null : value;
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('DELETE', path, undefined, headers);
}

let userCounter = 0;

/** Factory: a signed-up user with a session, ready to call the API. */
export async function createUser(
  baseUrl: string,
  name = `User ${++userCounter}`,
  email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@example.com`,
) {
  const client = new ApiClient(baseUrl);
  const response = await client.post('/api/v1/auth/signup', { email, password: 'correct horse battery', name });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { client, user: response.body.user as { id: string; email: string; name: string }, email, password: 'correct horse battery' };
}

/** Factory: a list owned by the client's user. */
export async function createList(client: ApiClient, name = 'Groceries') {
  const response = await client.post('/api/v1/lists', { name });
  if (response.status !== 201) throw new Error(`list creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; version: number; workspaceId: string };
}

export async function createTask(client: ApiClient, listId: string, title: string, extra: Record<string, unknown> = {}) {
  const response = await client.post(`/api/v1/lists/${listId}/tasks`, { title, ...extra });
  if (response.status !== 201) throw new Error(`task creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; title: string; position: string; done: boolean; listId: string };
}

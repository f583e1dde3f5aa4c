/**
 * Operations: what clients see when the database is unavailable (503, not 500), a request body that stalls (408),
 * and the request id every response carries.
 */
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionTimeoutMs, createLogger, requestTimeoutMs } from '../../src/server/app.js';
import type { Db } from '../../src/server/db/database.js';
import { registerErrorHandler } from '../../src/server/http/error-handler.js';
import { registerHealthRoutes } from '../../src/server/http/health.routes.js';
import type { Api } from '../../src/server/http/route-types.js';
import { createList, createUser } from '../support/client.js';
import { postgresRequired, postgresUrl } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { trickleUpload } from '../support/uploads.js';

const problemOf503 = { status: 503, code: 'service_unavailable', type: 'https://listo.dev/problems/service_unavailable' };

describe('a database that is unavailable answers 503 service_unavailable with Retry-After, not 500', () => {
  it('classifies connection failures, shutdowns, timeouts and a busy database as unavailable, anything else as 500', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    const errorWith = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'failed')), props);
    const unavailable: Record<string, Error> = {
      refused: errorWith({ code: 'ECONNREFUSED' }),
      reset: errorWith({ code: 'ECONNRESET' }),
      timedOut: errorWith({ code: 'ETIMEDOUT' }),
      pipe: errorWith({ code: 'EPIPE' }),
      // Opening a connection: the host name does not resolve (now or at all), no route, no local port left.
      notFound: errorWith({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.internal', syscall: 'getaddrinfo' }),
      dnsTryAgain: errorWith({ code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN db.internal', syscall: 'getaddrinfo' }),
      hostUnreachable: errorWith({ code: 'EHOSTUNREACH' }),
      hostDown: errorWith({ code: 'EHOSTDOWN' }),
      networkUnreachable: errorWith({ code: 'ENETUNREACH' }),
      networkDown: errorWith({ code: 'ENETDOWN' }),
      noLocalAddress: errorWith({ code: 'EADDRNOTAVAIL' }),
      aborted: errorWith({ code: 'ECONNABORTED' }),
      terminated: new Error('Connection terminated unexpectedly'),
      poolTimeout: new Error('timeout exceeded when trying to connect'),
      readTimeout: new Error('Query read timeout'), // pg's query_timeout: a database that went silent mid-query
      connectionException: errorWith({ code: '08006' }),
      adminShutdown: errorWith({ code: '57P01' }),
      crashShutdown: errorWith({ code: '57P02' }),
      cannotConnectNow: errorWith({ code: '57P03' }),
      statementTimeout: errorWith({ code: '57014' }),
      lockTimeout: errorWith({ code: '55P03' }),
      tooManyConnections: errorWith({ code: '53300' }),
      sqliteBusy: errorWith({ code: 'SQLITE_BUSY' }),
      sqliteBusySnapshot: errorWith({ code: 'SQLITE_BUSY_SNAPSHOT' }),
      aggregate: new AggregateError([errorWith({ code: 'ECONNREFUSED' }), errorWith({ code: 'ECONNREFUSED' })], 'connect failed'),
      wrapped: new Error('query failed', { cause: errorWith({ code: '57P01' }) }),
    };
    const other: Record<string, Error> = {
      plain: new Error('boom'),
      uniqueViolation: errorWith({ code: '23505' }),
      syntax: errorWith({ code: '42601' }),
      sqliteConstraint: errorWith({ code: 'SQLITE_CONSTRAINT' }),
    };
    for (const [name, error] of Object.entries({ ...unavailable, ...other })) {
      app.get(`/${name}`, async () => {
        throw error;
      });
    }
    for (const name of Object.keys(unavailable)) {
      const response = await app.inject(`/${name}`);
      expect({ name, status: response.statusCode, retryAfter: response.headers['retry-after'] }).toEqual({ name, status: 503, retryAfter: '5' });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject(problemOf503);
    }
    for (const name of Object.keys(other)) {
      const response = await app.inject(`/${name}`);
      expect({ name, status: response.statusCode, retryAfter: response.headers['retry-after'] }).toEqual({ name, status: 500, retryAfter: undefined });
      expect(response.json()).toMatchObject({ status: 500, code: 'internal_error' });
    }
    await app.close();
  });

  it('answers 503 on SQLite while another process holds the write lock past the busy timeout', async () => {
    const server = await startTestServer('sqlite');
    const other = new Database(path.join(server.config.dataDir!, 'listo.db'));
    try {
      const { client } = await createUser(server.url);
      const list = await createList(client);
      other.exec('begin immediate');
      const response = await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'blocked' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body).toMatchObject(problemOf503);
      other.exec('rollback');
      expect((await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'after' })).status).toBe(201);
    } finally {
      other.close();
      await server.close();
    }
  }, 20_000);

  describe.runIf(postgresRequired)('on PostgreSQL', () => {
    let server: TestServer;
    let admin: pg.Client;
    beforeAll(async () => {
      server = await startTestServer('postgres');
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await server?.close();
    });

    it('answers 503 when the connection serving a request is terminated (57P01), and serves again after', async () => {
      const { client } = await createUser(server.url);
      const list = await createList(client);
      const tasks = `${server.config.databaseSchema}.tasks`;
      await admin.query('begin');
      await admin.query(`lock table ${tasks} in access exclusive mode`);
      const pending = client.get(`/api/v1/lists/${list.id}/tasks`);
      let waiting: number | undefined;
      for (let i = 0; i < 100 && waiting === undefined; i++) {
        const { rows } = await admin.query<{ pid: number }>('select pid from pg_locks where relation = $1::regclass and not granted', [tasks]);
        waiting = rows[0]?.pid;
        if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(waiting).toBeDefined();
      await admin.query('select pg_terminate_backend($1)', [waiting]);
      await admin.query('rollback');
      const response = await pending;
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body).toMatchObject(problemOf503);
      // The pool notices the dead connection a moment after the failed query: a retry soon after is served.
      let after = 0;
      for (let i = 0; i < 20 && after !== 200; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        after = (await client.get(`/api/v1/lists/${list.id}/tasks`)).status;
        expect([200, 503]).toContain(after);
      }
      expect(after).toBe(200);
    });
  });
});

describe.runIf(postgresRequired)('a database whose host name stops resolving', () => {
  it('answers 503 with Retry-After (ENOTFOUND, EAI_AGAIN), warns in one line without a stack, and serves again once it resolves', async () => {
    // The database is reached by a name (through a proxy, so its connections can be cut); the name's lookup can be made to fail.
    const proxy = await startBlackholeProxy();
    const hostName = 'pg.listo.test';
    let failure: 'ENOTFOUND' | 'EAI_AGAIN' | null = null;
    const lookup = dns.lookup;
    const patched = (hostname: string, options: unknown, callback?: unknown) => {
      const done = (typeof options === 'function' ? options : callback) as (error: Error | null, ...rest: unknown[]) => void;
      const given = typeof options === 'function' ? {} : options;
      if (hostname !== hostName) return (lookup as (...args: unknown[]) => void).call(dns, hostname, given, done);
      if (failure) {
        const error = Object.assign(new Error(`getaddrinfo ${failure} ${hostname}`), { code: failure, syscall: 'getaddrinfo', hostname });
        return process.nextTick(done, error);
      }
      return (lookup as (...args: unknown[]) => void).call(dns, '127.0.0.1', given, done);
    };
    dns.lookup = patched as unknown as typeof dns.lookup;
    const logLines: { level: number; msg?: string; reason?: string; err?: unknown }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    const databaseUrl = new URL(proxy.url);
    databaseUrl.hostname = hostName;
    const server = await startTestServer('postgres', { databaseUrl: databaseUrl.toString() }, { logger });
    try {
      const { client } = await createUser(server.url);
      const list = await createList(client);
      for (const code of ['ENOTFOUND', 'EAI_AGAIN'] as const) {
        // The pool's connections are lost (the proxy cuts them); a new one must look the name up.
        proxy.cut();
        await new Promise((resolve) => setTimeout(resolve, 200));
        failure = code;
        const response = await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'while the name does not resolve' });
        expect({ code, status: response.status }).toEqual({ code, status: 503 });
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject(problemOf503);
        expect(logLines).toContainEqual(expect.objectContaining({ level: 40, msg: 'database or blob store unavailable', reason: code }));
        failure = null;
        await expect.poll(async () => (await client.get(`/api/v1/lists/${list.id}/tasks`)).status, { timeout: 5_000 }).toBe(200);
      }
      expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      dns.lookup = lookup;
      await server.close().catch(() => {});
      proxy.close();
    }
  }, 30_000);
});

/** A TCP proxy to PostgreSQL that can black-hole its traffic (a partition: no reset, no answer) or cut its connections. */
async function startBlackholeProxy(): Promise<{ url: string; blackhole(on: boolean): void; cut(): void; close(): void }> {
  const target = new URL(postgresUrl);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const url = new URL(postgresUrl);
  url.host = `127.0.0.1:${proxy.port}`;
  return { url: url.toString(), blackhole: proxy.blackhole, cut: proxy.cut, close: proxy.close };
}

describe.runIf(postgresRequired)('/readyz with a database that hangs', () => {
  it('answers 503 problem+json within its own 2 s timeout', async () => {
    const proxy = await startBlackholeProxy();
    const server = await startTestServer('postgres', { databaseUrl: proxy.url });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      proxy.blackhole(true);
      const startedAt = Date.now();
      const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({
        ...problemOf503,
        detail: 'The database did not answer within 2 s',
        requestId: response.headers.get('x-request-id'),
      });
      expect(response.headers.get('retry-after')).toBe('5');
      proxy.blackhole(false);
    } finally {
      proxy.close();
      await server.close().catch(() => {});
    }
  }, 20_000);
});

describe('/readyz with a database that fails', () => {
  it('answers 503 problem+json with the request id and Retry-After, as every 503', async () => {
    const database = new Database(':memory:');
    database.close(); // every query fails
    const kysely = new Kysely<never>({ dialect: new SqliteDialect({ database }) });
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerHealthRoutes(app as unknown as Api, { dialect: 'sqlite', kysely } as unknown as Db);
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ ...problemOf503, title: 'Service Unavailable', detail: 'The database is not reachable', requestId: expect.any(String) });
    expect(response.json().requestId).toBe(response.headers['x-request-id']);
    await app.close();
  });
});

describe('a request that comes while the server shuts down', () => {
  it('is answered 503 problem+json with its request id and Retry-After, and its connection closed', async () => {
    const server = await startTestServer('sqlite');
    const { hostname, port, host } = new URL(server.url);
    // A keep-alive connection whose next request is on its way as the shutdown begins (so it is not idle).
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (data) => (answer += String(data)));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/v1/lists HTTP/1.1\r\nHost: ${host}\r\nX-Request-Id: during-shutdown-1\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write('\r\n');
    await closed;
    await closing;
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head).toMatch(/^content-type: application\/problem\+json/im);
    expect(head).toMatch(/^retry-after: 5$/im);
    expect(head).toMatch(/^connection: close$/im);
    expect(head).toMatch(/^x-request-id: during-shutdown-1$/im);
    expect(JSON.parse(body)).toMatchObject({ ...problemOf503, requestId: 'during-shutdown-1' });
  });
});

describe('request ids', () => {
  let server: TestServer;
  const logLines: { reqId?: string; msg?: string }[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    server = await startTestServer('sqlite', { logLevel: 'debug' }, { logger });
  });
  afterAll(() => server.close());

  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('gives every response an x-request-id: a random UUID, unique per request, also in the logs', async () => {
    const first = await fetch(`${server.url}/healthz`);
    const second = await fetch(`${server.url}/healthz`);
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    expect(ids).toEqual([expect.stringMatching(uuid), expect.stringMatching(uuid)]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(logLines.filter((line) => line.reqId === ids[0]).map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('keeps a sane incoming X-Request-Id and puts it in problem+json bodies; replaces one that is not', async () => {
    const kept = await fetch(`${server.url}/api/v1/lists`, { headers: { 'x-request-id': 'lb-7f3a.01_Z' } });
    expect(kept.status).toBe(401);
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.01_Z');
    expect(await kept.json()).toMatchObject({ status: 401, code: 'unauthenticated', requestId: 'lb-7f3a.01_Z' });
    expect(logLines.some((line) => line.reqId === 'lb-7f3a.01_Z')).toBe(true);

    for (const insane of ['x'.repeat(65), 'has space', 'semi;colon', '{"json":1}', '']) {
      const response = await fetch(`${server.url}/api/v1/lists`, { headers: { 'x-request-id': insane } });
      const id = response.headers.get('x-request-id');
      expect({ insane, id }).toEqual({ insane, id: expect.stringMatching(uuid) });
      expect(await response.json()).toMatchObject({ requestId: id });
    }

    // Refused before routing (not percent-encoding): still says which request.
    const badUrl = await fetch(`${server.url}/api/v1/lists/%E0%A4%A`, { headers: { 'x-request-id': 'bad-url-1' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers.get('x-request-id')).toBe('bad-url-1');
    expect(await badUrl.json()).toMatchObject({ code: 'validation_failed', requestId: 'bad-url-1' });
  });
});

/** Sends `head` and `bodyStart` on a raw connection, then nothing more: what the server answers, and when it closes. */
function stallMidBody(url: string, head: string, bodyStart: string): Promise<{ answer: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(head + bodyStart));
    socket.setTimeout(10_000, () => reject(new Error(`no answer in 10 s; got ${JSON.stringify(answer)}`)));
    socket.on('data', (data) => (answer += String(data)));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - startedAt }));
  });
}

/** A log line with the bytes of any Buffer in it (JSON: `{type: 'Buffer', data: [67, 111, …]}`) as text, cut to 500 characters. */
const readable = (line: string): string =>
  JSON.stringify(
    JSON.parse(line, (_key, value: unknown) => {
      const buffer = value as { type?: unknown; data?: unknown } | null;
      return buffer?.type === 'Buffer' && Array.isArray(buffer.data) ? Buffer.from(buffer.data as number[]).toString('latin1') : value;
    }),
  ).slice(0, 500);

describe('a request Node cannot parse, with debug logging', () => {
  it('is answered problem+json (431, 400) and logged by its code, without its cookie or bearer token', async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'debug' }, { write: (line: string) => void lines.push(line) });
    const server = await startTestServer('sqlite', { logLevel: 'debug' }, { logger });
    try {
      const { host } = new URL(server.url);
      const credentials = `Cookie: listo_session=Cookie-Secret-1f2e3d\r\nAuthorization: Bearer Bearer-Secret-9a8b7c\r\n`;
      const requests = {
        HPE_HEADER_OVERFLOW: [431, `GET /api/v1/lists HTTP/1.1\r\nHost: ${host}\r\n${credentials}X-Padding: ${'x'.repeat(20_000)}\r\n\r\n`],
        HPE_INVALID_HEADER_TOKEN: [400, `GET /api/v1/lists HTTP/1.1\r\nHost: ${host}\r\n${credentials}Not a header\r\n\r\n`],
      } as const;
      for (const [code, [status, request]] of Object.entries(requests)) {
        const { answer } = await stallMidBody(server.url, request, '');
        expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        expect(answer).toMatch(/content-type: application\/problem\+json/i);
        await expect.poll(() => lines.some((line) => line.includes('"client error"') && line.includes(code))).toBe(true);
      }
      expect(lines.map(readable).filter((line) => /Cookie-Secret|Bearer-Secret/.test(line))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('redacts the raw bytes of a request from any error logged whole', () => {
    const lines: string[] = [];
    const error = Object.assign(new Error('Parse Error: Header overflow'), { code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from('Cookie: s=Raw-Secret-5c') });
    createLogger({ logLevel: 'debug' }, { write: (line: string) => void lines.push(line) }).debug({ err: error }, 'client error');
    expect(lines).toHaveLength(1);
    expect(readable(lines[0]!)).not.toContain('Raw-Secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { code: 'HPE_HEADER_OVERFLOW', rawPacket: '[redacted]' } });
  });
});

describe('a request whose body stalls', () => {
  it('is bounded: 60 s for the headers, 120 s for a parsed body, 180 s for a silent socket; uploads by their progress', async () => {
    const server = await startTestServer('sqlite');
    try {
      // Node's one limit for the whole request is off: it would cut a slow upload (body-deadline.ts bounds bodies).
      expect(server.app.server.requestTimeout).toBe(0);
      expect(server.app.server.headersTimeout).toBe(60_000);
      expect(requestTimeoutMs).toBe(120_000);
      expect(server.app.server.timeout).toBe(connectionTimeoutMs);
      expect(connectionTimeoutMs).toBeGreaterThan(requestTimeoutMs + 30_000);
    } finally {
      await server.close();
    }
  });

  it('lets an upload take longer than the request timeout while its bytes keep coming; cuts one that stalls or crawls (408)', async () => {
    const server = await startTestServer('sqlite', {}, { requestTimeoutMs: 400 });
    try {
      const { client } = await createUser(server.url);
      // 24 KiB at 20 KiB/s: three times the request timeout.
      const steady = await trickleUpload(client, { fileBytes: 24 * 1024, chunkBytes: 1024, everyMs: 50 });
      expect([steady.status, steady.body.size]).toEqual([201, 24 * 1024]);
      expect(steady.elapsedMs).toBeGreaterThan(1_000);

      // Nothing for a quarter of the request timeout: cut.
      const stalled = await trickleUpload(client, { fileBytes: 24 * 1024, chunkBytes: 1024, everyMs: 50, stallAfterBytes: 2 * 1024 });
      expect([stalled.status, stalled.body?.code]).toEqual([408, 'request_timeout']);
      expect(stalled.elapsedMs).toBeLessThan(1_000);

      // Coming, but at 5 KiB/s, under the 8 KiB/s floor, once past the request timeout: cut.
      const crawling = await trickleUpload(client, { fileBytes: 24 * 1024, chunkBytes: 256, everyMs: 50 });
      expect([crawling.status, crawling.body?.code]).toEqual([408, 'request_timeout']);
      expect(crawling.elapsedMs).toBeLessThan(1_500);

      // Neither left anything behind: only the steady upload counts, and no staging file stays.
      const personal = (await client.get('/api/v1/workspaces')).body.items.find((w: { kind: string }) => w.kind === 'personal');
      expect((await client.get(`/api/v1/workspaces/${personal.id}/storage`)).body).toMatchObject({ usedBytes: 24 * 1024 });
      const staging = path.join(server.config.dataDir, 'blobs', '.tmp');
      await expect.poll(() => (fs.existsSync(staging) ? fs.readdirSync(staging) : [])).toEqual([]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('closes the connection after an answer given before the body has all come, so the rest cannot hold it', async () => {
    const server = await startTestServer('sqlite');
    try {
      const { host } = new URL(server.url);
      const { client } = await createUser(server.url);
      const early = [
        // 415 for the encoding, before the body is read.
        `POST /api/v1/lists HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 1000\r\n\r\n`,
        // 401: an upload without credentials.
        `POST /api/v1/uploads HTTP/1.1\r\nHost: ${host}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n`,
        // 403: a cross-site write with the session cookie.
        `POST /api/v1/lists HTTP/1.1\r\nHost: ${host}\r\nCookie: ${client.cookie}\r\nOrigin: https://evil.example\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      ];
      for (const head of early) {
        const { answer, closedAfterMs } = await stallMidBody(server.url, head, '{"na');
        expect(answer).toMatch(/^HTTP\/1\.1 4(15|01|03) /);
        expect(answer).toMatch(/connection: close/i);
        expect(closedAfterMs).toBeLessThan(2_000); // not the 120 s request timeout
      }
      // And a shutdown is not held by them.
      const closing = Date.now();
      await server.close();
      expect(Date.now() - closing).toBeLessThan(2_000);
    } finally {
      await server.close().catch(() => {});
    }
  });

  it('gets 408 and its connection closed once the request timeout passes, even unauthenticated', async () => {
    const server = await startTestServer('sqlite', {}, { requestTimeoutMs: 300 });
    try {
      const { host } = new URL(server.url);
      const head = `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
      const { answer, closedAfterMs } = await stallMidBody(server.url, head, '{"em');
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'request_timeout' });
      expect(closedAfterMs).toBeLessThan(2_000);
      // The server goes on serving.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

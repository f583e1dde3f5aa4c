/**
 * `listo serve` shutting down on SIGTERM or SIGINT: it drains what is in flight and closes the database, losing no
 * acknowledged write; a request that has not arrived within a second is answered 503 and cut, one whose handler never
 * finishes cannot hold it past the deadline; a second signal cuts it short at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, createList, createUser } from '../support/client.js';
import { TestSocket } from '../support/socket.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Serving {
  child: ChildProcess;
  url: string;
  dataDir: string;
  logs: { level: number; msg: string }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const running: Serving[] = [];
afterEach(() => {
  for (const node of running.splice(0)) {
    if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
    fs.rmSync(node.dataDir, { recursive: true, force: true });
  }
});

/** `listo serve` from the sources (no build needed), on SQLite in a fresh data directory (or `dataDir`), on a free port. */
async function serve(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-shutdown-'))): Promise<Serving> {
  const env: NodeJS.ProcessEnv = { ...process.env, LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const logs: Serving['logs'] = [];
  let stderr = '';
  child.stderr!.on('data', (data) => (stderr += String(data)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (data) => {
      buffered += String(data);
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        try {
          const entry = JSON.parse(line);
          logs.push(entry);
          const listening = /^Listo is listening on (\S+)$/.exec(entry.msg ?? '');
          if (listening) resolve(listening[1]!);
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(({ code }) => reject(new Error(`listo serve exited (${code}) before listening: ${stderr}`)));
  });
  const node = { child, url, dataDir, logs, exited };
  running.push(node);
  return node;
}

/** A login whose headers and first bytes arrive, the rest when `finish` is called (if ever). */
function stalledLogin(url: string) {
  const { hostname, port, host } = new URL(url);
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
  const socket = net.connect(Number(port), hostname);
  let answer = '';
  socket.on('data', (data) => (answer += String(data)));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`,
  );
  return { finish: () => socket.write(body.slice(4)), answer: () => answer, closed, destroy: () => socket.destroy() };
}

/** An upload whose headers and first half of its file arrive (its handler streams them), the rest when `finish` is called (if ever). */
function stalledUpload(url: string, cookie: string) {
  const { hostname, port, host } = new URL(url);
  const boundary = 'listo-shutdown-boundary';
  const file = 'x'.repeat(4096);
  const start = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="notes.txt"\r\ncontent-type: text/plain\r\n\r\n${file.slice(0, 2048)}`;
  const rest = `${file.slice(2048)}\r\n--${boundary}--\r\n`;
  const socket = net.connect(Number(port), hostname);
  let answer = '';
  socket.on('data', (data) => (answer += String(data)));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /api/v1/uploads HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${url}\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${start.length + rest.length}\r\n\r\n${start}`,
  );
  return { finish: () => socket.write(rest), answer: () => answer, closed, destroy: () => socket.destroy() };
}

/** A raw connection that sends `head` now and then one byte of `dribble` every 200 ms: what it is answered, and when it closes. */
function dribbling(url: string, head: string, dribble: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let answer = '';
  socket.on('data', (data) => (answer += String(data)));
  socket.on('error', () => {});
  let sent = 0;
  const timer = setInterval(() => sent < dribble.length && !socket.destroyed && socket.write(dribble[sent++]!), 200);
  const closed = new Promise<number>((resolve) => socket.on('close', () => (clearInterval(timer), resolve(Date.now()))));
  socket.write(head);
  return { answer: () => answer, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messages = (node: Serving) => node.logs.map((entry) => entry.msg);
const walLeft = (node: Serving) => fs.readdirSync(node.dataDir).some((name) => name.endsWith('-wal'));

describe('listo serve shutting down', () => {
  it('drains a request in flight, closes the database and exits 0, saying so', async () => {
    const node = await serve();
    const login = stalledLogin(node.url);
    await sleep(200);
    node.child.kill('SIGTERM');
    await sleep(300);
    expect(node.child.exitCode).toBe(null); // waiting for the request
    login.finish();
    const exit = await node.exited;
    expect(login.answer()).toMatch(/^HTTP\/1\.1 401 /);
    expect(exit.code).toBe(0);
    expect(messages(node).filter((msg) => msg === 'shutting down')).toHaveLength(1);
    expect(messages(node)).toContain('shut down');
    expect(walLeft(node)).toBe(false);
  }, 30_000);

  it('waits past the arrival grace for an upload its handler is receiving: answered 201, exit 0', async () => {
    const node = await serve();
    const { client } = await createUser(node.url);
    const upload = stalledUpload(node.url, client.cookie!);
    await sleep(300);
    node.child.kill('SIGTERM');
    await sleep(2_000); // well past the grace given to requests still arriving
    expect(node.child.exitCode).toBe(null);
    upload.finish();
    const exit = await node.exited;
    expect(upload.answer()).toMatch(/^HTTP\/1\.1 201 /);
    expect(exit.code).toBe(0);
    expect(messages(node)).toContain('shut down');
  }, 30_000);

  it('does not wait for requests that have not all arrived (a slowloris, a stalled phone): after 1 s they are answered 503 and closed, and it exits 0', async () => {
    const node = await serve();
    const { host } = new URL(node.url);
    // Headers that never end, and a body that comes a byte at a time, neither ever complete.
    const slowHeaders = dribbling(node.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`, 'X-A: b\r\n'.repeat(100));
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }).padEnd(400);
    const slowBody = dribbling(
      node.url,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    await sleep(500);
    const signalledAt = Date.now();
    node.child.kill('SIGTERM');
    const exit = await node.exited;
    for (const connection of [slowHeaders, slowBody]) {
      const closedAt = await connection.closed;
      expect(closedAt - signalledAt).toBeLessThan(3_000);
      const answer = connection.answer();
      expect(answer).toMatch(/^HTTP\/1\.1 503 /);
      expect(answer).toMatch(/^content-type: application\/problem\+json/im);
      expect(answer).toMatch(/^retry-after: 5$/im);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 503, code: 'service_unavailable' });
    }
    expect(slowBody.answer()).toMatch(/^x-request-id: \S+$/im);
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    expect(node.logs).toContainEqual(expect.objectContaining({ connectionsCut: 2 }));
    expect(messages(node)).toContain('shut down');
    expect(walLeft(node)).toBe(false);
  }, 30_000);

  it('cuts a request whose handler never finishes at the deadline (10 s) and exits 1, saying why', async () => {
    const node = await serve();
    const { client } = await createUser(node.url);
    const upload = stalledUpload(node.url, client.cookie!);
    await sleep(300);
    const signalledAt = Date.now();
    node.child.kill('SIGTERM');
    const exit = await node.exited;
    await upload.closed;
    expect(exit.code).toBe(1);
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(9_500);
    expect(exit.at - signalledAt).toBeLessThan(13_000);
    expect(messages(node)).toContain('shutdown still not done after 10 s: closing the remaining connections and exiting');
    expect(walLeft(node)).toBe(false);
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'cuts it short at once on a second signal (SIGTERM, then %s), and exits 1, saying so',
    async (second) => {
      const node = await serve();
      const { client } = await createUser(node.url);
      const upload = stalledUpload(node.url, client.cookie!);
      await sleep(300);
      node.child.kill('SIGTERM');
      await sleep(1_500);
      expect(node.child.exitCode).toBe(null);
      const signalledAt = Date.now();
      node.child.kill(second);
      const exit = await node.exited;
      upload.destroy();
      expect(exit).toMatchObject({ code: 1, signal: null });
      expect(exit.at - signalledAt).toBeLessThan(2_000);
      expect(messages(node).filter((msg) => msg === 'shutting down')).toHaveLength(1);
      expect(messages(node)).toContain(`${second} during the shutdown: closing the remaining connections and exiting`);
      expect(walLeft(node)).toBe(false);
    },
    30_000,
  );

  it('loses no acknowledged write: under a steady load of task creations, every 201 is there after a restart, and the rest are 503 or unanswered', async () => {
    const node = await serve();
    const { client } = await createUser(node.url);
    const list = await createList(client);
    const acknowledged: string[] = [];
    const otherStatuses: number[] = [];
    const refusals: unknown[] = [];
    let next = 0;
    let stopped = false;
    const writer = async () => {
      while (!stopped) {
        const title = `task ${next++}`;
        try {
          const response = await client.post(`/api/v1/lists/${list.id}/tasks`, { title });
          if (response.status === 201) acknowledged.push(title);
          else otherStatuses.push(response.status);
          if (response.status === 503) refusals.push(response.body);
        } catch {
          await sleep(20); // refused or cut: the node is going
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await sleep(500);
    node.child.kill('SIGTERM');
    const exit = await node.exited;
    stopped = true;
    await Promise.all(writers);
    expect(exit.code).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(otherStatuses.filter((status) => status !== 503)).toEqual([]);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'service_unavailable', requestId: expect.any(String) });

    const restarted = await serve(node.dataDir);
    const reader = new ApiClient(restarted.url);
    reader.cookie = client.cookie;
    const titles = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { title: string }[]; nextCursor: string | null } } = await reader.get(
        `/api/v1/lists/${list.id}/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const task of page.body.items) titles.add(task.title);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(acknowledged.filter((title) => !titles.has(title))).toEqual([]);
  }, 30_000);

  it('closes WebSockets with 1001 going away, and does not wait 30 s for a client that never answers the close', async () => {
    const node = await serve();
    const { client } = await createUser(node.url);
    const socket = await TestSocket.open(node.url, client);
    // A client that never reads or answers (its upgrade sent by hand).
    const { hostname, port, host } = new URL(node.url);
    const silent = net.connect(Number(port), hostname);
    silent.on('error', () => {});
    silent.write(
      `GET /api/v1/realtime HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${node.url}\r\nCookie: ${client.cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(String(await new Promise((resolve) => silent.once('data', resolve)))).toMatch(/^HTTP\/1\.1 101 /);
    silent.pause();
    const signalledAt = Date.now();
    node.child.kill('SIGTERM');
    expect(await socket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const exit = await node.exited;
    silent.destroy();
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(5_000);
  }, 30_000);
});

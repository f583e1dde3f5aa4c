/**
 * Foundation benchmark (issue 2): task create/update throughput and p99 over keep-alive HTTP on SQLite,
 * GET of a list holding 10,000 tasks, and time until `listo serve` is ready. Run: `npm run build && npx tsx bench/http.bench.ts`
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { machine, median, startBuiltServer, signUpWithToken } from './support.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.json() as Promise<any>;
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
}

const readyTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const server = await startBuiltServer(3900 + i);
  readyTimes.push(server.readyMs);
  await server.stop();
}

// Baseline in the same run: bare Fastify, same payload, no auth and no database.
const bare = spawn(process.execPath, [path.join(import.meta.dirname, 'bare-fastify.mjs')], { env: { ...process.env, PORT: '3911' }, stdio: 'inherit' });
await new Promise((r) => setTimeout(r, 800));
const baseline = await load({
  url: 'http://127.0.0.1:3911/echo',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'Benchmark task', priority: 2 }),
  connections,
  duration: seconds,
});
bare.kill();

const server = await startBuiltServer(3910);
try {
  const { token } = await signUpWithToken(server.url);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const list = await api(server.url, token, 'POST', '/api/v1/lists', { name: 'Bench' });

  const create = await load({
    url: `${server.url}/api/v1/lists/${list.id}/tasks`,
    method: 'POST',
    headers,
    body: JSON.stringify({ title: 'Benchmark task', priority: 2 }),
    connections,
    duration: seconds,
  });

  // As the web app sends it: every create carries a fresh Idempotency-Key (claimed and stored in the database).
  let key = 0;
  const keyedCreate = await load({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/lists/${list.id}/tasks`,
          headers: { ...headers, 'idempotency-key': `bench-${key++}` },
          body: JSON.stringify({ title: 'Benchmark task', priority: 2 }),
        }),
      },
    ],
  });

  const page = await api(server.url, token, 'GET', `/api/v1/lists/${list.id}/tasks?limit=1000`);
  const ids: string[] = page.items.map((t: { id: string }) => t.id);
  let n = 0;
  const update = await load({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'PATCH',
        headers,
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/tasks/${ids[n++ % ids.length]}`,
          body: JSON.stringify({ title: `Renamed ${n}`, done: n % 2 === 0 }),
        }),
      },
    ],
  });

  // A list of exactly 10,000 tasks.
  const big = await api(server.url, token, 'POST', '/api/v1/lists', { name: '10k' });
  await load({
    url: `${server.url}/api/v1/lists/${big.id}/tasks`,
    method: 'POST',
    headers,
    body: JSON.stringify({ title: 'One of ten thousand', notes: 'Some notes to make the payload realistic.' }),
    connections: 16,
    amount: 10_000,
  });
  const times: number[] = [];
  const serverTimes: number[] = [];
  let count = 0;
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/lists/${big.id}/tasks?limit=10000`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { items: unknown[] };
    times.push(performance.now() - started);
    serverTimes.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
    count = body.items.length;
  }

  const row = (name: string, r: autocannon.Result) =>
    `${name.padEnd(25)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
  console.log(`\nListo HTTP benchmark — ${machine()}; SQLite; ${connections} keep-alive connections, ${seconds}s each`);
  console.log(row('bare Fastify', baseline));
  console.log(row('create task', create));
  console.log(row('create + Idempotency-Key', keyedCreate));
  console.log(row('update task', update));
  console.log(
    `GET 10k tasks  median ${median(serverTimes).toFixed(1)} ms server time (Server-Timing), ${median(times).toFixed(1)} ms round trip incl. client JSON parse (${count} tasks, 15 runs)`,
  );
  console.log(`ready after    median ${median(readyTimes).toFixed(0)} ms from spawn to /readyz (5 starts: ${readyTimes.map((t) => t.toFixed(0)).join(', ')})`);
} finally {
  await server.stop();
}

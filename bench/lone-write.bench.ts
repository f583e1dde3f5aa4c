/**
 * Lone writes: one task update (PATCH) or create at a time, at a low fixed rate, as a person using the
 * app makes them (a keyed create carries an `Idempotency-Key`, as the web app sends every create). Reports the client's round trip and the server's own time (`Server-Timing`), p50 and
 * p99, on SQLite and on PostgreSQL. At 20 writes a second every request finds the server idle and its
 * caches cold, so this is the latency a collaborator's change starts with (bench/realtime.bench.ts adds
 * the fan-out to it).
 *
 * Run: `npm run build && npx tsx bench/lone-write.bench.ts` (BENCH_WRITES, BENCH_RATE, BENCH_SKIP_PG=1, BENCH_SKIP_SQLITE=1).
 */
import { freshPostgresSchema, machine, percentile, signUpWithToken, startBuiltServer } from './support.js';

const writes = Number(process.env.BENCH_WRITES ?? 400);
const rate = Number(process.env.BENCH_RATE ?? 20);
const warmup = 50;
const kinds = ['update', 'create', 'keyed create'] as const;
type Kind = (typeof kinds)[number];

async function measure(env: Record<string, string>, kind: Kind) {
  const server = await startBuiltServer(4700 + Math.floor(Math.random() * 200), env);
  try {
    const { token } = await signUpWithToken(server.url, 'Lone');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: object) =>
      (await (await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id: string };
    const list = await post('/api/v1/lists', { name: 'Lone writes' });
    const task = await post(`/api/v1/lists/${list.id}/tasks`, { title: 'first' });
    const roundTrips: number[] = [];
    const serverTimes: number[] = [];
    for (let i = 0; i < warmup + writes; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
      const started = performance.now();
      const response =
        kind !== 'update'
          ? await fetch(`${server.url}/api/v1/lists/${list.id}/tasks`, {
              method: 'POST',
              headers: kind === 'keyed create' ? { ...headers, 'idempotency-key': `lone-create-${i}` } : headers,
              body: JSON.stringify({ title: `Task ${i}` }),
            })
          : await fetch(`${server.url}/api/v1/tasks/${task.id}`, {
              method: 'PATCH',
              headers: { ...headers, 'idempotency-key': `lone-${i}` },
              body: JSON.stringify({ title: `Title ${i}` }),
            });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${kind} answered ${response.status}`);
      if (i < warmup) continue;
      roundTrips.push(performance.now() - started);
      serverTimes.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
    }
    roundTrips.sort((a, b) => a - b);
    serverTimes.sort((a, b) => a - b);
    return { roundTrips, serverTimes };
  } finally {
    await server.stop();
  }
}

const results: string[] = [];
const databases: [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [];
if (process.env.BENCH_SKIP_SQLITE !== '1') databases.push(['SQLite', async () => ({ env: {}, drop: async () => {} })]);
if (process.env.BENCH_SKIP_PG !== '1') databases.push(['PostgreSQL', () => freshPostgresSchema('bench_lone')]);
for (const [name, open] of databases) {
  for (const kind of kinds) {
    const database = await open();
    try {
      const { roundTrips, serverTimes } = await measure(database.env, kind);
      const ms = (x: number) => x.toFixed(2).padStart(6);
      results.push(
        `${name.padEnd(10)} ${kind.padEnd(12)} round trip p50 ${ms(percentile(roundTrips, 50))} p99 ${ms(percentile(roundTrips, 99))} | server p50 ${ms(percentile(serverTimes, 50))} p99 ${ms(percentile(serverTimes, 99))} ms`,
      );
    } finally {
      await database.drop();
    }
  }
}
console.log(`\nListo lone writes — ${machine()}; ${writes} writes at ${rate}/s each, one at a time`);
for (const line of results) console.log(line);

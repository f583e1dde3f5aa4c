/**
 * Due tasks (`GET /api/v1/tasks/due`, the web app's Upcoming and the CLI's `today`): one person with many tasks over
 * 20 lists, a third of them with a due date spread over 90 days, a tenth of those done. Asks for the next 7 days
 * (`through`), and for everything dated (no `through`), 100 a page; reports the server's own time (`Server-Timing`)
 * and the round trip, p50 and p99, on SQLite and PostgreSQL. Beside them, in the same run, the first page of one list
 * (`GET /lists/:id/tasks?limit=100`, the hot path every screen reads), as the scale to judge it by. No index serves
 * the due query (ARCHITECTURE.md, "Due tasks"): it reads the person's open tasks, so time grows with them.
 *
 * Run: `npm run build && npx tsx bench/due.bench.ts` (BENCH_TASKS=10000,50000, BENCH_QUERIES=200, BENCH_SKIP_PG=1,
 * BENCH_SKIP_SQLITE=1).
 */
import { freshPostgresSchema, machine, percentile, signUpWithToken, startBuiltServer } from './support.js';

const sizes = (process.env.BENCH_TASKS ?? '10000,50000').split(',').filter(Boolean).map(Number);
const queries = Number(process.env.BENCH_QUERIES ?? 200);
const lists = 20;
const day = (offset: number) => new Date(Date.UTC(2026, 11, 1) + offset * 86_400_000).toISOString().slice(0, 10);

async function measure(env: Record<string, string>, tasks: number) {
  const server = await startBuiltServer(4900 + Math.floor(Math.random() * 90), env);
  try {
    const { token } = await signUpWithToken(server.url, 'Due');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const send = async (method: string, path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method, headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as { id: string };
    };
    const listIds: string[] = [];
    for (let i = 0; i < lists; i++) listIds.push((await send('POST', '/api/v1/lists', { name: `List ${i}` })).id);
    let next = 0;
    const seed = async () => {
      for (let i = next++; i < tasks; i = next++) {
        const dated = i % 3 === 0;
        const dueDate = !dated ? undefined : i % 2 === 0 ? day((i * 7) % 90) : { dateTime: `${day((i * 11) % 90)}T09:30`, timeZone: 'Europe/Paris' };
        const task = await send('POST', `/api/v1/lists/${listIds[i % lists]}/tasks`, { title: `Task ${i}`, dueDate, priority: 1 + (i % 4) });
        if (dated && i % 10 === 0) await send('PATCH', `/api/v1/tasks/${task.id}`, { done: true });
      }
    };
    await Promise.all(Array.from({ length: 16 }, seed));

    const asks: [string, string][] = [
      ['due, next 7 days', `/api/v1/tasks/due?through=${day(6)}&limit=100`],
      ['due, everything dated', '/api/v1/tasks/due?limit=100'],
      ['one list, first page', `/api/v1/lists/${listIds[0]}/tasks?limit=100`],
    ];
    const results: { ask: string; server: number[]; roundTrip: number[]; found: number }[] = [];
    for (const [ask, path] of asks) {
      const serverTimes: number[] = [];
      const roundTrip: number[] = [];
      let found = 0;
      for (let i = 0; i < queries; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`, { headers });
        const body = (await response.json()) as { items: unknown[] };
        if (!response.ok) throw new Error(`${path} answered ${response.status}`);
        roundTrip.push(performance.now() - started);
        serverTimes.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
        found = body.items.length;
      }
      results.push({ ask, server: serverTimes.sort((a, b) => a - b), roundTrip: roundTrip.sort((a, b) => a - b), found });
    }
    return results;
  } finally {
    await server.stop();
  }
}

const databases: [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [];
if (process.env.BENCH_SKIP_SQLITE !== '1') databases.push(['SQLite', async () => ({ env: {}, drop: async () => {} })]);
if (process.env.BENCH_SKIP_PG !== '1') databases.push(['PostgreSQL', () => freshPostgresSchema('bench_due')]);

const lines: string[] = [];
for (const tasks of sizes) {
  for (const [name, open] of databases) {
    const database = await open();
    try {
      const ms = (x: number) => x.toFixed(2).padStart(7);
      for (const r of await measure(database.env, tasks)) {
        lines.push(
          `${String(tasks).padStart(6)} tasks ${name.padEnd(10)} ${r.ask.padEnd(22)} page ${String(r.found).padStart(3)} | server p50 ${ms(percentile(r.server, 50))} p99 ${ms(percentile(r.server, 99))} | round trip p50 ${ms(percentile(r.roundTrip, 50))} p99 ${ms(percentile(r.roundTrip, 99))} ms`,
        );
      }
    } finally {
      await database.drop();
    }
  }
}
console.log(`\nListo due tasks — ${machine()}; ${queries} requests each, one at a time, ${lists} lists`);
for (const line of lines) console.log(line);

/**
 * Task search (`GET /api/v1/tasks/search`): one person with many tasks over 20 lists, searched for words that match
 * a few, many or none of them. Reports the server's own time (`Server-Timing`) and the round trip, p50 and p99, on
 * SQLite and on PostgreSQL. Search is a substring scan of the caller's tasks (ARCHITECTURE.md, "Search"), so time
 * grows with how many tasks the person can see: this measures how far that holds.
 *
 * Then the adversarial case: one person whose tasks each hold 20,000 'a's in their notes searches for 199 'a's and a
 * 'b' (a `like '%…%'` cost about pattern length × text length per task), while another person asks for
 * `GET /api/v1/me`: it waits for the search if the search holds the event loop (SQLite before its reader thread).
 *
 * Run: `npm run build && npx tsx bench/search.bench.ts` (BENCH_TASKS=10000,50000 or '' to skip, BENCH_QUERIES,
 * BENCH_ADVERSARIAL_TASKS=1000 or 0 to skip, BENCH_ADVERSARIAL_QUERIES=5, BENCH_SKIP_PG=1, BENCH_SKIP_SQLITE=1).
 */
import { freshPostgresSchema, machine, median, percentile, signUpWithToken, startBuiltServer } from './support.js';

const sizes = (process.env.BENCH_TASKS ?? '10000,50000').split(',').filter(Boolean).map(Number);
const adversarialTasks = Number(process.env.BENCH_ADVERSARIAL_TASKS ?? 1000);
const adversarialQueries = Number(process.env.BENCH_ADVERSARIAL_QUERIES ?? 5);
const adversarialQuery = `${'a'.repeat(199)}b`;
const queries = Number(process.env.BENCH_QUERIES ?? 200);
const lists = 20;
const words = ['milk', 'bread', 'report', 'invoice', 'garden', 'call', 'email', 'review', 'plan', 'book', 'train', 'dentist', 'paint', 'taxes', 'gift'];
/** What people type: a common word, a rarer pair, a word's start, and a word no task has. */
const searches = ['report', 'garden plan', 'dent', 'zebra'];

async function measure(env: Record<string, string>, tasks: number) {
  const server = await startBuiltServer(4900 + Math.floor(Math.random() * 90), env);
  try {
    const { token } = await signUpWithToken(server.url, 'Search');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as { id: string };
    };
    const listIds: string[] = [];
    for (let i = 0; i < lists; i++) listIds.push((await post('/api/v1/lists', { name: `List ${i}` })).id);
    // Seeded through the API, 16 at a time, so every task's search text is written as in use.
    let next = 0;
    const seed = async () => {
      for (let i = next++; i < tasks; i = next++) {
        const title = `${words[i % words.length]} ${words[(i * 7) % words.length]} number ${i}`;
        await post(`/api/v1/lists/${listIds[i % lists]}/tasks`, { title, notes: i % 3 === 0 ? `notes about ${words[(i * 5) % words.length]}` : '' });
      }
    };
    await Promise.all(Array.from({ length: 16 }, seed));

    const results: Record<string, { server: number[]; roundTrip: number[]; found: number }> = {};
    for (const q of searches) {
      const server_: number[] = [];
      const roundTrip: number[] = [];
      let found = 0;
      for (let i = 0; i < queries; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/v1/tasks/search?q=${encodeURIComponent(q)}&limit=50`, { headers });
        const body = (await response.json()) as { items: unknown[] };
        if (!response.ok) throw new Error(`search answered ${response.status}`);
        roundTrip.push(performance.now() - started);
        server_.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
        found = body.items.length;
      }
      results[q] = { server: server_.sort((a, b) => a - b), roundTrip: roundTrip.sort((a, b) => a - b), found };
    }
    return results;
  } finally {
    await server.stop();
  }
}

/** The adversarial search, and how long another person's `GET /api/v1/me` sent 20 ms after it takes meanwhile. */
async function measureAdversarial(env: Record<string, string>, tasks: number) {
  const server = await startBuiltServer(4900 + Math.floor(Math.random() * 90), env);
  try {
    const { token } = await signUpWithToken(server.url, 'Adversary');
    const other = await signUpWithToken(server.url, 'Bystander');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as { id: string };
    };
    const listId = (await post('/api/v1/lists', { name: 'Many a' })).id;
    const notes = 'a'.repeat(20_000);
    let next = 0;
    const seed = async () => {
      for (let i = next++; i < tasks; i = next++) await post(`/api/v1/lists/${listId}/tasks`, { title: `task ${i}`, notes });
    };
    await Promise.all(Array.from({ length: 8 }, seed));

    const search: number[] = [];
    const searchServer: number[] = [];
    const bystander: number[] = [];
    let status = 0;
    for (let i = 0; i < adversarialQueries; i++) {
      const started = performance.now();
      const searching = fetch(`${server.url}/api/v1/tasks/search?q=${encodeURIComponent(adversarialQuery)}&limit=50`, { headers }).then(async (response) => {
        await response.arrayBuffer();
        status = response.status;
        search.push(performance.now() - started);
        searchServer.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const asked = performance.now();
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${other.token}` } });
      await me.arrayBuffer();
      if (!me.ok) throw new Error(`/api/v1/me answered ${me.status}`);
      bystander.push(performance.now() - asked);
      await searching;
    }
    return { status, search: median(search), searchServer: median(searchServer), bystander: median(bystander) };
  } finally {
    await server.stop();
  }
}

const databases: [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [];
if (process.env.BENCH_SKIP_SQLITE !== '1') databases.push(['SQLite', async () => ({ env: {}, drop: async () => {} })]);
if (process.env.BENCH_SKIP_PG !== '1') databases.push(['PostgreSQL', () => freshPostgresSchema('bench_search')]);

const lines: string[] = [];
for (const tasks of sizes) {
  for (const [name, open] of databases) {
    const database = await open();
    try {
      const results = await measure(database.env, tasks);
      const ms = (x: number) => x.toFixed(2).padStart(7);
      for (const [q, r] of Object.entries(results)) {
        lines.push(
          `${String(tasks).padStart(6)} tasks ${name.padEnd(10)} q=${JSON.stringify(q).padEnd(14)} first page ${String(r.found).padStart(2)} | server p50 ${ms(percentile(r.server, 50))} p99 ${ms(percentile(r.server, 99))} | round trip p50 ${ms(percentile(r.roundTrip, 50))} p99 ${ms(percentile(r.roundTrip, 99))} ms`,
        );
      }
    } finally {
      await database.drop();
    }
  }
}
const adversarialLines: string[] = [];
if (adversarialTasks > 0) {
  for (const [name, open] of databases) {
    const database = await open();
    try {
      const r = await measureAdversarial(database.env, adversarialTasks);
      const ms = (x: number) => x.toFixed(1).padStart(8);
      adversarialLines.push(
        `${String(adversarialTasks).padStart(6)} tasks ${name.padEnd(10)} answered ${r.status} | search server ${ms(r.searchServer)} round trip ${ms(r.search)} | another person's GET /me ${ms(r.bystander)} ms`,
      );
    } finally {
      await database.drop();
    }
  }
}
console.log(`\nListo task search — ${machine()}; ${queries} searches each, one at a time, ${lists} lists`);
for (const line of lines) console.log(line);
if (adversarialLines.length > 0) {
  console.log(`\nAdversarial: notes of 20,000 'a's, q = 199 'a's + 'b'; medians of ${adversarialQueries}, GET /me sent 20 ms after each search`);
  for (const line of adversarialLines) console.log(line);
}

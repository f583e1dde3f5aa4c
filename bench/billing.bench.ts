/**
 * Billing benchmark (issue 6), on SQLite: ingest 1,000,000 usage events of one workspace over HTTP in
 * batches of 1,000 (events/s), then time rating the period that holds them (median), finalizing it,
 * and the live usage estimate (median over HTTP and in process).
 *
 * Run: `npx tsx bench/billing.bench.ts` (BENCH_EVENTS=1000000, BENCH_CONCURRENCY=1).
 * The server runs in this process (built from source by tsx); the client shares its event loop, so
 * the ingest figure includes the client's cost of sending.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.js';
import { systemClock } from '../src/server/clock.js';
import { loadConfig } from '../src/server/config.js';
import { listPhases, findLiveSubscription } from '../src/server/billing/subscription.repository.js';
import { machine, median, percentile } from './support.js';

const totalEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
/** `time`: events arrive roughly in time order, as metering clients send them; `random`: each batch spans the whole month. */
const order = process.env.BENCH_ORDER === 'random' ? 'random' : 'time';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-billing-bench-'));
const adminEmail = `bench.${Date.now()}@bench.local`;
// Named an administrator once its account exists: an administrator's address cannot sign up.
const config = loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const app = await buildApp(config, { clock: systemClock });
const url = await app.listen({ port: 0, host: '127.0.0.1' });

async function call<T = any>(method: string, route: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url + route, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

// An operator with an API token.
const signup = await fetch(`${url}/api/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: adminEmail, password: 'benchmark-password', name: 'Bench' }),
});
const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
config.adminEmails.add(adminEmail);
const { token } = await call<{ token: string }>('POST', '/api/v1/tokens', { name: 'bench' }, { cookie, origin: url });
const auth = { authorization: `Bearer ${token}` };

const workspace = await call<{ id: string }>('POST', '/api/v1/workspaces', { name: 'Bench workspace' }, auth);
await call('POST', '/api/v1/billing/meters', { code: 'api_calls', name: 'API calls', aggregation: 'sum' }, auth);
await call('POST', '/api/v1/billing/meters', { code: 'unique_users', name: 'Unique users', aggregation: 'unique_count', property: 'user' }, auth);
await call(
  'POST',
  '/api/v1/billing/plans',
  {
    code: 'bench',
    name: 'Bench',
    interval: 'month',
    currency: 'EUR',
    amount: '49',
    payInAdvance: false,
    minimum: '100',
    charges: [
      {
        meter: 'api_calls',
        model: 'graduated',
        tiers: [
          { upTo: 100_000, unitAmount: '0.001' },
          { upTo: null, unitAmount: '0.0005' },
        ],
      },
      {
        meter: 'unique_users',
        model: 'volume',
        tiers: [
          { upTo: 1000, unitAmount: '0.10' },
          { upTo: null, unitAmount: '0.05' },
        ],
      },
      { meter: 'tasks_created', model: 'package', packageSize: 1000, packageAmount: '1' },
      { meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '0.10' },
      { meter: 'active_members', model: 'standard', unitAmount: '8' },
    ],
  },
  auth,
);
// January on a test clock frozen at the 31st, noon: every event of the month is within the 35-day window.
const clock = await call<{ id: string }>('POST', '/api/v1/billing/test-clocks', { frozenTime: '2026-01-31T12:00:00Z' }, auth);
await call('PUT', `/api/v1/workspaces/${workspace.id}/subscription`, { plan: 'bench', startAt: '2026-01-01T00:00:00Z', testClockId: clock.id }, auth);

// Events: half API calls, a fifth unique users, the rest tasks, storage and active members, spread over the month.
const start = Date.parse('2026-01-01T00:00:00Z');
const span = Date.parse('2026-01-31T12:00:00Z') - start;
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
function batch(index: number): string {
  const events = [];
  for (let i = 0; i < batchSize; i += 1) {
    const n = index * batchSize + i;
    // In time order, with up to 10 minutes of jitter (clients batch and retry); or anywhere in the month.
    const at =
      order === 'time' ? Math.min(span - 1, Math.max(0, Math.floor((n / totalEvents) * span + (random() - 0.5) * 600_000))) : Math.floor(random() * span);
    const timestamp = new Date(start + at).toISOString();
    const kind = n % 10;
    const base = { id: `evt-${n}`, workspaceId: workspace.id, timestamp };
    if (kind < 5) events.push({ ...base, meter: 'api_calls', value: String(1 + (n % 7)) });
    else if (kind < 7) events.push({ ...base, meter: 'unique_users', properties: { user: `user-${Math.floor(random() * 5000)}` } });
    else if (kind === 7) events.push({ ...base, meter: 'tasks_created' });
    else if (kind === 8) events.push({ ...base, meter: 'storage_bytes', value: String(1_000_000 + (n % 100_000) * 1000) });
    else events.push({ ...base, meter: 'active_members', properties: { userId: `member-${Math.floor(random() * 300)}` } });
  }
  return JSON.stringify({ events });
}

const batches = Math.ceil(totalEvents / batchSize);
console.log(`machine: ${machine()}`);
console.log(`preparing ${batches} batches of ${batchSize} events…`);
const bodies = Array.from({ length: batches }, (_, index) => batch(index));

const latencies: number[] = [];
let next = 0;
let accepted = 0;
const ingestStarted = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const sent = performance.now();
      const result = await call<{ accepted: number; rejected: unknown[] }>('POST', '/api/v1/billing/events', body, auth);
      latencies.push(performance.now() - sent);
      accepted += result.accepted;
      if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
      if (next % 100 === 0) process.stderr.write(`\ringested ${next * batchSize}`);
    }
  }),
);
const ingestSeconds = (performance.now() - ingestStarted) / 1000;
process.stderr.write('\n');
latencies.sort((a, b) => a - b);
console.log(
  `ingest: ${accepted.toLocaleString('en')} events in ${ingestSeconds.toFixed(1)} s = ${Math.round(accepted / ingestSeconds).toLocaleString('en')} events/s ` +
    `(batches of ${batchSize}, ${order === 'time' ? 'in time order' : 'random times'}, ${concurrency} client${concurrency > 1 ? 's' : ''}; batch p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms)`,
);

// Rating the period (what finalization does, twice: draft then final), in process.
const billing = app.billing;
const db = app.listo.db.kysely;
const subscription = (await findLiveSubscription(db, workspace.id))!;
const phases = await listPhases(db, subscription.id);
const period = await billing.rating.periodAt(subscription, phases, subscription.current_period_start);
const rateTimes: number[] = [];
let rated;
for (let i = 0; i < 5; i += 1) {
  const began = performance.now();
  rated = await billing.rating.ratePeriod(db, subscription, phases, period, {
    includeNextAdvance: true,
    extraLines: [],
    extraMeta: new Map(),
    taxRate: '0.2',
    cutoff: 0,
  });
  rateTimes.push(performance.now() - began);
}
console.log(
  `rate the period (${totalEvents.toLocaleString('en')} events): median ${median(rateTimes).toFixed(1)} ms (runs: ${rateTimes.map((t) => t.toFixed(0)).join(', ')})`,
);
console.log(`  quantities: ${JSON.stringify(rated!.quantities)}, total ${rated!.total} ${rated!.currency}`);

// Per meter, to show where rating time goes.
for (const charge of (await billing.plans.requirePlan('bench')).charges) {
  const meter = await billing.meters.requireMeter(charge.meter);
  const times: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const began = performance.now();
    await meter.quantity({ db, workspaceId: workspace.id, period, from: period.start, to: period.end, activeMembersWindowDays: 28 });
    times.push(performance.now() - began);
  }
  console.log(`  ${charge.meter}: median ${median(times).toFixed(1)} ms`);
}

// The live usage estimate.
const usageTimes: number[] = [];
const serviceTimes: number[] = [];
for (let i = 0; i < 50; i += 1) {
  let began = performance.now();
  await call('GET', `/api/v1/workspaces/${workspace.id}/usage`, undefined, auth);
  usageTimes.push(performance.now() - began);
  const userId = (await db.selectFrom('users').select('id').where('email', '=', adminEmail).executeTakeFirstOrThrow()).id;
  began = performance.now();
  await billing.subscriptions.getUsage(userId, workspace.id);
  serviceTimes.push(performance.now() - began);
}
console.log(
  `live usage estimate: median ${median(usageTimes).toFixed(1)} ms over HTTP (p99 ${percentile(
    [...usageTimes].sort((a, b) => a - b),
    99,
  ).toFixed(1)} ms), ${median(serviceTimes).toFixed(1)} ms in process`,
);

// Closing January: draft, then final after the grace hour.
let began = performance.now();
await call('POST', `/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-02-01T00:30:00Z' }, auth);
const draftMs = performance.now() - began;
began = performance.now();
const finalized = await call<{ closed: { invoicesFinalized: number } }>(
  'POST',
  `/api/v1/billing/test-clocks/${clock.id}/advance`,
  { frozenTime: '2026-02-01T01:30:00Z' },
  auth,
);
const finalMs = performance.now() - began;
console.log(`close the period: draft ${draftMs.toFixed(0)} ms, finalize ${finalMs.toFixed(0)} ms (${finalized.closed.invoicesFinalized} invoice)`);

await app.close();
if (process.env.BENCH_KEEP) console.log(`kept the database in ${dataDir}`);
else fs.rmSync(dataDir, { recursive: true, force: true });

/**
 * The floor under write throughput: raw better-sqlite3 (no HTTP, no Kysely) committing one small
 * transaction at a time — a task row and an activity row, with indexes like Listo's — in WAL mode,
 * with synchronous=NORMAL (the WAL is synced only at checkpoints) and FULL (synced at every commit, as
 * Listo runs it). Run: `npx tsx bench/sqlite-commit.bench.ts` (BENCH_TRANSACTIONS).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { machine } from './support.js';

const n = Number(process.env.BENCH_TRANSACTIONS ?? 20_000);

/** One small transaction at a time on a fresh database: µs per transaction and µs spent in COMMIT. */
function commitCost(synchronous: 'NORMAL' | 'FULL') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-commit-'));
  const db = new Database(path.join(dir, 'x.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`create table t (id text primary key, list text, pos text, body text); create index t_lp on t(list, pos, id);
           create table e (id text primary key, list text, v int, data text, unique(list, v)); create index e_w on e(list, id);`);
  const insertTask = db.prepare('insert into t values (?,?,?,?)');
  const insertEvent = db.prepare('insert into e values (?,?,?,?)');
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');
  let inCommit = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    begin.run();
    insertTask.run(crypto.randomUUID(), 'L', `a${i}`, 'x'.repeat(200));
    insertEvent.run(crypto.randomUUID(), 'L', i, 'y'.repeat(400));
    const before = performance.now();
    commit.run();
    inCommit += performance.now() - before;
  }
  const perTxn = ((performance.now() - started) / n) * 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { perTxn, inCommit: (inCommit / n) * 1000 };
}

console.log(`SQLite commit floor — ${machine()}`);
for (const synchronous of ['NORMAL', 'FULL'] as const) {
  const { perTxn, inCommit } = commitCost(synchronous);
  console.log(
    `synchronous=${synchronous.padEnd(6)} ${n} transactions: ${perTxn.toFixed(0)} µs each (${inCommit.toFixed(0)} µs in COMMIT) → at most ${Math.round(1e6 / perTxn)} single-transaction writes/s`,
  );
}

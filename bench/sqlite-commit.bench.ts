/**
 * The floor under write throughput: raw better-sqlite3 (no HTTP, no Kysely) committing one small
 * transaction at a time — a task row and an activity row, with indexes like Listo's — in WAL mode,
 * with synchronous=NORMAL (the WAL is synced only at checkpoints) and FULL (synced at every commit, as
 * Listo runs it). Run: `npx tsx bench/sqlite-commit.bench.ts` (BENCH_TRANSACTIONS).
 *
 * With BENCH_RATE (transactions per second, e.g. 20 as in bench/realtime.bench.ts) commits are paced
 * instead of back to back, and COMMIT's p50/p99 is reported: a sync on a disk that has been idle for
 * 50 ms costs more than one right after another, and its tail is what a lone write's p99 inherits.
 * Beside them, the disk's own floor: overwriting 40 KiB of a file (about what a task write's commit
 * appends to the WAL) and syncing it with `fsync` (what SQLite calls, as better-sqlite3 builds it)
 * or `fdatasync`, at the same pace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { machine, percentile } from './support.js';

const rate = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : null;
const n = Number(process.env.BENCH_TRANSACTIONS ?? (rate ? 1_000 : 20_000));
const sleeper = new Int32Array(new SharedArrayBuffer(4));

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
  const commits: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    if (rate) Atomics.wait(sleeper, 0, 0, Math.max(0, started + (i * 1000) / rate - performance.now()));
    begin.run();
    insertTask.run(crypto.randomUUID(), 'L', `a${i}`, 'x'.repeat(200));
    insertEvent.run(crypto.randomUUID(), 'L', i, 'y'.repeat(400));
    const before = performance.now();
    commit.run();
    commits.push((performance.now() - before) * 1000);
  }
  const perTxn = ((performance.now() - started) / n) * 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const inCommit = commits.reduce((sum, us) => sum + us, 0) / n;
  commits.sort((a, b) => a - b);
  return { perTxn, inCommit, p50: percentile(commits, 50), p99: percentile(commits, 99) };
}

/** Paced 40 KiB overwrites of a preallocated file, each followed by `sync`: µs per sync, sorted. */
function rawSyncCost(sync: (fd: number) => void): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-sync-'));
  const fd = fs.openSync(path.join(dir, 'wal'), 'w+');
  const size = 4 << 20;
  fs.writeSync(fd, Buffer.alloc(size), 0, size, 0);
  fs.fsyncSync(fd);
  const frames = Buffer.alloc(40 << 10, 1);
  const syncs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    Atomics.wait(sleeper, 0, 0, Math.max(0, started + (i * 1000) / rate! - performance.now()));
    fs.writeSync(fd, frames, 0, frames.length, (i * frames.length) % size);
    const before = performance.now();
    sync(fd);
    syncs.push((performance.now() - before) * 1000);
  }
  fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
  return syncs.sort((a, b) => a - b);
}

console.log(`SQLite commit floor — ${machine()}${rate ? `; paced at ${rate} transactions/s` : ''}`);
for (const synchronous of ['NORMAL', 'FULL'] as const) {
  const { perTxn, inCommit, p50, p99 } = commitCost(synchronous);
  console.log(
    rate
      ? `synchronous=${synchronous.padEnd(6)} ${n} transactions: COMMIT p50 ${p50.toFixed(0)} µs, p99 ${p99.toFixed(0)} µs (mean ${inCommit.toFixed(0)})`
      : `synchronous=${synchronous.padEnd(6)} ${n} transactions: ${perTxn.toFixed(0)} µs each (${inCommit.toFixed(0)} µs in COMMIT) → at most ${Math.round(1e6 / perTxn)} single-transaction writes/s`,
  );
}
if (rate) {
  for (const [name, sync] of [
    ['fsync', fs.fsyncSync],
    ['fdatasync', fs.fdatasyncSync],
  ] as const) {
    const syncs = rawSyncCost(sync);
    console.log(`raw 40 KiB overwrite + ${name.padEnd(9)} ${n} times: p50 ${percentile(syncs, 50).toFixed(0)} µs, p99 ${percentile(syncs, 99).toFixed(0)} µs`);
  }
}

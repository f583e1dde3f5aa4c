/** Shared helpers for benchmarks: start a built server as a child process, sign up, summarize numbers. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface RunningServer {
  url: string;
  process: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts `node dist/server/cli.js serve` (a built checkout) and waits for /readyz. */
export async function startBuiltServer(port: number, env: Record<string, string> = {}): Promise<RunningServer> {
  const entry = path.join(repoRoot, 'dist/server/cli.js');
  if (!fs.existsSync(entry)) throw new Error('No build: run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-bench-'));
  const started = performance.now();
  // BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=bench/.prof`, profiles the servers (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // Benchmarks sign up many accounts from one address, and hold thousands of one account's sockets: no limits for them.
  const child = spawn(process.execPath, [...nodeArgs, entry, 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LISTO_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LISTO_SIGNUPS_PER_HOUR: '0',
      LISTO_SOCKETS_PER_USER: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 20_000) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    process: child,
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function signUpWithToken(url: string, name = 'Bench'): Promise<{ token: string; cookie: string }> {
  const email = `${name.toLowerCase()}.${Date.now()}.${Math.random().toString(36).slice(2)}@bench.local`;
  const signup = await fetch(`${url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'benchmark-password', name }),
  });
  const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: JSON.stringify({ name: 'bench' }),
  });
  return { token: ((await created.json()) as { token: string }).token, cookie };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A new, empty PostgreSQL schema for one server: the environment that points a server at it, and its removal. */
export async function freshPostgresSchema(prefix: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const schema = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  return {
    env: { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema },
    drop: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

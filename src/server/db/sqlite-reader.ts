/**
 * Long reads on SQLite, run by a second, read-only connection in a worker thread.
 *
 * better-sqlite3 runs every statement on the event loop: a read that scans a lot of text (a search of someone's
 * tasks) holds every other request of every user until it is done. Here such a read runs in a worker; the event
 * loop only hands it the compiled SQL and takes back the rows. WAL lets the reader see what has been committed
 * (every acknowledged write) while the writer goes on. Reads queue in the one worker: a long search delays other
 * searches, not the rest of the server. The worker starts with the first long read (after migrations) and is
 * started again if it dies.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// CommonJS, evaluated in the worker: no build step, no path to a compiled file.
const readLoop = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let statement = statements.get(message.sql);
    if (!statement) {
      statement = db.prepare(message.sql);
      if (statements.size > 100) statements.clear();
      statements.set(message.sql, statement);
    }
    parentPort.postMessage({ id: message.id, rows: statement.all(...message.parameters) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

export interface SqliteReader {
  /** Runs a read-only statement off the event loop; resolves with its rows. */
  read<Row>(sql: string, parameters: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

export function createSqliteReader(file: string): SqliteReader {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  /** The running worker and the reads it owes; each worker has its own, so a dying one fails only its own reads. */
  let current: { worker: Worker; pending: Map<number, Pending> } | null = null;
  let nextId = 0;
  let closed = false;

  function start(): { worker: Worker; pending: Map<number, Pending> } {
    const worker = new Worker(readLoop, { eval: true, workerData: { driver, file } });
    const pending = new Map<number, Pending>();
    const started = { worker, pending };
    worker.unref(); // never keeps the process alive on its own
    worker.on('message', (message: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else waiting.resolve(message.rows ?? []);
      if (pending.size === 0) worker.unref();
    });
    const failAll = (error: Error) => {
      if (current === started) current = null; // the next read starts a new worker
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the SQLite reader thread stopped')));
    return started;
  }

  return {
    read<Row>(sql: string, parameters: readonly unknown[]): Promise<Row[]> {
      if (closed) return Promise.reject(new Error('the database is closed'));
      current ??= start();
      const { worker, pending } = current;
      const id = nextId++;
      worker.ref(); // a read under way keeps the process alive until it answers
      return new Promise<Row[]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        worker.postMessage({ id, sql, parameters });
      });
    },
    async close(): Promise<void> {
      closed = true;
      const running = current;
      current = null;
      if (!running) return;
      const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
      running.worker.ref();
      running.worker.postMessage('stop');
      await exited;
    },
  };
}

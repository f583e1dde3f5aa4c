/**
 * Checkpoints the SQLite WAL from a worker thread.
 *
 * By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that one commit
 * copies megabytes back into the database file and fsyncs it, on the event loop — the writes that land
 * on it were the slowest percentile of every latency we measured. A second connection in a worker thread
 * runs a PASSIVE checkpoint every few milliseconds instead (it never blocks the writer), so when the
 * writer's own automatic checkpoint comes it finds almost nothing left to copy, and whenever writes
 * pause the WAL is fully copied back and restarts from its beginning.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// CommonJS, evaluated in the worker: no build step, no path to a compiled file.
const checkpointLoop = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or closing: the next round tries again
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  close(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 50): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(checkpointLoop, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref(); // never keeps the process alive on its own
  worker.on('error', () => {}); // without it the writer's own automatic checkpoints still keep the WAL bounded
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    close: () => {
      worker.ref(); // the process waits for the worker's connection to close
      worker.postMessage('stop');
      return exited;
    },
  };
}

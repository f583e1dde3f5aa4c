/**
 * Checkpoints the SQLite WAL from a worker thread.
 *
 * By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that one commit
 * copies megabytes back into the database file and fsyncs it, on the event loop, several times a second
 * under load. Here a second connection in a worker thread runs a PASSIVE checkpoint (it never blocks the
 * writer) once a second, and the writer's own automatic checkpoint is raised to 16,384 pages (64 MiB of
 * WAL): it remains the bound on the WAL's size, and finds little left to copy when it comes.
 *
 * Why not more often: every time the WAL has been copied back completely, the next write starts it again
 * from the beginning, and that write pays an fsync of the WAL header. Checkpointing every 50 ms made a
 * lone write's commit four times slower (0.5 ms instead of 0.14 ms, measured when commits did not sync, under
 * synchronous = NORMAL; see database.ts); once a second costs one such fsync
 * a second at most.
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

/** The writer's own automatic checkpoint, in pages: only the bound on the WAL's size now. */
export const writerAutoCheckpointPages = 16_384;

export function startCheckpointer(file: string, intervalMs = 1_000): Checkpointer {
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

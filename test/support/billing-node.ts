/**
 * Another Listo node, in its own process, for race tests: runs the billing close job `runs` times at once
 * against the database the environment names (LISTO_DATA_DIR, or DATABASE_URL + DATABASE_SCHEMA), then prints the results.
 * It prints `ready` once connected and starts when it reads a line on stdin, so a test can start it with its own runs.
 * Usage: node --import tsx test/support/billing-node.ts <testClockId> <now> <runs>
 */
import { once } from 'node:events';
import readline from 'node:readline';
import pino from 'pino';
import { createBilling } from '../../src/server/billing/billing.module.js';
import { systemClock } from '../../src/server/clock.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/database.js';
import { createLocalChangeBus } from '../../src/server/realtime/change-bus.js';

const [clockId, now, runs] = process.argv.slice(2);
const config = loadConfig(process.env);
const db = openDatabase(config);
const billing = createBilling({ config, db, clock: systemClock, log: pino({ level: 'silent' }), bus: createLocalChangeBus() });
try {
  await db.kysely.selectFrom('billing_counters').select('value').execute();
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  await once(lines, 'line');
  lines.close();
  const results = await Promise.all(
    Array.from({ length: Number(runs ?? 1) }, () => billing.job.closeDuePeriods({ testClockId: clockId!, now: new Date(now!) })),
  );
  process.stdout.write(JSON.stringify(results));
} finally {
  await db.close();
}

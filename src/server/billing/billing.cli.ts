/** `listo billing …`: close ended periods (the scheduled job, by hand) and run the pricing simulator, with a progress bar. */
import { parseArgs } from 'node:util';
import { simulateBody } from '../../core/schemas/billing.js';
import { createLogger } from '../app.js';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { createLocalChangeBus } from '../realtime/change-bus.js';
import { createBilling } from './billing.module.js';

export const billingUsage = `Usage:
  listo billing close [--at <ISO time>] [--test-clock <id>]
      Close every billing period that has ended by --at (default: now) and finalize the invoices
      whose grace period is over. Safe to run any number of times, on any number of nodes.
  listo billing simulate --from <ISO time> --to <ISO time> --plans <code,code> [--workspaces <id,id>]
      Replay the recorded engagement of that time under each plan; prints JSON on stdout.
`;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A text progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise. */
export function progressBar(stream: CliIo['stderr'], label: string) {
  let lastDecile = -1;
  return (done: number, total: number) => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const text = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.round(ratio * 100)}%`;
    if (stream.isTTY) {
      stream.write(`\r${text}${ratio === 1 ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${text}\n`);
    }
  };
}

const fixedClock = (at: Date): Clock => ({ now: () => new Date(at) });

export async function runBillingCommand(args: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = process): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'close' && subcommand !== 'simulate') {
    (subcommand ? io.stderr : io.stdout).write(`${subcommand ? `Unknown billing command: ${subcommand}\n\n` : ''}${billingUsage}`);
    return subcommand ? 1 : 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      at: { type: 'string' },
      'test-clock': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      plans: { type: 'string' },
      workspaces: { type: 'string' },
    },
    strict: true,
  });
  const at = values.at ? new Date(values.at) : null;
  if (at && Number.isNaN(at.getTime())) {
    io.stderr.write('--at must be an ISO time such as 2026-04-01T00:00:00Z\n');
    return 1;
  }

  const config = loadConfig(env);
  const db = openDatabase(config);
  try {
    await migrateToLatest(db, config.databaseSchema);
    const clock = at ? fixedClock(at) : systemClock;
    const billing = createBilling({ config, db, clock, log: createLogger(config), bus: createLocalChangeBus() });
    if (subcommand === 'close') {
      const result = await billing.job.closeDuePeriods({
        testClockId: values['test-clock'] ?? null,
        now: clock.now(),
        onProgress: progressBar(io.stderr, 'Closing'),
      });
      io.stdout.write(`Closed ${result.periodsClosed} period(s), finalized ${result.invoicesFinalized} invoice(s)${result.skippedBusy ? `, ${result.skippedBusy} left for the next run (database busy)` : ''}\n`);
      if (result.failed > 0) {
        io.stderr.write(`${result.failed} subscription(s) could not be closed; the log says why, and the next run tries them again\n`);
        return 1;
      }
      return 0;
    }
    const parsed = simulateBody.safeParse({
      from: values.from,
      to: values.to,
      plans: values.plans?.split(',').map((code) => code.trim()).filter(Boolean),
      ...(values.workspaces && { workspaceIds: values.workspaces.split(',').map((id) => id.trim()).filter(Boolean) }),
    });
    if (!parsed.success) {
      io.stderr.write(`${parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('\n')}\n\n${billingUsage}`);
      return 1;
    }
    const result = await billing.simulator.simulate(parsed.data, progressBar(io.stderr, 'Simulating'));
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `listo billing …`: close ended periods (the scheduled job, by hand) and run the pricing simulator, with a progress bar. */
import { parseArgs } from 'node:util';
import { AppError } from '../../core/errors.js';
import { simulateBody } from '../../core/schemas/billing.js';
import { isoInstant } from '../../core/schemas/common.js';
import { createLogger } from '../app.js';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { createLocalChangeBus } from '../realtime/change-bus.js';
import { createBilling } from './billing.module.js';
import { findTestClock } from './test-clock.repository.js';

export const billingUsage = `Usage:
  listo billing close [--at <ISO time>] [--test-clock <id>]
      Close every billing period that has ended by --at (default: now; with --test-clock, that clock's
      time) and finalize the invoices whose grace period is over. Safe to run any number of times, on
      any number of nodes.
  listo billing simulate --from <ISO time> --to <ISO time> --plans <code,code> [--workspaces <id,id>]
      Replay the recorded engagement of that time under each plan; prints JSON on stdout.
`;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where answers to questions come from (`listo login`, `listo users create`): process.stdin when not given. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
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

/** Exit codes: 0 done, 1 the command failed (its message says why), 2 the arguments were wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Wrong arguments: the message, then how to call the command. */
class UsageError extends Error {}

/** Each subcommand takes only its own options: another's (`close --plans`) is refused, not silently ignored. */
const optionsOf = {
  close: { at: { type: 'string' }, 'test-clock': { type: 'string' } },
  simulate: { from: { type: 'string' }, to: { type: 'string' }, plans: { type: 'string' }, workspaces: { type: 'string' } },
} as const;

type BillingArgs = { at?: string; 'test-clock'?: string; from?: string; to?: string; plans?: string; workspaces?: string };

function parseBillingArgs(subcommand: 'close' | 'simulate', rest: string[]): BillingArgs {
  try {
    // Every option is a string one; parseArgs cannot type a union of option sets.
    return parseArgs({ args: rest, options: optionsOf[subcommand], strict: true }).values as BillingArgs;
  } catch (error) {
    // parseArgs says what was wrong in one line (ERR_PARSE_ARGS_*); anything else is ours.
    if (String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message.split('\n')[0]);
    throw error;
  }
}

/**
 * `listo billing …`. Never throws for what the user typed or asked for: wrong arguments print a line and
 * the usage (exit 2), a refusal such as an unknown plan or test clock prints its message (exit 1).
 */
export async function runBillingCommand(args: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = process): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    io.stdout.write(billingUsage);
    return exitCodes.ok;
  }
  try {
    if (subcommand !== 'close' && subcommand !== 'simulate') throw new UsageError(`Unknown billing command: ${subcommand}`);
    return await runParsed(subcommand, parseBillingArgs(subcommand, rest), env, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`listo billing: ${error.message}\n\n${billingUsage}`);
      return exitCodes.usage;
    }
    if (error instanceof AppError) {
      io.stderr.write(`listo billing: ${error.message}\n`);
      return exitCodes.failed;
    }
    throw error;
  }
}

async function runParsed(subcommand: 'close' | 'simulate', values: BillingArgs, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (values.at !== undefined && !isoInstant.safeParse(values.at).success)
    throw new UsageError('--at must be an ISO time with its offset, such as 2026-04-01T00:00:00Z');
  const at = values.at === undefined ? null : new Date(values.at);
  let simulation: ReturnType<typeof simulateBody.parse> | null = null;
  if (subcommand === 'simulate') {
    const parsed = simulateBody.safeParse({
      from: values.from,
      to: values.to,
      plans: values.plans
        ?.split(',')
        .map((code) => code.trim())
        .filter(Boolean),
      ...(values.workspaces && {
        workspaceIds: values.workspaces
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      }),
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; '));
    simulation = parsed.data;
  }

  const config = loadConfig(env);
  const db = openDatabase(config);
  try {
    await migrateToLatest(db, config.databaseSchema);
    const clock = at ? fixedClock(at) : systemClock;
    const billing = createBilling({ config, db, clock, log: createLogger(config), bus: createLocalChangeBus() });
    if (subcommand === 'close') {
      const testClockId = values['test-clock'] ?? null;
      const testClock = testClockId === null ? null : await findTestClock(db.kysely, testClockId);
      if (testClockId !== null && !testClock) throw new AppError('not_found', `No test clock with the id ${testClockId}`);
      // Without --at, "now" for a test clock's subscriptions is the clock's time, as everywhere else they are billed.
      const now = at ?? (testClock ? new Date(testClock.frozen_time) : clock.now());
      const result = await billing.job.closeDuePeriods({ testClockId, now, onProgress: progressBar(io.stderr, 'Closing') });
      io.stdout.write(
        `Closed ${result.periodsClosed} period(s), finalized ${result.invoicesFinalized} invoice(s)${result.skippedBusy ? `, ${result.skippedBusy} left for the next run (database busy)` : ''}\n`,
      );
      if (result.failed > 0) {
        io.stderr.write(`${result.failed} subscription(s) could not be closed; the log says why, and the next run tries them again\n`);
        return exitCodes.failed;
      }
      return exitCodes.ok;
    }
    const result = await billing.simulator.simulate(simulation!, progressBar(io.stderr, 'Simulating'));
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return exitCodes.ok;
  } finally {
    await db.close();
  }
}

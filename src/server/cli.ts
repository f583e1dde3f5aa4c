/** The `listo` command: `listo serve`, `listo migrate` and `listo billing …` for operators; to-do commands for everyone (`src/cli/`). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp, createLogger } from './app.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { startMaintenance } from './jobs/maintenance.js';
import { exitCodes, runBillingCommand, type CliIo } from './billing/billing.cli.js';
import { CliError } from '../cli/api.js';
import { createPrompt, PromptError } from '../cli/prompt.js';
import { AppError } from '../core/errors.js';
import { signupBody } from '../core/schemas/auth.js';
import { systemClock } from './clock.js';
import { createAuthService } from './features/auth/auth.service.js';
import { createLocalChangeBus } from './realtime/change-bus.js';
import { isTodoCommand, runTodoCommand, todoUsage, TodoUsageError, type TodoCommand } from '../cli/todo.cli.js';

/**
 * `listo users create`: an account made by whoever runs the server. The only way to an administrator's account: sign-up
 * refuses their addresses, since nothing proves an address belongs to whoever types it.
 */
async function createUserCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'create') throw new UsageError(subcommand === undefined ? 'Which users command? (create)' : `Unknown users command: ${subcommand}`);
  const { email, name } = optionsOf(rest, ['email', 'name']);
  if (email === undefined || name === undefined) throw new UsageError('users create needs --email and --name');
  const prompt = createPrompt(io);
  let password: string;
  try {
    password = env.LISTO_PASSWORD || (await prompt.secret('Password for the new account: '));
  } finally {
    prompt.close();
  }
  const body = signupBody.safeParse({ email, name, password });
  if (!body.success) throw new UsageError(body.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
  const config = loadConfig(env);
  const db = openDatabase(config);
  try {
    await migrateToLatest(db, config.databaseSchema);
    const log = createLogger(config);
    const auth = createAuthService({ config, db, clock: systemClock, log, bus: createLocalChangeBus() });
    try {
      const user = await auth.createAccount(body.data);
      const admin = config.adminEmails.has(user.email) ? ' (an administrator: LISTO_ADMIN_EMAILS names it)' : '';
      io.stdout.write(`Created ${user.email}${admin}; sign in with it.\n`);
      return exitCodes.ok;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      io.stderr.write(`listo users: ${error.message}\n`);
      return exitCodes.failed;
    }
  } finally {
    await db.close();
  }
}

/** A to-do command (`src/cli/`): what the user got wrong is exit 2 with its usage, a refusal one line and exit 1. */
async function runTodo(command: TodoCommand, args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    return await runTodoCommand(command, args, env, io);
  } catch (error) {
    if (error instanceof TodoUsageError || error instanceof PromptError) {
      io.stderr.write(`listo ${command}: ${error.message}\n\n${todoUsage}`);
      return exitCodes.usage;
    }
    if (error instanceof CliError) {
      io.stderr.write(`listo ${command}: ${error.message}\n`);
      return exitCodes.failed;
    }
    throw error;
  }
}

const usage = `Usage: listo <command>

Commands:
  serve     Start the HTTP server; migrates the database first
            [--port <n>] [--host <address>]  (default PORT, HOST, else 3000 on 0.0.0.0)
  migrate   Apply pending database migrations and exit
  users     create --email <email> --name <name>: make an account, an administrator's included (the password is
            asked, or read from LISTO_PASSWORD); administrators (LISTO_ADMIN_EMAILS) cannot sign up themselves
  billing   close [--at <time>] | simulate --from --to --plans  (listo billing for details)
`;

/** The built web app sits next to the built server: dist/web beside dist/server. */
const defaultWebRoot = () => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');

/**
 * How long a shutdown may take to drain in-flight requests, close the WebSockets and the database before the
 * remaining connections are cut and the process exits 1. An orchestrator's grace period is 30 s (Kubernetes) or
 * more: this stays well inside it, so the exit is ours, logged, and the database closed, not a SIGKILL.
 */
const shutdownDeadlineMs = 10_000;
/** Once the connections are cut (the deadline, or a second signal): how long the database gets to close (SQLite checkpoints its WAL). */
const forcedCloseGraceMs = 1_000;

/** Wrong arguments: the message, then how to call the command (exit 2). */
class UsageError extends Error {}

/** A command's own options, strictly: an unknown option or a stray argument is a usage error, not ignored. */
function optionsOf<const Names extends string>(args: string[], names: readonly Names[]): Partial<Record<Names, string>> {
  try {
    const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Partial<Record<Names, string>>;
  } catch (error) {
    // parseArgs says what was wrong in one line (ERR_PARSE_ARGS_*); anything else is ours.
    if (String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message.split('\n')[0]);
    throw error;
  }
}

function serveConfig(args: string[], env: NodeJS.ProcessEnv) {
  const { port, host } = optionsOf(args, ['port', 'host']);
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError('--port must be a port number (0 to 65535)');
  if (host !== undefined && host.trim() === '') throw new UsageError('--host must be an address to listen on');
  try {
    return loadConfig({ ...env, ...(port === undefined ? {} : { PORT: port }), ...(host === undefined ? {} : { HOST: host }) });
  } catch (error) {
    throw port !== undefined && /PORT/.test((error as Error).message) ? new UsageError('--port must be a port number (0 to 65535)') : error;
  }
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const startedAt = performance.now();
        const config = serveConfig(rest, env);
        config.webRoot ??= defaultWebRoot();
        const app = await buildApp(config);
        const stopMaintenance = startMaintenance(app.listo, app.uploads);
        const stopBilling = app.billing.job.start(app.listo.clock);
        // SIGTERM or SIGINT: stop taking work, drain what is in flight, close the database, exit 0. Past the deadline,
        // or at a second signal, the remaining connections are cut and the process exits 1, still closing the
        // database if it can within a second. Either way a line says what happened.
        let closing: Promise<void> | null = null;
        let forced = false;
        const force = (reason: string) => {
          if (forced) return;
          forced = true;
          app.log.warn({ connectionsCut: true }, `${reason}: closing the remaining connections and exiting`);
          app.server.closeAllConnections();
          const grace = new Promise((resolve) => setTimeout(resolve, forcedCloseGraceMs));
          void Promise.race([closing, grace]).finally(() => process.exit(1));
        };
        const shutdown = (signal: NodeJS.Signals) => {
          if (closing) return force(`${signal} during the shutdown`);
          app.log.info({ signal, deadlineMs: shutdownDeadlineMs }, 'shutting down');
          setTimeout(() => force(`shutdown still not done after ${shutdownDeadlineMs / 1000} s`), shutdownDeadlineMs).unref();
          stopMaintenance();
          stopBilling();
          closing = app.close().then(
            () => {
              app.log.info('shut down');
              process.exit(forced ? 1 : 0);
            },
            (error: unknown) => {
              app.log.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', shutdown);
        process.on('SIGTERM', shutdown);
        const address = await app.listen({ port: config.port, host: config.host });
        app.log.info({ address, database: app.listo.db.dialect, readyMs: Math.round(performance.now() - startedAt) }, `Listo is listening on ${address}`);
        return -1; // keep running
      }
      case 'migrate': {
        optionsOf(rest, []);
        const config = loadConfig(env);
        const db = openDatabase(config);
        try {
          const applied = await migrateToLatest(db, config.databaseSchema);
          createLogger(config).info({ applied, database: db.dialect }, applied.length ? 'migrations applied' : 'database is up to date');
        } finally {
          await db.close();
        }
        return exitCodes.ok;
      }
      case 'users':
        return await createUserCommand(rest, env, io);
      case 'billing':
        return await runBillingCommand(rest, env, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${usage}\n${todoUsage}`);
        return exitCodes.ok;
      case undefined:
        throw new UsageError('Which command?');
      default:
        if (isTodoCommand(command)) return await runTodo(command, rest, env, io);
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof PromptError)) throw error;
    io.stderr.write(`listo: ${error.message}\n\n${usage}`);
    return exitCodes.usage;
  }
}

const isEntryPoint = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isEntryPoint) {
  runCli(process.argv.slice(2)).then(
    (code) => code >= 0 && process.exit(code),
    (error: unknown) => {
      process.stderr.write(`listo: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

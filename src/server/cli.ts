/** The `listo` command: `listo serve`, `listo migrate` and `listo billing …`. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, createLogger } from './app.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { startMaintenance } from './jobs/maintenance.js';
import { runBillingCommand } from './billing/billing.cli.js';

const usage = `Usage: listo <command>

Commands:
  serve     Start the HTTP server (PORT, default 3000); migrates the database first
  migrate   Apply pending database migrations and exit
  billing   close [--at <time>] | simulate --from --to --plans  (listo billing for details)
`;

/** The built web app sits next to the built server: dist/web beside dist/server. */
const defaultWebRoot = () => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');

export async function runCli(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'serve': {
      const startedAt = performance.now();
      const config = loadConfig(process.env);
      config.webRoot ??= defaultWebRoot();
      const app = await buildApp(config);
      const stopMaintenance = startMaintenance(app.listo, app.uploads);
      const stopBilling = app.billing.job.start(app.listo.clock);
      const shutdown = async () => {
        stopMaintenance();
        stopBilling();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      const address = await app.listen({ port: config.port, host: config.host });
      app.log.info({ address, database: app.listo.db.dialect, readyMs: Math.round(performance.now() - startedAt) }, `Listo is listening on ${address}`);
      return -1; // keep running
    }
    case 'migrate': {
      const config = loadConfig(process.env);
      const db = openDatabase(config);
      try {
        const applied = await migrateToLatest(db, config.databaseSchema);
        createLogger(config).info({ applied, database: db.dialect }, applied.length ? 'migrations applied' : 'database is up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'billing':
      return runBillingCommand(argv.slice(1));
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return command ? 0 : 1;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${usage}`);
      return 2; // wrong arguments, as in `listo billing`
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

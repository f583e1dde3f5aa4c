#!/usr/bin/env node
// The `listo` command. Runs the built server; builds it first when no build exists.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist/server/cli.js');
if (!existsSync(entry) || !existsSync(path.join(root, 'dist/web/index.html'))) {
  process.stderr.write('listo: no build found, building first (npm run build)…\n');
  try {
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // The build has said above what went wrong; execSync's stack trace would only bury it.
    process.stderr.write(
      'listo: the first build failed (npm run build, above): install the dependencies with the development ones (npm install, without --omit=dev), then run npm run build\n',
    );
    process.exit(1);
  }
}
let code;
try {
  const { runCli } = await import(pathToFileURL(entry).href);
  code = await runCli(process.argv.slice(2));
} catch (error) {
  // Commands report what the user got wrong themselves; this is the last word on anything else, without a stack trace.
  process.stderr.write(`listo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
if (code >= 0) process.exit(code);

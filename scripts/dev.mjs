// `npm run dev`: the API server (reloading on change, http://localhost:3000) and the Vite dev server
// for the web app (http://localhost:5173, proxying /api to the server) together; Ctrl-C stops both.
import { spawn } from 'node:child_process';

const windows = process.platform === 'win32';
const env = { ...process.env, PORT: process.env.PORT ?? '3000', LISTO_DATA_DIR: process.env.LISTO_DATA_DIR ?? './data' };
delete env.LISTO_WEB_ROOT; // in development Vite serves the web app

const commands = [
  ['server', ['tsx', 'watch', 'src/server/cli.ts', 'serve']],
  ['web', ['vite']],
];

let stopping = false;
let exitCode = 0;
const children = commands.map(([name, args]) => {
  // Each child leads its own process group, so stopping it also stops what npx started.
  const child = spawn(windows ? 'npx.cmd' : 'npx', args, { stdio: 'inherit', env, detached: !windows, shell: windows });
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping the other one.`);
      exitCode = code ?? 1;
      stop();
    }
    if (children.every((other) => other.exited)) process.exit(exitCode);
  });
  return child;
});

function kill(child, signal) {
  if (child.exited || child.pid === undefined) return;
  try {
    if (windows) child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) kill(child, 'SIGTERM');
  // Whatever ignores SIGTERM gets SIGKILL after a grace period.
  setTimeout(() => children.forEach((child) => kill(child, 'SIGKILL')), 5000).unref();
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);

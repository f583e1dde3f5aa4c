/** Running a `listo` command in-process, with what it prints captured. */
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/server/billing/billing.cli.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs `command` with captured output: its exit code, and what it wrote to stdout and stderr. */
export async function runCaptured(command: (io: CliIo) => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await command({ stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

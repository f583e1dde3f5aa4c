/** `listo serve` and `listo migrate`: their arguments are checked, never ignored (`listo billing` has its own tests). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/server/cli.js';
import { runCaptured } from '../support/cli.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCaptured((io) => runCli(args, env, io));

describe('the listo command', () => {
  it('refuses what it would otherwise ignore: wrong ports, unknown options, stray arguments (exit 2, one line, then the usage)', async () => {
    const usage = (message: string) => ({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(new RegExp(`^listo: ${message}[^\\n]*\\n\\nUsage: listo <command>`)),
    });
    expect(await run(['serve', '--port=abc'])).toEqual(usage('--port must be a port number'));
    expect(await run(['serve', '--port', '70000'])).toEqual(usage('--port must be a port number'));
    expect(await run(['serve', '--port'])).toEqual(usage("Option '--port <value>' argument missing"));
    expect(await run(['serve', '--nope'])).toEqual(usage("Unknown option '--nope'"));
    expect(await run(['serve', 'now'])).toEqual(usage('Unexpected argument'));
    expect(await run(['migrate', 'extra'])).toEqual(usage('Unexpected argument'));
    expect(await run(['nonsense'])).toEqual(usage('Unknown command: nonsense'));
    expect(await run([])).toEqual(usage('Which command?'));
  });

  it('prints its usage when asked, and migrates a fresh data directory', async () => {
    expect(await run(['help'])).toEqual({ code: 0, stdout: expect.stringContaining('serve     Start the HTTP server'), stderr: '' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-cli-'));
    try {
      expect((await run(['migrate'], { LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'silent' })).code).toBe(0);
      expect(fs.readdirSync(dataDir)).toContain('listo.db');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

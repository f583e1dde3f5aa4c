/** `bin/listo.js` itself: when its first-run build fails, it says so in one line and what to do, never a stack trace. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/listo.js');

describe('bin/listo.js', () => {
  it('exits 1 with one line after the build output when the first build fails (no build, no dev dependencies)', () => {
    // A copy of the command in a package with no build, whose build fails as it does without the dev dependencies.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-bin-'));
    try {
      fs.mkdirSync(path.join(root, 'bin'));
      fs.copyFileSync(bin, path.join(root, 'bin/listo.js'));
      const build = `node -e "console.error('sh: 1: tsc: not found'); process.exit(127)"`;
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'listo-copy', private: true, type: 'module', scripts: { build } }));

      const run = spawnSync(process.execPath, [path.join(root, 'bin/listo.js'), 'help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain('tsc: not found'); // the build's own words, first
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/^listo: the first build failed \(npm run build, above\): .*npm install.*then run npm run build$/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).not.toContain('Command failed');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

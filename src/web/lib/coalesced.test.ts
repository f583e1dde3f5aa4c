import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesced.js';

describe('coalesced', () => {
  it('runs once more after the running one for any number of calls during it, and never two at once', async () => {
    const finish: (() => void)[] = [];
    let active = 0;
    let most = 0;
    const run = coalesced(async () => {
      most = Math.max(most, ++active);
      await new Promise<void>((resolve) => finish.push(resolve));
      active--;
    });
    const first = run();
    void run();
    void run();
    finish.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(finish).toHaveLength(1);
    finish.shift()!();
    await first;
    expect(most).toBe(1);
    void run(); // after it ended: a fresh run
    expect(finish).toHaveLength(1);
  });

  it('a run that throws ends the runs and rejects, and the next call starts afresh', async () => {
    let calls = 0;
    const run = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
    });
    await expect(run()).rejects.toThrow('offline');
    await run();
    expect(calls).toBe(2);
  });
});

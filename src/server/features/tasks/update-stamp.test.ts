import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextUpdateStamp } from './update-stamp.js';

describe('nextUpdateStamp', () => {
  it('is now when the clock moved on, and just after the previous stamp when it did not', () => {
    expect(nextUpdateStamp('2026-01-01T00:00:00.000Z', new Date('2026-01-01T00:00:05.000Z'))).toBe('2026-01-01T00:00:05.000Z');
    expect(nextUpdateStamp('2026-01-01T00:00:05.000Z', new Date('2026-01-01T00:00:01.000Z'))).toBe('2026-01-01T00:00:05.001Z');
    expect(nextUpdateStamp('2026-01-01T00:00:05.000Z', new Date('2026-01-01T00:00:05.000Z'))).toBe('2026-01-01T00:00:05.001Z');
  });

  it("property: whatever the clocks of the nodes say, a task's stamps only grow", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4_000_000_000_000 }), { minLength: 1, maxLength: 50 }), (clocks) => {
        let stamp = new Date(0).toISOString();
        for (const clock of clocks) {
          const next = nextUpdateStamp(stamp, new Date(clock));
          expect(next > stamp).toBe(true);
          stamp = next;
        }
      }),
    );
  });
});

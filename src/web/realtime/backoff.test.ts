import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, reconnectBackoff } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from 0.5 s up to 10 s, between half and all of each step', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, reconnectBackoff, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, reconnectBackoff, () => 0.999999))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
  });

  it('stays within bounds for any attempt and any random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = backoffDelay(attempt, reconnectBackoff, () => random);
        expect(delay).toBeGreaterThanOrEqual(reconnectBackoff.baseMs / 2);
        expect(delay).toBeLessThanOrEqual(reconnectBackoff.maxMs);
      }),
    );
  });
});

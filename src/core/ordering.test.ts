import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePositions, positionBetween, positionsAfter } from './ordering.js';

describe('fractional positions', () => {
  it('a position between two neighbours sorts strictly between them', () => {
    const [a, b] = positionsAfter(null, 2) as [string, string];
    const mid = positionBetween(a, b);
    expect(a < mid && mid < b).toBe(true);
  });

  it('open ends go before the first and after the last', () => {
    const first = positionBetween(null, null);
    expect(positionBetween(null, first) < first).toBe(true);
    expect(positionBetween(first, null) > first).toBe(true);
  });

  it('equal or inverted neighbours (a concurrent write) still give a position after both', () => {
    const p = positionBetween(null, null);
    expect(positionBetween(p, p) > p).toBe(true);
  });

  it('property: any sequence of inserts at random places keeps a strict total order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (choices) => {
        const positions: string[] = [];
        for (const choice of choices) {
          const at = choice % (positions.length + 1);
          positions.splice(at, 0, positionBetween(positions[at - 1] ?? null, positions[at] ?? null));
        }
        for (let i = 1; i < positions.length; i++) expect(positions[i - 1]! < positions[i]!).toBe(true);
      }),
    );
  });

  it('ties on position fall back to the id', () => {
    expect(comparePositions({ position: 'a0', id: '1' }, { position: 'a0', id: '2' })).toBe(-1);
    expect(comparePositions({ position: 'a1', id: '1' }, { position: 'a0', id: '2' })).toBe(1);
  });
});

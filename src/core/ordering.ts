/**
 * Order of lists and tasks: fractional index strings (base-62, compared byte-wise),
 * so a move rewrites one row and concurrent inserts never need a renumbering.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** A position strictly between `before` and `after`; either may be null for an open end. */
export function positionBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) {
    // Neighbours out of order (e.g. equal keys written concurrently): append after the larger one.
    return generateKeyBetween(before > after ? before : after, null);
  }
  return generateKeyBetween(before, after);
}

/** `count` ascending positions after `before` (null: from the start). */
export function positionsAfter(before: string | null, count: number): string[] {
  return generateNKeysBetween(before, null, count);
}

/** Byte-wise comparison, the order the database uses for positions (`COLLATE "C"` on PostgreSQL). */
export function comparePositions(a: { position: string; id: string }, b: { position: string; id: string }): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

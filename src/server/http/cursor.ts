/** Opaque pagination cursors: the sort key of the last item, base64url-encoded. */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A string part of a cursor's key: it goes to the database as a parameter, so no U+0000 (PostgreSQL refuses it). */
export const cursorText = z.string().max(200).refine((text) => !text.includes('\u0000'));
const cursorPart = z.union([cursorText, z.number().finite()]);

function readCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The key a cursor carries, checked against the shape of the keys its collection makes (typed parts, or an
 * object): a forged cursor is a 400, never a query with odd values in it.
 */
export function decodeCursorAs<T>(cursor: string | undefined, shape: z.ZodType<T>): T | null {
  if (cursor === undefined) return null;
  const key = shape.safeParse(readCursor(cursor));
  if (key.success) return key.data;
  throw new AppError('validation_failed', 'cursor: is not a cursor this API returned', {
    errors: [{ field: 'cursor', message: 'is not a cursor this API returned' }],
  });
}

/** A key of `arity` strings or numbers. */
export const decodeCursor = (cursor: string | undefined, arity: number): (string | number)[] | null =>
  decodeCursorAs(cursor, z.array(cursorPart).length(arity));

/** Fetch `limit + 1` rows, then call this: it trims the extra row and makes the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}

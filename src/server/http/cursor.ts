/** Opaque pagination cursors: the sort key of the last item, base64url-encoded. */
import { AppError } from '../../core/errors.js';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((k) => (typeof k === 'string' && !k.includes('\u0000')) || Number.isFinite(k))) {
      return key;
    }
  } catch {
    // fall through to the validation error
  }
  throw new AppError('validation_failed', 'cursor: is not a cursor this API returned', {
    errors: [{ field: 'cursor', message: 'is not a cursor this API returned' }],
  });
}

/** Fetch `limit + 1` rows, then call this: it trims the extra row and makes the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}

/** Opaque pagination cursors: the sort key of the last item, base64url-encoded. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A string part of a cursor's key: it goes to the database as a parameter, so no U+0000 (PostgreSQL refuses it). */
export const cursorText = z
  .string()
  .max(200)
  .refine((text) => !text.includes('\u0000'));
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
  return pageOf(rows, limit, (last) => encodeCursor(keyOf(last)));
}

/** `toPage` for a collection ordered by (position, id): its cursors go back to `resumeAfterPosition`. */
export function toPositionPage<T extends PositionKey>(rows: T[], limit: number) {
  return pageOf(rows, limit, encodePositionCursor);
}

/**
 * A page read by a query that decided itself where it ends and whether more follow (pages of tasks, bounded by bytes as
 * well as by count: `task.repository.ts`): the next cursor is after its last row.
 */
export function pageAfter<T>(read: { rows: T[]; more: boolean }, keyOf: (row: T) => readonly (string | number)[]) {
  const last = read.rows[read.rows.length - 1];
  return { items: read.rows, nextCursor: read.more && last ? encodeCursor(keyOf(last)) : null };
}

/** `pageAfter` for a collection ordered by (position, id): its cursors go back to `resumeAfterPosition`. */
export function positionPageAfter<T extends PositionKey>(read: { rows: T[]; more: boolean }) {
  const last = read.rows[read.rows.length - 1];
  return { items: read.rows, nextCursor: read.more && last ? encodePositionCursor(last) : null };
}

function pageOf<T>(rows: T[], limit: number, cursorAfter: (row: T) => string) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? cursorAfter(last) : null };
}

/** A row's place in a collection ordered by fractional-index position, then id. */
export interface PositionKey {
  position: string;
  id: string;
}

/**
 * Positions have no length limit (inserting after the same task again and again adds about one character every six
 * times), but a cursor goes back in a URL, and each part of one is at most 200 characters. So a position that fits
 * travels whole, and a longer one as its first 200 characters and a digest of the whole; the server reads the row's
 * position back by id (`resumeAfterPosition`).
 */
const wholePositionMax = 200;

const digestOf = (position: string) => createHash('sha256').update(position).digest('base64url').slice(0, 22);

/** The cursor after `key`, for a collection ordered by (position, id). Always under 400 characters. */
export function encodePositionCursor(key: PositionKey): string {
  if (key.position.length <= wholePositionMax) return encodeCursor([key.position, key.id]);
  return encodeCursor([key.position.slice(0, wholePositionMax), key.id, digestOf(key.position)]);
}

const positionCursor = z.union([z.tuple([cursorText, cursorText]), z.tuple([cursorText, cursorText, z.string().regex(/^[\w-]{22}$/)])]);

/**
 * Where the page after `cursor` starts in a collection ordered by (position, id): strictly after the returned key.
 * `positionOf(id)` reads the row's current position in the same collection (undefined: no longer in it), for a cursor
 * that carries only the start of a long position. If that row is still where it was, the page resumes exactly after it;
 * if it moved or is gone (purged, deleted, moved to another list), from the start of its old position, which sorts at
 * or before it: no row is skipped, though a few that share that start may come again. A forged cursor is a 400.
 */
export async function resumeAfterPosition(cursor: string | undefined, positionOf: (id: string) => Promise<string | undefined>): Promise<PositionKey | null> {
  const key = decodeCursorAs(cursor, positionCursor);
  if (!key) return null;
  const [position, id, digest] = key;
  if (digest === undefined) return { position, id };
  const current = await positionOf(id);
  if (current !== undefined && current.startsWith(position) && digestOf(current) === digest) return { position: current, id };
  return { position, id: '' }; // (position, '') sorts before every row at `position`: ids are never empty
}

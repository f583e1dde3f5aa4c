/** Building blocks shared by every API schema. */
import { z } from 'zod';
import { limits } from '../limits.js';

/**
 * An id: a UUID, in any case (RFC 9562: Swift's `uuidString`, for one, is upper case), read as the lower case it is
 * stored in, so `GET /lists/<ID IN UPPER CASE>` finds the list rather than passing validation and answering 404.
 */
export const idSchema = z.uuid({ message: 'must be a valid id' }).overwrite((id) => id.toLowerCase());
export const isoInstant = z.iso.datetime({ offset: true });

/** Characters that take no room on screen (zero-width spaces and joiners, the BOM, soft hyphens), and spaces. */
const blank = /[\s\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/gu;
/** Whether a person would see anything of the text: one made only of invisible characters looks empty. */
export const hasVisibleText = (text: string) => text.replace(blank, '').length > 0;
/** A required line of text (a name, a title): trimmed, at most `max` characters, and not invisible. */
export const visibleText = (max: number) => z.string().trim().max(max).refine(hasVisibleText, { message: 'must not be empty' });

/** Control characters and the bidi overrides and isolates that reorder what follows them on screen. */
const controlOrBidi = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** `text` without what `labelText` refuses, for labels that come from elsewhere (a GIF provider's titles). */
export const withoutControlOrBidi = (text: string) => text.replace(new RegExp(controlOrBidi.source, 'gu'), ' ').replace(/\s+/gu, ' ').trim();
/**
 * A short label shown beside someone else's content (a link's title, a quote's source): one line, with no control
 * characters and nothing that turns text around, so a label cannot pass for something it is not.
 */
export const labelText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((text) => !controlOrBidi.test(text), { message: 'must not contain control or text-direction characters' });

/**
 * A person's name, shown wherever they appear (members, comment authors, history): visible text with no control
 * characters and nothing that turns text around, or "\u202Ehtims ecilA" would read as "Alice Smith" and one member pass
 * for another. Titles and list names stay `visibleText`: they speak for no one, and right-to-left text may need marks.
 */
export const personName = (max: number) =>
  visibleText(max).refine((text) => !controlOrBidi.test(text), { message: 'must not contain control or text-direction characters' });

/** Query of every paginated collection. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  cursor: z.string().max(500).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

/**
 * The query of a route that takes none: an unknown parameter is a 400 naming it (as on routes with a query), not
 * silently ignored (`/tokens?limit=1` looked as if it paged).
 */
export const noQuery = z.strictObject({});

/** Every collection answers `{items, nextCursor}`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A collection always answered whole, in the shape of a page: `nextCursor` is always null. */
export function wholeCollectionOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.null() });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const idParams = <K extends string>(key: K) => z.strictObject({ [key]: idSchema } as { [P in K]: typeof idSchema });

/** The zone's canonical IANA name (`europe/paris` → `Europe/Paris`, `utc` and `GMT` → `UTC`), or null if it is none. */
export function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * Any name the IANA database (as the runtime's ICU has it) knows, in any case: `UTC`, `GMT` and `EST5EDT` are as
 * valid as `Europe/Paris`. Stored under its canonical spelling (`canonicalTimeZone`), so one zone is one string.
 */
export function isIanaTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== null;
}

export const timeZoneSchema = z.string().max(64).refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' });

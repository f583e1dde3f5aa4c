/**
 * Mentions in comments: `@` followed by a list member's email address, e.g. `@ada@example.com`.
 * Plain text stays readable without rendering, and emails are what people already know of each other.
 * The `@` must start the text or follow a character that cannot be part of an address, so a bare
 * address (`ada@example.com`) is not a mention; a trailing full stop is not part of the address.
 */
import { limits } from './limits.js';

// `_` may precede it: Markdown italics (`_@ada@example.com_`); no address has `_@` before another `@`.
const mentionPattern = /(?<![A-Za-z0-9.%+@-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** The distinct mentioned emails of a comment, lower-cased, in order of first appearance. */
export function parseMentions(body: string): string[] {
  const emails = new Set<string>();
  for (const match of body.matchAll(mentionPattern)) {
    emails.add(match[1]!.toLowerCase());
    if (emails.size >= limits.mentionsPerCommentMax) break;
  }
  return [...emails];
}

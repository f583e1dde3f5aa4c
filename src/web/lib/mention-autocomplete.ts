/**
 * The `@` autocomplete of the comment box: finds the mention being typed at the caret, the members it
 * may mean, and the text once one is chosen. Mentions are `@` + email (see `core/mentions.ts`).
 */

export interface MentionCandidate {
  userId: string;
  name: string;
  email: string;
}

/** The `@…` being typed: where its `@` is, and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** Characters that may precede a mention's `@` (the same rule as `core/mentions.ts`). */
const wordChar = /[A-Za-z0-9._%+@-]/;
/** What may be typed in a mention query (an email's characters). */
const queryChars = /^[A-Za-z0-9._%+@-]*$/;

/** The mention being typed before `caret`, or null when the caret is not in one. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  for (let at = before.length - 1; at >= 0 && before.length - at <= 255; at--) {
    const char = before[at]!;
    if (char === '@') {
      const previous = at > 0 ? before[at - 1]! : '';
      if (previous && wordChar.test(previous)) {
        // `ada@exam|`: an address being typed is part of an earlier mention only if that one starts with `@`.
        continue;
      }
      const query = before.slice(at + 1);
      return queryChars.test(query) ? { start: at, query } : null;
    }
    if (!queryChars.test(char)) return null;
  }
  return null;
}

/**
 * Members matching `query` (by the start of a name word or of the email), best first, without the
 * writer: prefix matches of the email, then of a name, then anywhere in the email.
 */
export function matchMentionCandidates(
  candidates: readonly MentionCandidate[],
  query: string,
  options: { excludeUserId?: string; limit?: number } = {},
): MentionCandidate[] {
  const q = query.toLowerCase();
  const scored: { candidate: MentionCandidate; score: number }[] = [];
  for (const candidate of candidates) {
    if (candidate.userId === options.excludeUserId) continue;
    const email = candidate.email.toLowerCase();
    const words = candidate.name.toLowerCase().split(/\s+/);
    let score = -1;
    if (email.startsWith(q)) score = 0;
    else if (words.some((word) => word.startsWith(q)) || candidate.name.toLowerCase().startsWith(q)) score = 1;
    else if (email.includes(q)) score = 2;
    if (score >= 0) scored.push({ candidate, score });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.name.localeCompare(b.candidate.name));
  return scored.slice(0, options.limit ?? 6).map((entry) => entry.candidate);
}

/** Replaces the typed mention by `@email ` and gives the caret's new place. */
export function insertMention(text: string, mention: MentionQuery, caret: number, email: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `@${email}${after.startsWith(' ') ? '' : ' '}`;
  const next = text.slice(0, mention.start) + inserted + after;
  return { text: next, caret: mention.start + inserted.length };
}

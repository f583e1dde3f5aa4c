/**
 * Finding tasks by what they say. A task's searchable text is its title, notes and each block's plain-text summary,
 * folded the same way as a query: Unicode-normalized, accents dropped, lower case, whitespace collapsed. Both
 * databases then match with a plain substring test, so "Café" finds "cafe" and "CAFÉ" alike on SQLite and PostgreSQL
 * (neither database's own case folding is used: SQLite's knows only ASCII).
 */
import { summarizeBlocks, type Block } from './content-types/index.js';

/**
 * Accents as Latin, Greek and Cyrillic letters carry them once decomposed (NFKD), and the optional vowel points and
 * cantillation of Hebrew and Arabic, which ordinary text leaves out. Every other script's marks are part of its
 * spelling and stay: Indic vowel signs (किताब is not कातिब), Japanese dakuten (バス is not ハス), Thai tone marks.
 */
const droppedMarks =
  // Ranges of combining marks on purpose: the class matches the marks themselves, never a letter with its mark.
  // eslint-disable-next-line no-misleading-character-class
  /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]+/gu;

/**
 * Latin letters with no decomposition to drop an accent from, spelled as people type them without the letter:
 * "lodz" finds "Łódź", "oresund" "Øresund", "aesir" "Æsir", "strasse" "STRAẞE" (ẞ lower-cases to ß, which only
 * upper-casing spells "SS"). Applied to lower case.
 */
const latinLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ħ: 'h',
  ŧ: 't',
  ɖ: 'd',
};
const latinLetter = new RegExp(`[${Object.keys(latinLetters).join('')}]`, 'gu');

/**
 * A Cyrillic letter and the marks after it. Where they compose to a letter of an alphabet it is kept (й is not и,
 * ї not і, ў not у, ќ not к), except ё, ѐ and ѝ, read as е and и as Russian and Bulgarian search does; stress marks,
 * which compose to nothing, are dropped.
 */
const cyrillicWithMarks = /\p{Script=Cyrillic}[\u0300-\u036f]+/gu;
const cyrillicAsPlain: Record<string, string> = { ё: 'е', ѐ: 'е', ѝ: 'и' };

/** Kana with a voicing mark, composed again: "ハ" alone must not find "バ". */
const kanaWithMark = /[\u3040-\u30ff][\u3099\u309a]/gu;

/** Accents, case and spacing folded away: what a match compares. */
export function foldForSearch(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Upper then lower case: letters whose upper case is more than one letter (ß → SS, ᾀ → ἈΙ) fold as a query
      // typed in capitals does. ς is σ at the end of a word, and a word's start must match inside a longer word.
      .toUpperCase()
      .toLowerCase()
      .replace(/ς/gu, 'σ')
      .normalize('NFKD')
      .replace(cyrillicWithMarks, (letter) => {
        const composed = letter.normalize('NFC').replace(droppedMarks, '');
        return cyrillicAsPlain[composed] ?? composed;
      })
      .replace(droppedMarks, '')
      .replace(latinLetter, (letter) => latinLetters[letter]!)
      .replace(kanaWithMark, (kana) => kana.normalize('NFC'))
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

/** The stored, folded text a task is found by. */
export function taskSearchText(task: { title: string; notes: string; blocks: readonly Block[] }): string {
  return foldForSearch([task.title, task.notes, summarizeBlocks(task.blocks)].join('\n'));
}

/**
 * `termsMax` substring tests of at most `termMax` characters each: what one search may cost per character of the
 * caller's tasks. A substring test costs up to its length at every place in the text where it could start
 * (`like '%aaa…ab%'` over notes of 'a's, ARCHITECTURE.md "Search"), and on SQLite it runs on the server's one thread.
 */
export const searchLimits = { queryMax: 200, termsMax: 8, termMax: 64 } as const;

/**
 * The words of a query, folded. Repeated words count once, and a word that another contains adds nothing ("milk" in
 * "milkshake").
 */
function searchWords(query: string): string[] {
  const words = [...new Set(foldForSearch(query).split(' ').filter(Boolean))];
  return words.filter((word) => !words.some((other) => other !== word && other.includes(word)));
}

/**
 * What the database tests for a query: its words, a word longer than `termMax` characters as consecutive pieces of
 * that length (the last one ending with the word), so a pasted long address still finds its task while each test stays
 * short. A task matches when its text holds every term. More than `termsMax` terms is refused (`taskSearchQuery`),
 * never cut short: a word left out would widen the match.
 */
export function searchTerms(query: string): string[] {
  const terms = searchWords(query).flatMap((word) => {
    if (word.length <= searchLimits.termMax) return [word];
    const chars = [...word];
    if (chars.length <= searchLimits.termMax) return [word];
    const pieces: string[] = [];
    for (let start = 0; start < chars.length; start += searchLimits.termMax) {
      pieces.push(chars.slice(Math.min(start, chars.length - searchLimits.termMax), start + searchLimits.termMax).join(''));
    }
    return pieces;
  });
  return [...new Set(terms)];
}

/** Why a query with more than `termsMax` terms is refused, for the API and the search box alike. */
export const tooManySearchWords = `must have at most ${searchLimits.termsMax} words (a word longer than ${searchLimits.termMax} characters counts as one per ${searchLimits.termMax} characters)`;

/** Whether folded `text` holds every term: the rule the database applies, for clients that filter what they hold. */
export const matchesSearch = (text: string, terms: readonly string[]): boolean => terms.every((term) => text.includes(term));

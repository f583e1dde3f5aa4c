/**
 * Finding tasks by what they say. A task's searchable text is its title, notes and each block's plain-text summary,
 * folded the same way as a query: Unicode-normalized, accents dropped, lower case, typographic apostrophes and quotes
 * as the ASCII ones, invisible format characters (soft hyphens, zero-width spaces) dropped, whitespace collapsed. Both
 * databases then match with a plain substring test, so "Café" finds "cafe" and "CAFÉ" alike on SQLite and PostgreSQL
 * (neither database's own case folding is used: SQLite's knows only ASCII). A query's words lose the punctuation
 * around them ("milk," and "\"milk\"" search for milk), never the punctuation inside them ("mum's", "v1.2").
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

/**
 * Characters that show nothing, dropped wherever they are: a word pasted from a web page with a soft hyphen (U+00AD)
 * or a zero-width space inside must be found by the word typed. Also the zero-width (non-)joiners (Persian and Indic
 * text is typed both with and without them; emoji sequences fold alike on both sides), the word joiner, the byte order
 * mark, and the direction marks and embeddings pasted with right-to-left text. Only these: other format characters
 * (Arabic number signs, emoji tag sequences) are visible or spell something.
 */
const invisible = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/gu;

/**
 * Apostrophes and quotes as typed by keyboards, phones and word processors, folded to `'` and `"`: "don’t" (U+2019,
 * which phones type) finds "Don't", and "mum's" finds "Mum’s". The acute accent (´) typed as an apostrophe, the
 * double primes (″ ‶) and the modifier letters (ʼ, Hawaiian ʻ) are among them. Two steps, since NFKD would split
 * some: ´ into a space and an accent, ″ into two primes; after it, no character of either set is left to fold.
 */
const beforeNormalizing = /[\u00b4\u2033\u2036]/gu;
const beforeNormalizingAs: Record<string, string> = { '\u00b4': "'", '\u2033': '"', '\u2036': '"' };
const apostrophes = /[\u2018\u2019\u201a\u201b\u2032\u2035\u02b9\u02bb\u02bc]/gu;
const doubleQuotes = /[\u201c-\u201f\u02ba]/gu;

/** Accents, case, apostrophe and quote variants, invisible characters and spacing folded away: what a match compares. */
export function foldForSearch(text: string): string {
  return (
    text
      .replace(invisible, '')
      .replace(beforeNormalizing, (mark) => beforeNormalizingAs[mark]!)
      .normalize('NFKD')
      // Upper then lower case: letters whose upper case is more than one letter (ß → SS, ᾀ → ἈΙ) fold as a query
      // typed in capitals does. ς is σ at the end of a word, and a word's start must match inside a longer word.
      .toUpperCase()
      .toLowerCase()
      .replace(/ς/gu, 'σ')
      .normalize('NFKD')
      .replace(apostrophes, "'")
      .replace(doubleQuotes, '"')
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
 * Punctuation a query's word loses at its start and end: quotes and apostrophes, brackets, commas, full stops, colons,
 * question and exclamation marks, dashes, ellipses, in every script. Not what can be part of what is searched for
 * at a word's edge: `100%`, `#urgent`, `@sam`, `file_`, `-v`, `a/`, `§5`, `*`. Tested one character at a time, so
 * trimming stays linear whatever the query (no pattern that backtracks over a run of punctuation).
 */
const punctuation = /[\p{P}`]/u;
const keptAtEdges = /[#%‰‱&*/\\@_\-§¶]/u;
const isEdgePunctuation = (char: string) => punctuation.test(char) && !keptAtEdges.test(char);

/** `word` without the punctuation at its start and end: `"milk"` and `milk,` are milk, `mum's` stays. */
function trimPunctuation(word: string): string {
  const chars = [...word];
  let start = 0;
  let end = chars.length;
  while (start < end && isEdgePunctuation(chars[start]!)) start++;
  while (end > start && isEdgePunctuation(chars[end - 1]!)) end--;
  return start === 0 && end === chars.length ? word : chars.slice(start, end).join('');
}

/**
 * The words of a query, folded, without the punctuation around them, each once. A quoted phrase is its words, not the
 * words side by side: stored text keeps its punctuation and line breaks, so `"milk eggs"` tested as one substring
 * would miss "milk, eggs", and "milk and eggs" is found by the words anyway. A query of nothing but punctuation
 * (`?`, `...`) searches for it as typed.
 */
function searchWords(query: string): string[] {
  const typed = foldForSearch(query).split(' ').filter(Boolean);
  const words = typed.map(trimPunctuation).filter(Boolean);
  return [...new Set(words.length > 0 ? words : typed)];
}

/** `word`, or if longer than `termMax` characters, consecutive pieces of that length (the last one ending with it). */
function pieces(word: string): string[] {
  if (word.length <= searchLimits.termMax) return [word];
  const chars = [...word];
  if (chars.length <= searchLimits.termMax) return [word];
  const result: string[] = [];
  for (let start = 0; start < chars.length; start += searchLimits.termMax) {
    result.push(chars.slice(Math.min(start, chars.length - searchLimits.termMax), start + searchLimits.termMax).join(''));
  }
  return result;
}

/**
 * What the database tests for a query: its words, a word longer than `termMax` characters as consecutive pieces of
 * that length (the last one ending with the word), so a pasted long address still finds its task while each test stays
 * short. A task matches when its text holds every term. A word that another contains adds nothing ("milk" in
 * "milkshake"). More than `termsMax` terms is refused (`taskSearchQuery`), never cut short: a word left out would widen
 * the match. Once there are more than `termsMax` terms the rest of the query is not looked at, since the answer is a
 * refusal either way: comparing every word with every other made a pasted page of 100,000 characters take seconds.
 */
export function searchTerms(query: string): string[] {
  const words = searchWords(query);
  // Longest first, each compared with the words kept so far: a word inside a dropped word is inside the kept word that
  // dropped it, and a word is only inside a longer one.
  const kept = new Set<string>();
  const terms = new Set<string>();
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    if ([...kept].some((other) => other.includes(word))) continue;
    kept.add(word);
    for (const piece of pieces(word)) terms.add(piece);
    if (terms.size > searchLimits.termsMax) break;
  }
  return [...new Set(words.filter((word) => kept.has(word)).flatMap(pieces))];
}

/** Why a query with more than `termsMax` terms is refused, for the API and the search box alike. */
export const tooManySearchWords = `must have at most ${searchLimits.termsMax} words (a word longer than ${searchLimits.termMax} characters counts as one per ${searchLimits.termMax} characters)`;

/** Whether folded `text` holds every term: the rule the database applies, for clients that filter what they hold. */
export const matchesSearch = (text: string, terms: readonly string[]): boolean => terms.every((term) => text.includes(term));

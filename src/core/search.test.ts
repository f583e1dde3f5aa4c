import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, matchesSearch, searchLimits, searchTerms, taskSearchText } from './search.js';

const task = (title: string, notes = '', blocks: Parameters<typeof taskSearchText>[0]['blocks'] = []) => taskSearchText({ title, notes, blocks });
const finds = (query: string, text: string) => matchesSearch(text, searchTerms(query));

describe('task search', () => {
  it('ignores case, accents and spacing', () => {
    expect(foldForSearch('  Crème   BRÛLÉE\tfor Zoë ')).toBe('creme brulee for zoe');
    expect(finds('cafe', task('Book the Café'))).toBe(true);
    expect(finds('CAFÉ', task('cafe au lait'))).toBe(true);
    expect(finds('ΟΔΟΣ', task('Οδοσαρωτής'))).toBe(true); // Σ at the end of the query is still σ inside a word
  });

  it('needs every word, in any order, anywhere in the title, notes or blocks', () => {
    const text = task('Buy milk', 'at the corner shop', [{ type: 'link', url: 'https://example.com/recipes', title: 'Pancake recipes' }]);
    expect(finds('milk corner', text)).toBe(true);
    expect(finds('shop buy', text)).toBe(true);
    expect(finds('pancake', text)).toBe(true);
    expect(finds('milk bread', text)).toBe(false);
  });

  it('drops repeated words and words another word contains', () => {
    expect(searchTerms('milk Milk milkshake')).toEqual(['milkshake']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('keeps every word: none is left out to widen the match (the API refuses more than termsMax)', () => {
    const query = 'alpha bravo charlie delta echo foxtrot golf hotel zulu';
    expect(searchTerms(query)).toHaveLength(9);
    expect(finds(query, task('alpha bravo charlie delta echo foxtrot golf hotel'))).toBe(false);
  });

  it('tests no more than termMax characters at once: a longer word is pieces of it, which must all be there', () => {
    const adversarial = `${'a'.repeat(199)}b`;
    const terms = searchTerms(adversarial);
    expect(terms.every((term) => [...term].length <= searchLimits.termMax)).toBe(true);
    expect(terms).toEqual(['a'.repeat(64), `${'a'.repeat(63)}b`]);

    const url = 'https://example.atlassian.net/jira/software/projects/ABC/boards/12?selectedIssue=ABC-1234';
    expect(searchTerms(url).map((term) => term.length)).toEqual([64, 64]);
    expect(finds(url, task('Fix the board', url))).toBe(true);
    expect(finds(url, task('Another issue', url.replace('1234', '1299')))).toBe(false);
    expect(finds(url, task('The board', url.slice(0, 70)))).toBe(false);
    // Characters, not UTF-16 units: an emoji is not cut in half.
    expect(searchTerms('😀'.repeat(65)).every((term) => [...term].length === 64 && !/\p{Cs}/u.test(term))).toBe(true);
  });

  it('folds ß and ẞ to ss, and letters with no decomposition as people type them', () => {
    expect(finds('strasse', task('STRAẞE 5'))).toBe(true);
    expect(finds('straße', task('STRAẞE 5'))).toBe(true);
    expect(finds('STRAẞE', task('Hauptstrasse 5'))).toBe(true);
    expect(finds('lodz', task('Trip to Łódź'))).toBe(true);
    expect(finds('ŁÓDŹ', task('lodz'))).toBe(true);
    expect(finds('oresund', task('Øresund bridge'))).toBe(true);
    expect(finds('aesir', task('Æsir saga'))).toBe(true);
    expect(finds('oeuvre', task('Œuvres complètes'))).toBe(true);
    expect(finds('dakovo', task('Đakovo'))).toBe(true);
    expect(finds('thingvellir', task('Þingvellir'))).toBe(true);
    expect(finds('reykjavik', task('Reykjavík, Iceland'))).toBe(true);
    expect(finds('vidar', task('Viðar'))).toBe(true);
  });

  it('keeps the marks other scripts spell with: Indic vowel signs, Japanese voicing marks, Thai tone marks', () => {
    expect(finds('किताब', task('कातिब'))).toBe(false); // book, scribe
    expect(finds('कातिब', task('किताब'))).toBe(false);
    expect(finds('किताब', task('नई किताब'))).toBe(true);
    expect(finds('ハス', task('バス停'))).toBe(false); // lotus, bus stop
    expect(finds('ハ', task('バス'))).toBe(false);
    expect(finds('ハハ', task('パパ'))).toBe(false);
    expect(finds('バス', task('ﾊﾞｽ'))).toBe(true); // half-width kana are the same letters
    expect(finds('ไม้', task('ไม'))).toBe(false); // wood, (negation)
    expect(foldForSearch('ไม้')).not.toBe(foldForSearch('ไม'));
  });

  it('drops Greek accents, reads ё as е but keeps й apart from и, and drops Hebrew and Arabic vowel points', () => {
    expect(finds('ελληνικα', task('Ελληνικά'))).toBe(true);
    expect(finds('ΠΡΩΤΕΥΟΥΣΑ', task('πρωτεύουσα'))).toBe(true);
    expect(finds('προυποθεση', task('προϋπόθεση'))).toBe(true);
    expect(finds('елка', task('Ёлка'))).toBe(true);
    expect(finds('ёлка', task('Елка'))).toBe(true);
    expect(finds('мука', task('мука́'))).toBe(true); // a stress mark
    expect(finds('мои', task('мой дом'))).toBe(false);
    expect(finds('йод', task('ЙОД'))).toBe(true);
    expect(finds('йод', task('йод'.normalize('NFD')))).toBe(true);
    expect(finds('їжак', task('ЇЖАК'))).toBe(true);
    expect(finds('іжак', task('їжак'))).toBe(false);
    expect(finds('שלום', task('שָׁלוֹם'))).toBe(true);
    expect(finds('كتب', task('كَتَبَ'))).toBe(true);
  });

  it('property: folding twice changes nothing, so stored text and queries agree', () => {
    const unit = fc.constantFrom(
      ...'aAéÉßẞŁłØæŒÞðđЁёЙйи\u0306е\u0308ΐάΣςकि ा ハバパ\u3099ｶﾞไม้שָׁكَ한 \t-%\'"’‘‛ʼʻ′‵´″‶‴“”„ŉ＇\u00ad\u200b\u200d\u2060\ufeff\u200f'.split(''),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (text) => {
        expect(foldForSearch(foldForSearch(text))).toBe(foldForSearch(text));
      }),
    );
  });

  it('property: any words of a title, in any case, find it', () => {
    const word = fc.string({ unit: fc.constantFrom(...'aAeÉéiıİoöÖσΣςßẞﬁŁøÆœÞЁйїバパ1-_%'.split('')), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.boolean(), (words, pick, cut, upper) => {
        const title = words.join(' ');
        const chosen = words[pick % words.length]!;
        const start = chosen.slice(0, 1 + (cut % chosen.length)); // the start of a word, as people type it
        const query = upper ? start.toUpperCase() : start;
        expect(finds(query, task(title))).toBe(true);
      }),
    );
  });

  it('reads apostrophes and quotes as the ASCII ones, and drops soft hyphens and zero-width characters', () => {
    for (const apostrophe of ['’', '‘', '‛', 'ʼ', '′', '´', '＇']) expect(foldForSearch(`Don${apostrophe}t`)).toBe("don't");
    for (const quote of ['“', '”', '„', '‟', '″', '＂']) expect(foldForSearch(`12${quote}`)).toBe('12"');
    expect(finds('don’t', task("Don't forget the keys"))).toBe(true); // a phone types U+2019
    expect(finds("mum's", task('Call Mum’s doctor'))).toBe(true);
    expect(finds('hawaii', task('Trip to Hawaiʻi'))).toBe(false); // the ʻokina is an apostrophe, not nothing
    expect(finds("hawai'i", task('Trip to Hawaiʻi'))).toBe(true);
    for (const invisible of ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e']) {
      expect(finds('versicherung', task(`Ver${invisible}sicherung kündigen`))).toBe(true);
      expect(finds(`ver${invisible}sicherung`, task('Versicherung'))).toBe(true);
    }
  });

  it('finds the words of a query whatever punctuation surrounds them; a quoted phrase is its words, in any order', () => {
    const text = task('Buy milk and eggs');
    for (const query of ['"buy milk"', '“buy milk”', 'eggs, milk', '(milk)', 'milk?!', 'milk…', "'milk'", '¿milk?', '«eggs»', 'milk; eggs.']) {
      expect(finds(query, text), query).toBe(true);
    }
    expect(searchTerms('"buy milk"')).toEqual(['buy', 'milk']);
    expect(finds('"milk buy"', text)).toBe(true);
    expect(finds('"milk bread"', text)).toBe(false);
    // Punctuation alone is no word; inside a word, or what can start or end what is searched for, it stays.
    expect(searchTerms('eggs , milk - "')).toEqual(['eggs', 'milk', '-']);
    expect(searchTerms("mum's, v1.2. 100%! #urgent @sam file_ (a/b)")).toEqual(["mum's", 'v1.2', '100%', '#urgent', '@sam', 'file_', 'a/b']);
    expect(finds('100%.', task('Discount 1000 off'))).toBe(false);
    // A query of nothing but punctuation searches for it as typed.
    expect(searchTerms('?')).toEqual(['?']);
    expect(finds('?', task('Why?'))).toBe(true);
    expect(finds('?', task('Why'))).toBe(false);
  });

  it('folds and splits 100,000 characters in linear time, whatever they are', () => {
    const inputs = {
      'distinct words': Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' '),
      'punctuation, then a letter': `${'!'.repeat(99_999)}a`,
      'a letter, then punctuation': `a${'!'.repeat(99_999)}`,
      'quoted words': '"a", '.repeat(20_000),
      apostrophes: '’‘´″'.repeat(25_000),
      'soft hyphens': 'a\u00ad'.repeat(50_000),
      'one letter': 'a'.repeat(100_000),
      'spaces and marks': ' \u0301\u200b'.repeat(33_333),
    };
    for (const [name, input] of Object.entries(inputs)) {
      const started = performance.now();
      foldForSearch(input);
      searchTerms(input);
      // About 10 ms each when linear; comparing every word with every other took 2.3 s on 'distinct words'.
      expect(performance.now() - started, name).toBeLessThan(1000);
    }
  });

  it('property: any word of a text, typed with other apostrophes and amid any punctuation, finds it', () => {
    const apostrophe = fc.constantFrom("'", '’', '‘', 'ʼ', '′', '´', '＇');
    const invisible = fc.constantFrom('', '', '\u00ad', '\u200b', '\u2060', '\ufeff');
    // A word: runs of letters joined by apostrophes ("don't", "rock'n'roll"); each run may hold an invisible character.
    const word = fc.array(
      fc.tuple(fc.string({ unit: fc.constantFrom(...'aAéßŁЁйバ1x'.split('')), minLength: 1, maxLength: 5 }), invisible, apostrophe, apostrophe),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    const separator = fc.constantFrom(' ', ', ', '. ', ' (', ') ', ' “', '” ', ' — ', '\n', '; ', '! ', ' «', '» ', '… ');
    const before = fc.constantFrom('', '"', '“', '„', '(', '[', '‘', "'", '«', '¿', '¡', '...', '—');
    const after = fc.constantFrom('', ',', '.', '!', '?', '?!', '”', ')', ']', ':', ';', '…', "'", '’', '»', '."');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 5 }), fc.nat(), before, after, (words, pick, open, close) => {
        const textWord = (runs: (typeof words)[number][0]) =>
          runs.map(([letters, hidden], i) => `${i > 0 ? runs[i - 1]![2] : ''}${letters.slice(0, 1)}${hidden}${letters.slice(1)}`).join('');
        const queryWord = (runs: (typeof words)[number][0]) => runs.map(([letters], i) => `${i > 0 ? runs[i - 1]![3] : ''}${letters}`).join('');
        const text = words.map(([runs, gap]) => `${textWord(runs)}${gap}`).join('');
        const [chosen] = words[pick % words.length]!;
        expect(finds(`${open}${queryWord(chosen)}${close}`, task(text))).toBe(true);
      }),
    );
  });
});

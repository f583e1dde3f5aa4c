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
    const unit = fc.constantFrom(...'aAéÉßẞŁłØæŒÞðđЁёЙйи\u0306е\u0308ΐάΣςकि ा ハバパ\u3099ｶﾞไม้שָׁكَ한 \t-%'.split(''));
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
});

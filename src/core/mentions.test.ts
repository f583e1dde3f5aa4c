import { describe, expect, it } from 'vitest';
import { parseMentions } from './mentions.js';

describe('mentions', () => {
  it('finds @email mentions, lower-cased and distinct', () => {
    expect(parseMentions('Hi @Ada@Example.com and @bob@example.co.uk, cc @ada@example.com.')).toEqual(['ada@example.com', 'bob@example.co.uk']);
  });

  it('ignores bare addresses and mentions glued to a word', () => {
    expect(parseMentions('mail ada@example.com or x@ada@example.com')).toEqual([]);
  });

  it('works inside Markdown punctuation', () => {
    expect(parseMentions('**@ada@example.com**: (@bob@example.com)')).toEqual(['ada@example.com', 'bob@example.com']);
    expect(parseMentions('_@cy@example.com_ and `@dee@example.com`')).toEqual(['cy@example.com', 'dee@example.com']);
    expect(parseMentions('first_last@example.com')).toEqual([]);
  });
});

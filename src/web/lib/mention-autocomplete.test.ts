import { describe, expect, it } from 'vitest';
import { parseMentions } from '../../core/mentions.js';
import { insertMention, matchMentionCandidates, mentionQueryAt, type MentionCandidate } from './mention-autocomplete.js';

const people: MentionCandidate[] = [
  { userId: 'a', name: 'Ada Lovelace', email: 'ada@example.com' },
  { userId: 'b', name: 'Bob Stone', email: 'bob@example.com' },
  { userId: 'c', name: 'Carla Adams', email: 'carla@work.test' },
];

describe('mentionQueryAt', () => {
  it('finds the mention being typed at the caret', () => {
    expect(mentionQueryAt('hi @ad', 6)).toEqual({ start: 3, query: 'ad' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('(@bob', 5)).toEqual({ start: 1, query: 'bob' });
  });

  it('keeps following an address typed in full, past its own @', () => {
    expect(mentionQueryAt('cc @ada@exam', 12)).toEqual({ start: 3, query: 'ada@exam' });
  });

  it('ignores a bare address, and text after a space', () => {
    expect(mentionQueryAt('mail ada@exam', 13)).toBeNull();
    expect(mentionQueryAt('@ada hello', 10)).toBeNull();
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });

  it('looks only before the caret', () => {
    expect(mentionQueryAt('@ada and more', 3)).toEqual({ start: 0, query: 'ad' });
  });
});

describe('matchMentionCandidates', () => {
  it('puts email prefixes first, then name words, then anything in the email', () => {
    expect(matchMentionCandidates(people, 'ad').map((p) => p.userId)).toEqual(['a', 'c']);
    expect(matchMentionCandidates(people, 'work').map((p) => p.userId)).toEqual(['c']);
    expect(matchMentionCandidates(people, 'STONE').map((p) => p.userId)).toEqual(['b']);
  });

  it('offers everyone but the writer for an empty query, up to the limit', () => {
    expect(matchMentionCandidates(people, '', { excludeUserId: 'a' }).map((p) => p.userId)).toEqual(['b', 'c']);
    expect(matchMentionCandidates(people, '', { limit: 1 })).toHaveLength(1);
  });
});

describe('insertMention', () => {
  it('replaces the typed query with the email and a space, and the server parses it', () => {
    const text = 'thanks @ad';
    const result = insertMention(text, { start: 7, query: 'ad' }, text.length, 'ada@example.com');
    expect(result).toEqual({ text: 'thanks @ada@example.com ', caret: 24 });
    expect(parseMentions(result.text)).toEqual(['ada@example.com']);
  });

  it('does not double a following space', () => {
    const result = insertMention('@b please', { start: 0, query: 'b' }, 2, 'bob@example.com');
    expect(result.text).toBe('@bob@example.com please');
    expect(result.caret).toBe(16);
  });
});

import { describe, expect, it } from 'vitest';
import { clearJoinLink, loadJoinLink, parseJoinLink, saveJoinLink } from './join-links.js';

class MemoryStorage {
  private values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
  removeItem = (key: string) => void this.values.delete(key);
}

describe('join links', () => {
  it('reads the secret from the fragment of /invite and /join', () => {
    expect(parseJoinLink('/invite', '#abc_DEF-123')).toEqual({ kind: 'invite', token: 'abc_DEF-123' });
    expect(parseJoinLink('/join/', '#xyz')).toEqual({ kind: 'join', token: 'xyz' });
  });

  it('ignores other pages, missing or absurd secrets', () => {
    expect(parseJoinLink('/lists/1', '#abc')).toBeNull();
    expect(parseJoinLink('/invite', '')).toBeNull();
    expect(parseJoinLink('/invite', '#%E0%A4%A')).toBeNull();
    expect(parseJoinLink('/invite', `#${'a'.repeat(201)}`)).toBeNull();
  });

  it('keeps one pending link until it is used', () => {
    const storage = new MemoryStorage();
    expect(loadJoinLink(storage)).toBeNull();
    saveJoinLink({ kind: 'invite', token: 't' }, storage);
    expect(loadJoinLink(storage)).toEqual({ kind: 'invite', token: 't' });
    clearJoinLink(storage);
    expect(loadJoinLink(storage)).toBeNull();
    storage.setItem('listo.join-link', '{broken');
    expect(loadJoinLink(storage)).toBeNull();
  });

  it('remembers that the person signed in to join it, and nothing else claims so', () => {
    const storage = new MemoryStorage();
    saveJoinLink({ kind: 'join', token: 't', agreed: true }, storage);
    expect(loadJoinLink(storage)).toEqual({ kind: 'join', token: 't', agreed: true });
    storage.setItem('listo.join-link', JSON.stringify({ kind: 'join', token: 't', agreed: 'yes' }));
    expect(loadJoinLink(storage)).toEqual({ kind: 'join', token: 't' });
  });
});

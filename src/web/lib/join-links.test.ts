import { describe, expect, it } from 'vitest';
import { clearJoinLink, invitationRefusal, loadJoinLink, parseJoinLink, refusedJoinMessage, saveJoinLink } from './join-links.js';

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

  it('reads a team workspace invitation from /workspace-invite, and keeps it through sign-in', () => {
    expect(parseJoinLink('/workspace-invite', '#abc_DEF-123')).toEqual({ kind: 'workspace-invite', token: 'abc_DEF-123' });
    const storage = new MemoryStorage();
    saveJoinLink({ kind: 'workspace-invite', token: 't', agreed: true }, storage);
    expect(loadJoinLink(storage)).toEqual({ kind: 'workspace-invite', token: 't', agreed: true });
    storage.setItem('listo.join-link', JSON.stringify({ kind: 'workspace', token: 't' }));
    expect(loadJoinLink(storage)).toBeNull();
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

  it('says why a link did not work: a workspace invitation that never was one, or one the server says is over', () => {
    const unknown = { code: 'not_found', detail: 'Invitation not found' };
    const expired = { code: 'gone', detail: 'This invitation has expired; ask for a new one' };
    expect(refusedJoinMessage('workspace-invite', unknown)).toBe(
      'This workspace invitation link is not valid: check that it was copied whole, or ask for a new one.',
    );
    expect(refusedJoinMessage('workspace-invite', expired)).toBe(
      'This workspace invitation can no longer be used. This invitation has expired; ask for a new one',
    );
    expect(refusedJoinMessage('workspace-invite', { code: 'network_error', detail: 'Offline' })).toBe('Offline');
    // In the app's word: it was withdrawn (the Withdraw button), not "revoked"; answered from the sidebar too.
    expect(invitationRefusal({ detail: 'This invitation was already revoked' })).toBe('This invitation was already withdrawn');
    expect(refusedJoinMessage('workspace-invite', { code: 'gone', detail: 'This invitation was already revoked' })).toBe(
      'This workspace invitation can no longer be used. This invitation was already withdrawn',
    );
    // A list's link turned off is 404 too: no longer valid, as before.
    expect(refusedJoinMessage('join', unknown)).toBe('This link is no longer valid (used, withdrawn or expired). Invitation not found');
    expect(refusedJoinMessage('invite', expired)).toBe(
      'This invitation is no longer valid (used, withdrawn or expired). This invitation has expired; ask for a new one',
    );
  });
});

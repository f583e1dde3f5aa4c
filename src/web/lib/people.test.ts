import { describe, expect, it } from 'vitest';
import { invitableRoles, inviteRefusal } from './people.js';

describe('invitableRoles', () => {
  it('offers the roles at or below one’s own, never owner', () => {
    expect(invitableRoles('owner')).toEqual(['editor', 'commenter', 'viewer']);
    expect(invitableRoles('editor')).toEqual(['editor', 'commenter', 'viewer']);
  });

  it('offers nothing to roles that cannot invite', () => {
    expect(invitableRoles('commenter')).toEqual([]);
    expect(invitableRoles('viewer')).toEqual([]);
    expect(invitableRoles(null)).toEqual([]);
  });
});

describe('inviteRefusal', () => {
  const refusal = (code: string, detail: string, email?: string) => ({ code, detail, fieldError: (field: string) => (field === 'email' ? email : undefined) });

  it('says why once: the field’s reason, or the server’s sentence for someone already in', () => {
    expect(inviteRefusal(refusal('validation_failed', 'email: must be a valid email address', 'must be a valid email address'))).toBe(
      'That email must be a valid email address.',
    );
    expect(inviteRefusal(refusal('already_member', 'This person is already in the workspace; change their role instead', 'is already a member'))).toBe(
      'This person is already in the workspace; change their role instead.',
    );
    expect(inviteRefusal(refusal('forbidden', 'Only admins can invite'))).toBe('Only admins can invite.');
  });
});

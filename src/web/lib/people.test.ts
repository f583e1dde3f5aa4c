import { describe, expect, it } from 'vitest';
import { invitableRoles } from './people.js';

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

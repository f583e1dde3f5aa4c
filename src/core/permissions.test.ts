import { describe, expect, it } from 'vitest';
import { can, canCompleteTask, canGrant, listActions, listRoles } from './permissions.js';

describe('list permission table', () => {
  it('every role can read; only owners delete or manage members', () => {
    for (const role of listRoles) expect(can(role, 'list.read')).toBe(true);
    expect(listRoles.filter((role) => can(role, 'list.delete'))).toEqual(['owner']);
    expect(listRoles.filter((role) => can(role, 'member.manage'))).toEqual(['owner']);
  });

  it('viewers write nothing; commenters only comment', () => {
    const writes = Object.keys(listActions).filter((action) => !action.endsWith('.read')) as (keyof typeof listActions)[];
    expect(writes.filter((action) => can('viewer', action))).toEqual([]);
    expect(writes.filter((action) => can('commenter', action))).toEqual(['comment.create']);
  });

  it('nobody without a role can do anything', () => {
    for (const action of Object.keys(listActions) as (keyof typeof listActions)[]) expect(can(null, action)).toBe(false);
  });

  it('commenters complete only tasks assigned to them', () => {
    expect(canCompleteTask('commenter', true)).toBe(true);
    expect(canCompleteTask('commenter', false)).toBe(false);
    expect(canCompleteTask('viewer', true)).toBe(false);
    expect(canCompleteTask('editor', false)).toBe(true);
  });

  it('a role never grants more than the granter holds', () => {
    expect(canGrant('editor', 'owner')).toBe(false);
    expect(canGrant('editor', 'editor')).toBe(true);
    expect(canGrant('owner', 'owner')).toBe(true);
    expect(canGrant('commenter', 'viewer')).toBe(false);
  });
});

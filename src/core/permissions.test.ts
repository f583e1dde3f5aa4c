import { describe, expect, it } from 'vitest';
import { can, canCompleteTask, canGrant, canInWorkspace, effectiveListRole, listActions, listRoles, workspaceActions } from './permissions.js';

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

  it('team workspace roles give editor to admins and members, nothing to guests; grants add up', () => {
    expect(effectiveListRole(null, 'admin')).toBe('editor');
    expect(effectiveListRole(null, 'member')).toBe('editor');
    expect(effectiveListRole(null, 'guest')).toBeNull();
    expect(effectiveListRole('viewer', 'member')).toBe('editor');
    expect(effectiveListRole('owner', 'member')).toBe('owner');
    expect(effectiveListRole('commenter', 'guest')).toBe('commenter');
    expect(effectiveListRole(null, null)).toBeNull();
  });

  it('only workspace admins manage people and read the workspace history; guests create no lists', () => {
    expect(canInWorkspace('admin', 'workspace.members.manage')).toBe(true);
    expect(canInWorkspace('member', 'workspace.members.manage')).toBe(false);
    expect(canInWorkspace('member', 'workspace.activity.read')).toBe(false);
    expect(canInWorkspace('guest', 'workspace.members.read')).toBe(false);
    expect(canInWorkspace('guest', 'list.create')).toBe(false);
    expect(canInWorkspace(null, 'workspace.read')).toBe(false);
  });

  it('the tables change only on purpose (the API permission matrix is derived from them)', () => {
    const summary = (table: Record<string, readonly string[]>) => Object.fromEntries(Object.entries(table).map(([action, roles]) => [action, roles.join(' ')]));
    expect(summary(listActions)).toEqual({
      'list.read': 'owner editor commenter viewer',
      'list.update': 'owner editor',
      'list.delete': 'owner',
      'task.create': 'owner editor',
      'task.update': 'owner editor',
      'task.delete': 'owner editor',
      'task.complete': 'owner editor',
      'comment.create': 'owner editor commenter',
      'comment.read': 'owner editor commenter viewer',
      'activity.read': 'owner editor commenter viewer',
      'member.read': 'owner editor commenter viewer',
      'member.invite': 'owner editor',
      'member.manage': 'owner',
      'share_link.manage': 'owner',
    });
    expect(summary(workspaceActions)).toEqual({
      'workspace.read': 'admin member guest',
      'workspace.members.read': 'admin member',
      'workspace.members.manage': 'admin',
      'workspace.activity.read': 'admin',
      'list.create': 'admin member',
    });
  });
});

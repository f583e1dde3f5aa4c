import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../core/schemas/index.js';
import { describeActivity, type ActivityContext } from './activity-sentences.js';

const ada = '00000000-0000-4000-8000-00000000000a';
const bob = '00000000-0000-4000-8000-00000000000b';
const me = '00000000-0000-4000-8000-00000000000c';
const names: Record<string, string> = { [ada]: 'Ada', [bob]: 'Bob', [me]: 'Me Myself' };
const context: ActivityContext = { meId: me, nameOf: (id) => names[id], taskTitleOf: (id) => (id === 'task-1' ? 'Milk' : undefined) };

function event(type: ActivityEvent['type'], data: Record<string, unknown>, actorId: string | null = ada): ActivityEvent {
  return {
    id: 'e',
    type,
    actorId,
    actorName: actorId ? (names[actorId] ?? null) : null,
    at: '2026-01-01T00:00:00.000Z',
    workspaceId: 'w',
    listId: 'l',
    taskId: null,
    version: 1,
    data,
  };
}

const task = (extra: Record<string, unknown> = {}) => ({ task: { id: 'task-1', title: 'Milk', assigneeId: null, ...extra } });
const say = (e: ActivityEvent) => describeActivity(e, context);

describe('describeActivity', () => {
  it('says what happened to tasks, with their titles', () => {
    expect(say(event('task.created', task()))).toBe('Ada added “Milk”');
    expect(say(event('task.completed', task()))).toBe('Ada completed “Milk”');
    expect(say(event('task.reopened', task()))).toBe('Ada reopened “Milk”');
    expect(say(event('task.deleted', task()))).toBe('Ada deleted “Milk”');
    expect(say(event('task.restored', task()))).toBe('Ada restored “Milk”');
    expect(say(event('task.moved', task()))).toBe('Ada moved “Milk”');
    expect(say(event('task.moved', { ...task(), removed: true }))).toBe('Ada moved “Milk” to another list');
    expect(say(event('task.moved', { ...task(), fromListId: 'x' }))).toBe('Ada moved “Milk” here from another list');
  });

  it('a repeating task’s completion says which occurrence was done and where it moved; past its end, only the occurrence', () => {
    const repeating = { ...context, today: '2026-11-25', locale: 'en-US' };
    const completed = (data: Record<string, unknown>) => describeActivity(event('task.completed', data), repeating);
    expect(completed({ ...task({ done: false, dueDate: '2026-11-26' }), completedOccurrence: '2026-11-23' })).toBe(
      'Ada completed “Milk” (due Mon, Nov 23); next Thu, Nov 26',
    );
    const timed = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Paris' });
    expect(completed({ ...task({ done: false, dueDate: timed('2027-01-04T19:00') }), completedOccurrence: timed('2026-12-28T19:00') })).toBe(
      'Ada completed “Milk” (due Mon, Dec 28, 19:00); next Mon, Jan 4, 2027, 19:00',
    );
    // The last occurrence (until): the task closed.
    expect(completed({ ...task({ done: true, dueDate: '2026-11-30' }), completedOccurrence: '2026-11-30' })).toBe('Ada completed “Milk” (due Mon, Nov 30)');
    // Not a due date: read as a plain completion.
    expect(completed({ ...task({ done: false }), completedOccurrence: 'soon' })).toBe('Ada completed “Milk”');
  });

  it('names the kind of edit when there is one', () => {
    expect(say(event('task.edited', { ...task(), changed: ['title'] }))).toBe('Ada renamed a task to “Milk”');
    expect(say(event('task.edited', { ...task(), changed: ['notes'] }))).toBe('Ada edited the notes of “Milk”');
    expect(say(event('task.edited', { ...task(), changed: ['due_date', 'due_time_zone'] }))).toBe('Ada changed the due date of “Milk”');
    expect(say(event('task.edited', { ...task(), changed: ['priority'] }))).toBe('Ada changed the priority of “Milk”');
    expect(say(event('task.edited', { ...task(), changed: ['title', 'notes'] }))).toBe('Ada edited “Milk”');
  });

  it('says "You" for the reader’s own actions and "you" when they are the object', () => {
    expect(say(event('task.completed', task(), me))).toBe('You completed “Milk”');
    expect(say(event('task.assigned', task({ assigneeId: me })))).toBe('Ada assigned “Milk” to you');
    expect(say(event('task.assigned', task({ assigneeId: me }), me))).toBe('You assigned yourself to “Milk”');
  });

  it('describes assignments, including those cleared when someone lost access', () => {
    expect(say(event('task.assigned', task({ assigneeId: bob })))).toBe('Ada assigned “Milk” to Bob');
    expect(say(event('task.assigned', task({ assigneeId: bob }), bob))).toBe('Bob assigned themselves to “Milk”');
    expect(say(event('task.assigned', task()))).toBe('Ada unassigned “Milk”');
    expect(say(event('task.assigned', { ...task(), previousAssigneeId: bob, reason: 'removed' }))).toBe(
      '“Milk” was unassigned from Bob, who no longer has access',
    );
  });

  it('finds the task of a comment by its id', () => {
    expect(say(event('comment.created', { comment: { taskId: 'task-1', body: 'hi' } }))).toBe('Ada commented on “Milk”');
    expect(say(event('comment.created', { comment: { taskId: 'gone' } }))).toBe('Ada commented on a task');
  });

  it('describes membership changes', () => {
    expect(say(event('member.invited', { email: 'bob@example.com', role: 'editor', userId: null }))).toBe('Ada invited bob@example.com as an editor');
    // Members who may not invite are not shown the address.
    expect(say(event('member.invited', { role: 'viewer', userId: null }))).toBe('Ada invited someone as a viewer');
    expect(say(event('member.declined', { email: 'bob@example.com', role: 'editor', userId: bob }, bob))).toBe(
      'Bob declined the invitation to join as an editor',
    );
    // Those who may not invite read neither the address nor the name of whoever declined.
    expect(say({ ...event('member.declined', { role: 'viewer', userId: null }, 'stranger'), actorName: null })).toBe(
      'Someone declined the invitation to join as a viewer',
    );
    expect(say(event('member.invitation_revoked', { email: 'bob@example.com', role: 'editor', userId: null }))).toBe(
      'Ada withdrew the invitation to bob@example.com',
    );
    expect(say(event('member.invitation_revoked', { role: 'editor', userId: null }))).toBe('Ada withdrew the invitation to someone');
    expect(say(event('member.joined', { userId: bob, role: 'editor' }, bob))).toBe('Bob joined as an editor');
    expect(say(event('member.joined', { userId: me, role: 'viewer' }, me))).toBe('You joined as a viewer');
    expect(say(event('member.joined', { userId: bob, role: 'editor', via: 'workspace' }))).toBe('Ada added Bob as an editor');
    expect(say(event('member.role_changed', { userId: bob, role: 'commenter', previousRole: 'editor' }))).toBe('Ada made Bob a commenter');
    expect(say(event('member.role_changed', { userId: bob, role: 'owner', previousRole: 'editor', transfer: true }))).toBe('Ada made Bob the owner');
    expect(say(event('member.role_changed', { userId: ada, role: 'editor', previousRole: 'owner', transfer: true }))).toBe('Ada is now an editor');
    expect(say(event('member.removed', { userId: bob, role: 'editor', reason: 'removed' }))).toBe('Ada removed Bob');
    expect(say(event('member.removed', { userId: bob, role: 'editor', reason: 'left' }, bob))).toBe('Bob left the list');
  });

  it('describes the list itself', () => {
    const list = { list: { name: 'Groceries' } };
    expect(say(event('list.created', list))).toBe('Ada created the list “Groceries”');
    expect(say(event('list.updated', { ...list, changed: ['name'] }))).toBe('Ada renamed the list to “Groceries”');
    expect(say(event('list.archived', list))).toBe('Ada archived the list');
  });

  it('copes with people it cannot name and data it does not expect', () => {
    expect(say(event('member.removed', { userId: 'stranger', reason: 'removed' }))).toBe('Ada removed someone');
    expect(say(event('task.completed', {}, null))).toBe('Someone completed a task');
    expect(say(event('task.completed', { task: 'nonsense' }))).toBe('Ada completed a task');
  });
});

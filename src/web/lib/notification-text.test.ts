import { describe, expect, it } from 'vitest';
import type { Notification } from '../../core/schemas/index.js';
import { describeNotification } from './notification-text.js';

const base: Notification = {
  id: 'n',
  type: 'invited',
  actorId: 'a',
  workspaceId: 'w',
  listId: 'l',
  taskId: null,
  commentId: null,
  invitationId: 'i',
  data: {},
  read: false,
  readAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('describeNotification', () => {
  it('says who did what, with the names the notification carries', () => {
    expect(describeNotification({ ...base, data: { actorName: 'Ada', listName: 'Groceries', role: 'editor' } }).title).toBe(
      'Ada invited you to “Groceries” as editor',
    );
    expect(describeNotification({ ...base, type: 'assigned', data: { actorName: 'Ada', listName: 'Groceries', taskTitle: 'Milk' } }).title).toBe(
      'Ada assigned you “Milk” in Groceries',
    );
    expect(
      describeNotification({ ...base, type: 'mentioned', data: { actorName: 'Ada', listName: 'Groceries', taskTitle: 'Milk', excerpt: 'see @you' } }),
    ).toEqual({
      title: 'Ada mentioned you on “Milk” in Groceries',
      excerpt: 'see @you',
    });
  });

  it('falls back when names are missing', () => {
    expect(describeNotification({ ...base, type: 'assigned' }).title).toBe('Someone assigned you “a task” in a list');
  });
});

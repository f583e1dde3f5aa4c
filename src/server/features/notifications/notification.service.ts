/**
 * In-app notifications (invited, assigned, mentioned), read and unread. Other features create them
 * with `notify` inside their own transaction; the user's sockets hear of them after commit.
 * Email delivery is not built: without SMTP configured there is none.
 */
import { notFound } from '../../../core/errors.js';
import type { Notification, NotificationType } from '../../../core/schemas/notifications.js';
import type { AppContext } from '../../context.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { decodeCursor, toPage } from '../../http/cursor.js';
import { newId } from '../../ids.js';
import type { ChangeBus } from '../../realtime/change-bus.js';
import { presentNotification } from './notification.presenter.js';
import {
  countUnread,
  findNotification,
  insertNotification,
  listNotificationsOf,
  markAllNotificationsRead,
  markNotificationRead,
} from './notification.repository.js';

export interface NewNotification {
  userId: string;
  workspaceId: string;
  type: NotificationType;
  actorId: string;
  at: string;
  listId?: string | null;
  taskId?: string | null;
  commentId?: string | null;
  invitationId?: string | null;
  data: Record<string, unknown>;
}

/** Writes a notification in the caller's transaction and announces it on the user's channel after commit. */
export async function notify(uow: UnitOfWork, bus: ChangeBus, input: NewNotification): Promise<Notification> {
  const row = {
    id: newId(),
    workspace_id: input.workspaceId,
    user_id: input.userId,
    type: input.type,
    actor_id: input.actorId,
    list_id: input.listId ?? null,
    task_id: input.taskId ?? null,
    comment_id: input.commentId ?? null,
    invitation_id: input.invitationId ?? null,
    data: JSON.stringify(input.data),
    created_at: input.at,
    read_at: null,
  };
  await insertNotification(uow.tx, row);
  const notification = presentNotification(row);
  uow.afterCommit(() => bus.publishUserEvent({ userId: input.userId, type: 'notification.created', data: notification }));
  return notification;
}

export function createNotificationService({ db, clock }: AppContext) {
  return {
    async listNotifications(userId: string, query: { limit: number; cursor?: string | undefined; unread?: 'true' | 'false' | undefined }) {
      const before = decodeCursor(query.cursor, 1);
      const [rows, unreadCount] = await Promise.all([
        listNotificationsOf(db.kysely, userId, {
          beforeId: before ? String(before[0]) : null,
          unread: query.unread === undefined ? undefined : query.unread === 'true',
          limit: query.limit,
        }),
        countUnread(db.kysely, userId),
      ]);
      const page = toPage(rows, query.limit, (r) => [r.id]);
      return { items: page.items.map(presentNotification), nextCursor: page.nextCursor, unreadCount };
    },

    async markRead(userId: string, id: string): Promise<void> {
      if (!(await findNotification(db.kysely, userId, id))) throw notFound('Notification');
      await markNotificationRead(db.kysely, userId, id, clock.now().toISOString());
    },

    async markAllRead(userId: string): Promise<void> {
      await markAllNotificationsRead(db.kysely, userId, clock.now().toISOString());
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;

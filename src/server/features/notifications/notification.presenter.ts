import type { Notification } from '../../../core/schemas/notifications.js';
import type { NotificationsTable } from '../../db/schema.js';

export const presentNotification = (row: NotificationsTable): Notification => ({
  id: row.id,
  type: row.type,
  actorId: row.actor_id,
  workspaceId: row.workspace_id,
  listId: row.list_id,
  taskId: row.task_id,
  commentId: row.comment_id,
  invitationId: row.invitation_id,
  data: JSON.parse(row.data) as Record<string, unknown>,
  read: row.read_at !== null,
  readAt: row.read_at,
  createdAt: row.created_at,
});

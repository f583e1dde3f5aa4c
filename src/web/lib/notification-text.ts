/** What a notification says, from the names and titles it carries (no other request needed). */
import type { Notification } from '../../core/schemas/index.js';

const str = (value: unknown, fallback: string) => (typeof value === 'string' && value.length > 0 ? value : fallback);

export interface NotificationText {
  /** The sentence. */
  title: string;
  /** A quote of the comment, for mentions. */
  excerpt: string | null;
}

export function describeNotification(notification: Notification): NotificationText {
  const data = notification.data;
  const actor = str(data.actorName, 'Someone');
  const listName = str(data.listName, 'a list');
  const taskTitle = str(data.taskTitle, 'a task');
  switch (notification.type) {
    case 'invited':
      return { title: `${actor} invited you to “${listName}” as ${str(data.role, 'a member')}`, excerpt: null };
    case 'workspace_invited':
      return {
        title: `${actor} invited you to the team workspace “${str(data.workspaceName, 'a workspace')}” as ${str(data.role, 'a member')}`,
        excerpt: null,
      };
    case 'assigned':
      return { title: `${actor} assigned you “${taskTitle}” in ${listName}`, excerpt: null };
    case 'mentioned':
      return { title: `${actor} mentioned you on “${taskTitle}” in ${listName}`, excerpt: typeof data.excerpt === 'string' ? data.excerpt : null };
  }
  return { title: `${actor} sent you a notification`, excerpt: null };
}

import { idParams } from '../../../core/schemas/common.js';
import { notificationPage, notificationQuery } from '../../../core/schemas/notifications.js';
import { requireUserId } from '../../http/authentication.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { NotificationService } from './notification.service.js';

export function registerNotificationRoutes(app: Api, notifications: NotificationService): void {
  const tags = ['notifications'];

  app.get(
    '/api/v1/notifications',
    { schema: { summary: 'Your notifications, newest first', tags, querystring: notificationQuery, response: { 200: notificationPage } } },
    async (request) => notifications.listNotifications(requireUserId(request), request.query),
  );

  app.post(
    '/api/v1/notifications/read-all',
    { schema: { summary: 'Mark all your notifications read', tags, response: { 204: noContent } } },
    async (request, reply) => {
      await notifications.markAllRead(requireUserId(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    { schema: { summary: 'Mark a notification read', tags, params: idParams('id'), response: { 204: noContent } } },
    async (request, reply) => {
      await notifications.markRead(requireUserId(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

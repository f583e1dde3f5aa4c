import { activityPage, activityQuery } from '../../../core/schemas/activity.js';
import { idParams } from '../../../core/schemas/common.js';
import { requireUserId } from '../../http/authentication.js';
import type { Api } from '../../http/route-types.js';
import type { ActivityService } from './activity.service.js';

export function registerActivityRoutes(app: Api, history: ActivityService): void {
  const tags = ['activity'];

  app.get(
    '/api/v1/lists/:listId/activity',
    { schema: { summary: "A list's history, newest first", tags, params: idParams('listId'), querystring: activityQuery, response: { 200: activityPage } } },
    async (request) => history.listListActivity(requireUserId(request), request.params.listId, request.query),
  );

  /** The workspace's whole history, for its admins. */
  app.get(
    '/api/v1/workspaces/:workspaceId/activity',
    {
      schema: {
        summary: "A workspace's whole history (its admins)",
        problems: ['forbidden'],
        tags,
        params: idParams('workspaceId'),
        querystring: activityQuery,
        response: { 200: activityPage },
      },
    },
    async (request) => history.listWorkspaceActivity(requireUserId(request), request.params.workspaceId, request.query),
  );
}

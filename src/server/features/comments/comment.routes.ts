import { idParams, pageOf, pageQuery } from '../../../core/schemas/common.js';
import { commentSchema, createCommentBody } from '../../../core/schemas/comments.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import type { CommentService } from './comment.service.js';

export function registerCommentRoutes(app: Api, comments: CommentService): void {
  const tags = ['comments'];
  const params = idParams('taskId');

  app.get(
    '/api/v1/tasks/:taskId/comments',
    { schema: { summary: "A task's comments", tags, params, querystring: pageQuery, response: { 200: pageOf(commentSchema) } } },
    async (request) => comments.listComments(requireUserId(request), request.params.taskId, request.query),
  );

  app.post(
    '/api/v1/tasks/:taskId/comments',
    {
      schema: {
        summary: 'Comment on a task',
        problems: ['forbidden', 'task_deleted', 'conflict'],
        tags,
        params,
        body: createCommentBody,
        response: { 201: commentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await comments.createComment(requireUserId(request), request.params.taskId, request.body.body, idempotencyKeyOf(request))),
  );
}

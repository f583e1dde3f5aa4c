import { z } from 'zod';
import { workspaceSummarySchema } from '../../../core/schemas/auth.js';
import { idParams, idSchema, noQuery, wholeCollectionOf } from '../../../core/schemas/common.js';
import { createWorkspaceBody, updateWorkspaceMemberBody, workspaceMemberSchema } from '../../../core/schemas/workspaces.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf } from '../../http/idempotency.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { WorkspaceService } from './workspace.service.js';

export function registerWorkspaceRoutes(app: Api, workspaces: WorkspaceService): void {
  const tags = ['workspaces'];
  const params = idParams('workspaceId');
  const memberParams = z.strictObject({ workspaceId: idSchema, userId: idSchema });

  app.get(
    '/api/v1/workspaces',
    { schema: { summary: 'Your workspaces', tags, querystring: noQuery, response: { 200: wholeCollectionOf(workspaceSummarySchema) } } },
    async (request) => ({
      items: await workspaces.listWorkspaces(requireUserId(request)),
      nextCursor: null,
    }),
  );

  /** Creates a team workspace; the caller is its admin. */
  app.post(
    '/api/v1/workspaces',
    { schema: { summary: 'Create a team workspace (you are its admin)', tags, body: createWorkspaceBody, response: { 201: workspaceSummarySchema } } },
    async (request, reply) => reply.status(201).send(await workspaces.createWorkspace(requireUserId(request), request.body.name)),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/members',
    {
      schema: {
        summary: "A workspace's members",
        problems: ['forbidden'],
        tags,
        params,
        querystring: noQuery,
        response: { 200: wholeCollectionOf(workspaceMemberSchema) },
      },
    },
    async (request) => ({ ...(await workspaces.listMembers(requireUserId(request), request.params.workspaceId)), nextCursor: null }),
  );

  app.patch(
    '/api/v1/workspaces/:workspaceId/members/:userId',
    {
      schema: {
        summary: "Change a workspace member's role",
        problems: ['forbidden', 'last_owner', 'unprocessable'],
        keyIsMutationId: true,
        tags,
        params: memberParams,
        body: updateWorkspaceMemberBody,
        response: { 200: workspaceMemberSchema },
      },
    },
    async (request) =>
      workspaces.updateMemberRole(requireUserId(request), request.params.workspaceId, request.params.userId, request.body.role, idempotencyKeyOf(request)),
  );

  /** Removes someone from the workspace; removing yourself leaves it. */
  app.delete(
    '/api/v1/workspaces/:workspaceId/members/:userId',
    {
      schema: {
        summary: 'Remove someone from a workspace, or leave it',
        problems: ['forbidden', 'last_owner', 'unprocessable'],
        keyIsMutationId: true,
        tags,
        params: memberParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await workspaces.removeMember(requireUserId(request), request.params.workspaceId, request.params.userId, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );
}

import { z } from 'zod';
import { acceptTokenBody } from '../../../core/schemas/members.js';
import { idParams, idSchema, noQuery, wholeCollectionOf } from '../../../core/schemas/common.js';
import {
  addWorkspaceMemberBody,
  createdWorkspaceInvitationResponse,
  joinedWorkspaceResponse,
  pendingWorkspaceInvitationSchema,
  workspaceInvitationSchema,
} from '../../../core/schemas/workspaces.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf, responseHoldsSecret } from '../../http/idempotency.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { WorkspaceInvitationService } from './workspace-invitation.service.js';

export function registerWorkspaceInvitationRoutes(app: Api, invitations: WorkspaceInvitationService): void {
  const tags = ['workspaces'];
  const workspaceParams = idParams('workspaceId');
  const params = idParams('id');

  /** Adding someone is inviting them: they are in the workspace once they accept (202). The link is shown only here. */
  app.post(
    '/api/v1/workspaces/:workspaceId/members',
    {
      ...responseHoldsSecret,
      schema: {
        summary: 'Invite someone to a team workspace by email; they join when they accept',
        problems: ['forbidden', 'already_member', 'unprocessable'],
        tags,
        params: workspaceParams,
        body: addWorkspaceMemberBody,
        response: { 202: createdWorkspaceInvitationResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await invitations.invite(requireUserId(request), request.params.workspaceId, request.body.email, request.body.role, idempotencyKeyOf(request))),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/invitations',
    {
      schema: {
        summary: "A workspace's pending invitations (for its admins)",
        problems: ['forbidden'],
        tags,
        params: workspaceParams,
        querystring: noQuery,
        response: { 200: wholeCollectionOf(workspaceInvitationSchema) },
      },
    },
    async (request) => ({ ...(await invitations.listInvitationsOfWorkspace(requireUserId(request), request.params.workspaceId)), nextCursor: null }),
  );

  /** Withdraws a pending invitation: its link stops working at once. */
  app.delete(
    '/api/v1/workspaces/:workspaceId/invitations/:invitationId',
    {
      schema: {
        summary: 'Withdraw a pending workspace invitation',
        problems: ['forbidden', 'gone'],
        keyIsMutationId: true,
        tags,
        params: z.strictObject({ workspaceId: idSchema, invitationId: idSchema }),
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await invitations.revoke(requireUserId(request), request.params.workspaceId, request.params.invitationId, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/workspace-invitations',
    {
      schema: {
        summary: 'Your pending invitations to team workspaces',
        tags,
        querystring: noQuery,
        response: { 200: wholeCollectionOf(pendingWorkspaceInvitationSchema) },
      },
    },
    async (request) => ({ ...(await invitations.listMyInvitations(requireUserId(request))), nextCursor: null }),
  );

  /** Accepts with the secret from an invitation link (`/workspace-invite#<token>`), e.g. right after signing up. */
  app.post(
    '/api/v1/workspace-invitations/accept-token',
    {
      schema: {
        summary: "Accept a workspace invitation with its link's secret",
        problems: ['not_found', 'gone', 'already_member'],
        tags,
        body: acceptTokenBody,
        response: { 200: joinedWorkspaceResponse },
      },
    },
    async (request) => invitations.acceptToken(requireUserId(request), request.body.token, idempotencyKeyOf(request)),
  );

  app.post(
    '/api/v1/workspace-invitations/:id/accept',
    { schema: { summary: 'Accept a workspace invitation', problems: ['gone'], tags, params, response: { 200: joinedWorkspaceResponse } } },
    async (request) => invitations.accept(requireUserId(request), request.params.id, idempotencyKeyOf(request)),
  );

  app.post(
    '/api/v1/workspace-invitations/:id/decline',
    { schema: { summary: 'Decline a workspace invitation', problems: ['gone'], tags, params, response: { 204: noContent } } },
    async (request, reply) => {
      await invitations.decline(requireUserId(request), request.params.id, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );
}

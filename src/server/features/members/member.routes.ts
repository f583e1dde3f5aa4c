import { z } from 'zod';
import { idSchema, noQuery, wholeCollectionOf } from '../../../core/schemas/common.js';
import { createdInvitationResponse, inviteMemberBody, memberSchema, updateMemberBody } from '../../../core/schemas/members.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf, responseHoldsSecret } from '../../http/idempotency.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { InvitationService } from '../invitations/invitation.service.js';
import type { MemberService } from './member.service.js';

export function registerMemberRoutes(app: Api, members: MemberService, invitations: InvitationService): void {
  const tags = ['members'];
  const listParams = z.strictObject({ listId: idSchema });
  const memberParams = z.strictObject({ listId: idSchema, userId: idSchema });

  app.get(
    '/api/v1/lists/:listId/members',
    { schema: { summary: "A list's members", tags, params: listParams, querystring: noQuery, response: { 200: wholeCollectionOf(memberSchema) } } },
    async (request) => ({ ...(await members.listMembers(requireUserId(request), request.params.listId)), nextCursor: null }),
  );

  /** Invites by email; the member joins when they accept. */
  app.post(
    '/api/v1/lists/:listId/members',
    {
      ...responseHoldsSecret,
      schema: {
        summary: 'Invite someone to a list by email (the link is shown once)',
        problems: ['forbidden', 'role_too_high', 'already_member', 'limit_reached', 'unprocessable'],
        tags,
        params: listParams,
        body: inviteMemberBody,
        response: { 201: createdInvitationResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await invitations.inviteMember(requireUserId(request), request.params.listId, request.body, idempotencyKeyOf(request))),
  );

  app.patch(
    '/api/v1/lists/:listId/members/:userId',
    {
      schema: {
        summary: "Change a member's role",
        problems: ['forbidden', 'role_too_high', 'last_owner', 'limit_reached'],
        keyIsMutationId: true,
        tags,
        params: memberParams,
        body: updateMemberBody,
        response: { 200: memberSchema },
      },
    },
    async (request) =>
      members.updateMemberRole(requireUserId(request), request.params.listId, request.params.userId, request.body.role, idempotencyKeyOf(request)),
  );

  /** Removes a member; a member removing themself leaves the list. */
  app.delete(
    '/api/v1/lists/:listId/members/:userId',
    {
      schema: {
        summary: 'Remove a member, or leave the list',
        problems: ['forbidden', 'last_owner', 'unprocessable'],
        keyIsMutationId: true,
        tags,
        params: memberParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await members.removeMember(requireUserId(request), request.params.listId, request.params.userId, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );
}

import { z } from 'zod';
import { idParams, idSchema, noQuery, wholeCollectionOf } from '../../../core/schemas/common.js';
import { listSchema } from '../../../core/schemas/lists.js';
import { acceptTokenBody, invitationSchema, pendingInvitationSchema } from '../../../core/schemas/members.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf } from '../../http/idempotency.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { InvitationService } from './invitation.service.js';

export function registerInvitationRoutes(app: Api, invitations: InvitationService): void {
  const tags = ['invitations'];
  const params = idParams('id');
  const joined = z.object({ list: listSchema });

  app.get(
    '/api/v1/invitations',
    { schema: { summary: 'Your pending invitations', tags, querystring: noQuery, response: { 200: wholeCollectionOf(pendingInvitationSchema) } } },
    async (request) => ({ ...(await invitations.listMyInvitations(requireUserId(request))), nextCursor: null }),
  );

  /** Accepts with the secret from an invitation link (`/invite#<token>`), e.g. right after signing up. */
  app.post(
    '/api/v1/invitations/accept-token',
    {
      schema: {
        summary: "Accept an invitation with its link's secret",
        problems: ['not_found', 'gone', 'limit_reached'],
        tags,
        body: acceptTokenBody,
        response: { 200: joined },
      },
    },
    async (request) => invitations.acceptInvitationToken(requireUserId(request), request.body.token, idempotencyKeyOf(request)),
  );

  app.post(
    '/api/v1/invitations/:id/accept',
    { schema: { summary: 'Accept an invitation', problems: ['gone', 'limit_reached'], tags, params, response: { 200: joined } } },
    async (request) => invitations.acceptInvitation(requireUserId(request), request.params.id, idempotencyKeyOf(request)),
  );

  app.post(
    '/api/v1/invitations/:id/decline',
    { schema: { summary: 'Decline an invitation', problems: ['gone'], tags, params, response: { 204: noContent } } },
    async (request, reply) => {
      await invitations.declineInvitation(requireUserId(request), request.params.id, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/lists/:listId/invitations',
    {
      schema: {
        summary: "A list's pending invitations (for those who may invite)",
        problems: ['forbidden'],
        tags,
        params: idParams('listId'),
        querystring: noQuery,
        response: { 200: wholeCollectionOf(invitationSchema) },
      },
    },
    async (request) => ({ ...(await invitations.listInvitationsOfList(requireUserId(request), request.params.listId)), nextCursor: null }),
  );

  /** Revokes a pending invitation: its link stops working at once. */
  app.delete(
    '/api/v1/lists/:listId/invitations/:invitationId',
    {
      schema: {
        summary: 'Revoke a pending invitation',
        problems: ['forbidden', 'gone'],
        keyIsMutationId: true,
        tags,
        params: z.strictObject({ listId: idSchema, invitationId: idSchema }),
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await invitations.revokeInvitation(requireUserId(request), request.params.listId, request.params.invitationId, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );
}

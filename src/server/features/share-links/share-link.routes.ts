import { z } from 'zod';
import { idParams } from '../../../core/schemas/common.js';
import { listSchema } from '../../../core/schemas/lists.js';
import { acceptTokenBody, createShareLinkBody, createdShareLinkResponse, shareLinkResponse } from '../../../core/schemas/members.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf, responseHoldsSecret } from '../../http/idempotency.js';
import { noContent, type Api } from '../../http/route-types.js';
import type { ShareLinkService } from './share-link.service.js';

export function registerShareLinkRoutes(app: Api, shareLinks: ShareLinkService): void {
  const tags = ['sharing'];
  const params = idParams('listId');

  app.get(
    '/api/v1/lists/:listId/share-link',
    { schema: { summary: "The list's share link (its owner)", problems: ['forbidden'], tags, params, response: { 200: shareLinkResponse } } },
    async (request) => shareLinks.getShareLink(requireUserId(request), request.params.listId),
  );

  /** Makes a new link with the role (the previous link stops working); the URL is shown only here. */
  app.post(
    '/api/v1/lists/:listId/share-link',
    {
      ...responseHoldsSecret,
      schema: {
        summary: 'Make a new share link, replacing the old one (the URL is shown once)',
        problems: ['forbidden', 'role_too_high', 'unprocessable'],
        tags,
        params,
        body: createShareLinkBody,
        response: { 201: createdShareLinkResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await shareLinks.createShareLink(requireUserId(request), request.params.listId, request.body.role)),
  );

  /** Turns the link off. */
  app.delete(
    '/api/v1/lists/:listId/share-link',
    { schema: { summary: 'Turn the share link off', problems: ['forbidden'], tags, params, response: { 204: noContent } } },
    async (request, reply) => {
      await shareLinks.disableShareLink(requireUserId(request), request.params.listId);
      return reply.status(204).send(null);
    },
  );

  /** Joins a list with the secret of its share link (`/join#<token>`). */
  app.post(
    '/api/v1/share-links/join',
    {
      schema: {
        summary: "Join a list with its share link's secret",
        problems: ['not_found', 'gone', 'limit_reached'],
        tags,
        body: acceptTokenBody,
        response: { 200: z.object({ list: listSchema }) },
      },
    },
    async (request) => shareLinks.joinWithShareLink(requireUserId(request), request.body.token, idempotencyKeyOf(request)),
  );
}

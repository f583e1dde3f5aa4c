import { z } from 'zod';
import { createTokenBody, createdTokenSchema, tokenSchema } from '../../../core/schemas/auth.js';
import { idParams, noQuery, wholeCollectionOf } from '../../../core/schemas/common.js';
import { forbidden } from '../../../core/errors.js';
import { requirePrincipal, requireUserId } from '../../http/authentication.js';
import { responseHoldsSecret } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import type { TokenService } from './token.service.js';

export function registerTokenRoutes(app: Api, tokens: TokenService): void {
  /**
   * Only a signed-in browser session makes tokens: a stolen token must not mint another that outlives
   * its own revocation. Listing (no secrets) and revoking (it only takes access away; a script may
   * revoke its own token when it signs out) stay open to tokens.
   */
  app.post(
    '/api/v1/tokens',
    {
      ...responseHoldsSecret,
      schema: {
        summary: 'Create a personal API token (from a browser session; the token is shown once)',
        problems: ['forbidden'],
        tags: ['tokens'],
        body: createTokenBody,
        response: { 201: createdTokenSchema },
      },
    },
    async (request, reply) => {
      if (requirePrincipal(request).via !== 'session') {
        throw forbidden('API tokens are created from a signed-in session in the browser, not with another API token');
      }
      return reply.status(201).send(await tokens.createToken(requireUserId(request), request.body.name));
    },
  );

  app.get(
    '/api/v1/tokens',
    { schema: { summary: 'List your API tokens', tags: ['tokens'], querystring: noQuery, response: { 200: wholeCollectionOf(tokenSchema) } } },
    async (request) => ({
      items: await tokens.listTokens(requireUserId(request)),
      nextCursor: null,
    }),
  );

  app.delete(
    '/api/v1/tokens/:id',
    { schema: { summary: 'Revoke an API token', tags: ['tokens'], params: idParams('id'), response: { 204: z.null() } } },
    async (request, reply) => {
      await tokens.revokeToken(requireUserId(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

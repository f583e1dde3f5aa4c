import { z } from 'zod';
import { authResponse, loginBody, meResponse, sessionResponse, signupBody } from '../../../core/schemas/auth.js';
import { clearSessionCookie, requirePrincipal, requireUserId, setSessionCookie } from '../../http/authentication.js';
import { bodyHoldsSecret } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import { listWorkspacesOf } from '../workspaces/workspace.repository.js';
import type { AuthService } from './auth.service.js';
import type { AppContext } from '../../context.js';

export function registerAuthRoutes(app: Api, auth: AuthService, ctx: AppContext): void {
  app.post(
    '/api/v1/auth/signup',
    {
      ...bodyHoldsSecret,
      schema: {
        summary: 'Create an account and sign in',
        description: "An administrator's address (LISTO_ADMIN_EMAILS) is refused (403): the operator makes that account with `listo users create`.",
        security: [],
        problems: ['email_taken', 'forbidden', 'too_many_requests'],
        tags: ['auth'],
        body: signupBody,
        response: { 201: authResponse },
      },
    },
    async (request, reply) => {
      const { user, sessionToken } = await auth.signup(request.body, request.ip);
      setSessionCookie(request, reply, sessionToken, ctx.config.sessionDays);
      return reply.status(201).send({ user });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      ...bodyHoldsSecret,
      schema: {
        summary: 'Sign in with email and password',
        security: [],
        problems: ['invalid_credentials', 'too_many_requests'],
        tags: ['auth'],
        body: loginBody,
        response: { 200: authResponse },
      },
    },
    async (request, reply) => {
      const { user, sessionToken } = await auth.login(request.body, request.ip);
      setSessionCookie(request, reply, sessionToken, ctx.config.sessionDays);
      return { user };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { summary: 'Sign out: ends the browser session', security: [{}, { session: [] }, { bearer: [] }], tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      if (request.principal) await auth.logout(request.principal);
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  const me = async (userId: string) => {
    const [user, workspaces] = await Promise.all([auth.getUser(userId), listWorkspacesOf(ctx.db.kysely, userId)]);
    return { user, workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, kind: w.kind, role: w.role })) };
  };

  app.get('/api/v1/me', { schema: { summary: 'The signed-in user and their workspaces', tags: ['auth'], response: { 200: meResponse } } }, async (request) => {
    requirePrincipal(request);
    return me(requireUserId(request));
  });

  /**
   * Who is signed in, or `{me: null}`: what a page asks when it opens. Unlike `/me`, nobody signed in is an answer,
   * not a 401, which browsers log as an error in the console of everyone who visits signed out.
   */
  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        summary: 'Who is signed in, or `{me: null}`',
        security: [{}, { session: [] }, { bearer: [] }],
        tags: ['auth'],
        response: { 200: sessionResponse },
      },
    },
    async (request) => ({
      me: request.principal ? await me(requireUserId(request)) : null,
    }),
  );
}

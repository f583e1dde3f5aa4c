/**
 * Who is calling: a session cookie (browsers) or `Authorization: Bearer` (scripts). Cookie-authenticated
 * unsafe requests must come from our own origin (CSRF); bearer requests need no such check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { AuthService, Principal } from '../features/auth/auth.service.js';

export const sessionCookieName = 'listo_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The request comes from a page of our own origin, by the browser's own testimony. */
export function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin) return origin === `${request.protocol}://${request.host}`;
  return request.headers['sec-fetch-site'] === 'same-origin';
}

function hasCrossSiteMarker(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return Boolean(request.headers.origin || (site && site !== 'same-origin' && site !== 'none')) && !isSameOrigin(request);
}

export async function resolvePrincipal(request: FastifyRequest, auth: AuthService): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? auth.resolveApiToken(match[1]!) : null;
  }
  const token = request.cookies[sessionCookieName];
  return token ? auth.resolveSession(token) : null;
}

export function registerAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // By the route matched, not the raw URL: the router decodes percent-escapes, so `/%61pi/…` reaches API handlers too.
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    request.principal = await resolvePrincipal(request, auth);
    if (!unsafeMethods.has(request.method) || request.principal?.via === 'token') return;
    // A cookie-authenticated write must prove it is same-origin; anyone else must at least not be cross-site.
    const cookieAuthenticated = request.principal?.via === 'session';
    if ((cookieAuthenticated && !isSameOrigin(request)) || hasCrossSiteMarker(request)) {
      throw new AppError('cross_origin_request', 'Cross-origin requests are not accepted; use an API token');
    }
  });
}

/** The caller's principal, or 401. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Sign in, or send an API token, to continue');
  return request.principal;
}

export const requireUserId = (request: FastifyRequest): string => requirePrincipal(request).userId;

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeDays: number): void {
  reply.setCookie(sessionCookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: maxAgeDays * 86_400,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

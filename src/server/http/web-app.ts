/**
 * Serves the built web app at `/`, with client-side routes falling back to index.html, and answers
 * everything else that matches no route with a problem: 405 with `Allow` for an API path asked with a
 * method it does not take, else 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AllowedMethods } from './allowed-methods.js';
import { problemOf, sendProblem } from './error-handler.js';

export async function registerWebAppAndFallback(app: FastifyInstance, webRoot: string | null, allowedMethods: AllowedMethods): Promise<void> {
  const served = Boolean(webRoot && fs.existsSync(path.join(webRoot, 'index.html')));
  if (served) await app.register(fastifyStatic, { root: webRoot!, wildcard: false, index: ['index.html'], maxAge: '1h' });
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (served && request.method === 'GET' && !pathname.startsWith('/api/') && !path.extname(pathname)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const allowed = allowedMethods(pathname);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, problemOf('method_not_allowed', `${pathname} does not take ${request.method}; it takes ${allowed.join(', ')}`));
    }
    return sendProblem(reply, problemOf('not_found', `No route for ${request.method} ${pathname}`));
  });
}

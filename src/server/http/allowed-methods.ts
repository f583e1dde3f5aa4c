/**
 * Which methods a path takes, for the 405 answer: a path that exists, asked with a method it does not take
 * (`PUT /api/v1/tasks/:id`), is 405 with `Allow`, not a 404 saying there is no such route.
 */
import type { FastifyInstance } from 'fastify';

export type AllowedMethods = (pathname: string) => string[];

/** Call before the routes are registered: it learns each API route as it is added. */
export function trackApiRoutes(app: FastifyInstance): AllowedMethods {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const source = route.url
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    // Exactly as the router matches: no trailing slash (a path with one is no route at all, a 404).
    routes.push({ pattern: new RegExp(`^${source}$`), methods: [route.method].flat() });
  });
  return (pathname) => {
    const methods = new Set<string>();
    for (const route of routes) if (route.pattern.test(pathname)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  };
}

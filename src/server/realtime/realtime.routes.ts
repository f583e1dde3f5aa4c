/** `GET /api/v1/realtime`: the WebSocket endpoint. Authenticated before the upgrade; never by a token in the URL. */
import fastifyWebsocket from '@fastify/websocket';
import { AppError } from '../../core/errors.js';
import { realtimeLimits } from '../../core/realtime/protocol.js';
import { isSameOrigin, requirePrincipal } from '../http/authentication.js';
import type { Api } from '../http/route-types.js';
import { findUserById } from '../features/auth/user.repository.js';
import type { RealtimeHub } from './realtime-hub.js';

const viewerNames = new WeakMap<object, string>();

export async function registerRealtimeRoutes(app: Api, hub: RealtimeHub): Promise<void> {
  await app.register(fastifyWebsocket, { options: { maxPayload: realtimeLimits.maxFrameBytes } });

  app.get(
    '/api/v1/realtime',
    {
      websocket: true,
      schema: { hide: true },
      // Runs before the upgrade: a refused connection gets a plain HTTP problem response.
      preValidation: async (request) => {
        const principal = requirePrincipal(request);
        if (principal.via === 'session' && !isSameOrigin(request)) {
          throw new AppError('cross_origin_request', 'A cookie-authenticated WebSocket must come from this origin');
        }
        // Looked up before the upgrade: once the socket is open, its listeners must attach synchronously
        // or the client's first messages would be lost.
        viewerNames.set(request, (await findUserById(app.listo.db.kysely, principal.userId))?.name ?? '');
      },
    },
    (socket, request) => {
      const principal = requirePrincipal(request);
      hub.accept(socket, principal, { userId: principal.userId, name: viewerNames.get(request) ?? '' });
    },
  );
}

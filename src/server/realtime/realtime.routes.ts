/** `GET /api/v1/realtime`: the WebSocket endpoint. Authenticated before the upgrade; never by a token in the URL. */
import fastifyWebsocket from '@fastify/websocket';
import { AppError } from '../../core/errors.js';
import { closeCodes, realtimeLimits } from '../../core/realtime/protocol.js';
import { isSameOrigin, requirePrincipal } from '../http/authentication.js';
import type { Api } from '../http/route-types.js';
import { findUserById } from '../features/auth/user.repository.js';
import type { RealtimeHub } from './realtime-hub.js';

const viewerNames = new WeakMap<object, string>();

/** At shutdown, how long a client has to answer the close frame before its connection is cut (ws would wait 30 s). */
const closeHandshakeGraceMs = 2_000;

export async function registerRealtimeRoutes(app: Api, hub: RealtimeHub): Promise<void> {
  await app.register(fastifyWebsocket, {
    options: { maxPayload: realtimeLimits.maxFrameBytes },
    // Instead of the plugin's own, which runs before the app's hooks and closes every socket without a code (1005):
    // clients are told 1001 'server shutting down' (going away: reconnect elsewhere), and one that never answers
    // the close frame (a phone asleep, a dead NAT mapping) is cut after a grace, not left to hold the shutdown.
    preClose(done) {
      hub.close();
      for (const client of this.websocketServer.clients) {
        client.close(closeCodes.goingAway, 'server shutting down'); // one the hub has not taken yet; else nothing
        setTimeout(() => client.terminate(), closeHandshakeGraceMs).unref();
      }
      this.websocketServer.close(); // refuses upgrades from now on (503)
      done();
    },
  });

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
        const { socketsPerUser } = app.listo.config;
        if (socketsPerUser > 0 && hub.connectionsOf(principal.userId) >= socketsPerUser) {
          throw new AppError('too_many_requests', `This account already has ${socketsPerUser} real-time connections open here: close some tabs or scripts`);
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

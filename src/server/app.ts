/**
 * Builds the HTTP application without listening (tests and the CLI both use it).
 * Wiring only: infrastructure, services, and each feature's routes.
 */
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import pino, { type Logger } from 'pino';
import { limits } from '../core/limits.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { migrateToLatest, openDatabase, type Db } from './db/database.js';
import { createActivityRecorder } from './features/activity/activity.recorder.js';
import { createBilling } from './billing/billing.module.js';
import { registerBillingRoutes } from './billing/billing.routes.js';
import { registerAuthRoutes } from './features/auth/auth.routes.js';
import { createAuthService } from './features/auth/auth.service.js';
import { registerListRoutes } from './features/lists/list.routes.js';
import { createListService } from './features/lists/list.service.js';
import { registerTaskRoutes } from './features/tasks/task.routes.js';
import { createTaskService } from './features/tasks/task.service.js';
import { registerTokenRoutes } from './features/tokens/token.routes.js';
import { createTokenService } from './features/tokens/token.service.js';
import { openBlobStore, type BlobStore } from './blobs/blob-store.js';
import { registerGifSearchRoutes } from './features/gif-search/gif-search.routes.js';
import { registerUploadRoutes } from './features/uploads/upload.routes.js';
import { createUploadService, type UploadService } from './features/uploads/upload.service.js';
import { registerActivityRoutes } from './features/activity/activity.routes.js';
import { createActivityService } from './features/activity/activity.service.js';
import { registerCommentRoutes } from './features/comments/comment.routes.js';
import { createCommentService } from './features/comments/comment.service.js';
import { registerInvitationRoutes } from './features/invitations/invitation.routes.js';
import { createInvitationService } from './features/invitations/invitation.service.js';
import { registerMemberRoutes } from './features/members/member.routes.js';
import { createMemberService } from './features/members/member.service.js';
import { registerNotificationRoutes } from './features/notifications/notification.routes.js';
import { createNotificationService } from './features/notifications/notification.service.js';
import { registerShareLinkRoutes } from './features/share-links/share-link.routes.js';
import { createShareLinkService } from './features/share-links/share-link.service.js';
import { registerWorkspaceInvitationRoutes } from './features/workspaces/workspace-invitation.routes.js';
import { createWorkspaceInvitationService } from './features/workspaces/workspace-invitation.service.js';
import { registerWorkspaceRoutes } from './features/workspaces/workspace.routes.js';
import { createWorkspaceService } from './features/workspaces/workspace.service.js';
import { registerAuthentication } from './http/authentication.js';
import {
  clientErrorHandler,
  problemOf,
  registerErrorHandler,
  requestTimedOut,
  sendProblem,
  shuttingDownBeforeArrival,
  unavailableRetryAfterSeconds,
} from './http/error-handler.js';
import { boundBodyArrival } from './http/body-deadline.js';
import { refuseMalformedText } from './http/text-input.js';
import { readRequestBodies } from './http/request-body.js';
import { refuseBodiesOfBodylessRoutes } from './http/bodyless-routes.js';
import { registerHealthRoutes } from './http/health.routes.js';
import { registerIdempotency } from './http/idempotency.js';
import { openApiTransform, openApiTransformObject } from './http/openapi.js';
import type { Api } from './http/route-types.js';
import { registerWebAppAndFallback } from './http/web-app.js';
import { trackApiRoutes } from './http/allowed-methods.js';
import { createLocalChangeBus, type ChangeBus } from './realtime/change-bus.js';
import { RealtimeHub } from './realtime/realtime-hub.js';
import { registerRealtimeRoutes } from './realtime/realtime.routes.js';
import { createRedisChangeBus } from './realtime/redis-change-bus.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface BuildOptions {
  clock?: Clock;
  db?: Db;
  bus?: ChangeBus;
  logger?: Logger;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
  /** Where uploads are stored (default: as configured, the data directory or S3). */
  blobs?: BlobStore;
  /** Tests only: a shorter `requestTimeoutMs`. */
  requestTimeoutMs?: number;
}

/**
 * Fastify turns Node's request and socket timeouts off (0): a client that sent its headers and part of a body, then
 * stalled, held its connection, and any shutdown, for good. Headers must arrive within Node's `headersTimeout`
 * (60 s); a body parsed before its handler, within `requestTimeoutMs` after them, else 408 (problem+json). A body the
 * handler streams (an upload) may take longer while it keeps coming (`http/body-deadline.ts`): Node's own request
 * timeout, one limit for every route, would cut a 25 MiB file over a 200 KB/s uplink, so it is off and that module
 * bounds bodies instead.
 */
export const requestTimeoutMs = 120_000;
/**
 * A socket with no traffic either way for this long is closed (a client that stopped reading a response, a handler
 * stuck that long): above the keep-alive timeout (72 s, which closes idle keep-alive connections first) and above
 * the request timeout plus Node's check interval, so a stalled body gets its 408 first. Upgraded WebSockets are not
 * affected (ws turns their timeout off; the hub's heartbeat finds dead ones).
 */
export const connectionTimeoutMs = 180_000;

declare module 'fastify' {
  interface FastifyInstance {
    listo: AppContext;
    /** For the periodic sweep of unused uploads (`jobs/maintenance.ts`). */
    uploads: UploadService;
  }
}

/**
 * What the log never holds, even when an error is logged whole: credentials in request and response headers, fields
 * named password or token, the arguments of a failed Redis command (ioredis hangs the command on its errors: a
 * refused AUTH carries the password) and the raw bytes of a request Node could not parse (`rawPacket` of a
 * `clientError`: its cookie and bearer token).
 */
const logRedactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.command.args',
  '*.rawPacket',
];

/** The process's logger: JSON lines to stdout, or to `destination` (tests). */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: logRedactPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * At a shutdown, how long a request that has not all arrived (headers, or a body parsed before its handler) may still
 * take to come before its connection is cut: the bytes already on their way, not a client that stalled or dribbles
 * (a slowloris, a phone that lost its signal), which would otherwise hold every shutdown to its 10 s deadline and exit 1.
 */
export const shutdownArrivalGraceMs = 1_000;

/**
 * Drains the HTTP connections at a shutdown. Closing stops new connections and closes the idle ones once; a keep-alive
 * connection whose response was still streaming (a file download) is closed as it falls idle, not at its keep-alive
 * timeout (72 s). A connection is waited for while it is owed an answer: its request has all arrived, has reached its
 * handler (an upload streams its body there), or its answer has begun. One whose request is still arriving gets
 * `shutdownArrivalGraceMs`, then a 503 (send it again: nothing of it was done) and is closed; so is one with half its
 * headers. WebSockets are not ours here (the realtime routes close them with 1001).
 */
function drainConnectionsOnShutdown(app: FastifyInstance, log: Logger): () => void {
  const server = app.server;
  const sockets = new Set<Socket>();
  const upgraded = new WeakSet<Duplex>();
  /** Each connection's exchanges whose response has not closed (more than one when requests are pipelined). */
  const exchanges = new WeakMap<Socket, Set<ServerResponse>>();
  const handled = new WeakSet<IncomingMessage>();
  const requestIds = new WeakMap<IncomingMessage, string>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => upgraded.add(socket));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const open = exchanges.get(socket) ?? new Set<ServerResponse>();
    exchanges.set(socket, open);
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  app.addHook('onRequest', async (request) => {
    requestIds.set(request.raw, request.id);
  });
  app.addHook('preHandler', async (request) => {
    handled.add(request.raw);
  });
  const owed = (response: ServerResponse) => response.headersSent || response.req.complete || handled.has(response.req);

  return () => {
    if (!server.listening) return;
    const startedAt = Date.now();
    let cut = 0;
    const sweep = setInterval(() => {
      server.closeIdleConnections();
      if (Date.now() - startedAt < shutdownArrivalGraceMs) return;
      for (const socket of sockets) {
        if (socket.destroyed || upgraded.has(socket)) continue;
        const open = [...(exchanges.get(socket) ?? [])];
        if (open.some(owed)) continue;
        cut++;
        shuttingDownBeforeArrival(socket, open[0] && requestIds.get(open[0].req));
      }
    }, 50).unref();
    server.once('close', () => {
      clearInterval(sweep);
      if (cut > 0) log.info({ connectionsCut: cut }, 'shutdown: closed connections whose request had not arrived (answered 503)');
    });
  };
}

/** An `X-Request-Id` a client or proxy sent is kept if it is a short plain token; it goes into logs and a header. */
const saneRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Each request's id: the incoming `X-Request-Id` when sane (a proxy's id correlates its logs with ours), otherwise a
 * random UUID (unique across nodes and restarts, unlike Fastify's per-process `req-1`, `req-2`, …). Fastify's
 * `requestIdHeader` would take the header as it comes, of any length or content, so this reads it itself.
 */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const log = options.logger ?? createLogger(config);
  // Only the code and message: pg may hang the client, and its connection settings, on the error.
  const onConnectionError = (error: Error) => log.warn({ code: (error as { code?: string }).code, reason: error.message }, 'database connection lost');
  const db = options.db ?? openDatabase(config, { onConnectionError });
  if (options.migrate !== false) await migrateToLatest(db, config.databaseSchema);
  const nodeId = randomUUID();
  const bus = options.bus ?? (config.redisUrl ? createRedisChangeBus(config.redisUrl, log, nodeId) : createLocalChangeBus());
  const ctx: AppContext = { config, db, clock: options.clock ?? systemClock, log, bus };

  const requestTimeout = options.requestTimeoutMs ?? requestTimeoutMs;
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: limits.requestBodyBytes,
    trustProxy: config.trustProxy,
    // Node's whole-request timeout is off: `boundBodyArrival` bounds bodies, per kind of route.
    requestTimeout: 0,
    connectionTimeout: connectionTimeoutMs,
    // Node checks the headers timeout at an interval (30 s by default): a shorter one (tests) is checked sooner.
    http: { connectionsCheckingInterval: Math.min(30_000, Math.ceil(requestTimeout / 4)), headersTimeout: Math.min(60_000, requestTimeout) },
    clientErrorHandler,
    // A request that comes during the shutdown (on a keep-alive connection) is answered by the hook below, in problem+json.
    return503OnClosing: false,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A path that is not valid percent-encoding never reaches a route: still a problem+json, not Fastify's own shape.
    frameworkErrors: (error, _request, reply) =>
      error.code === 'FST_ERR_BAD_URL'
        ? sendProblem(reply, problemOf('validation_failed', 'The URL is not validly percent-encoded'))
        : sendProblem(reply, problemOf('validation_failed', 'The request is invalid')),
    // Per-request access logs only when debugging: at thousands of requests a second they cost more than the work.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  }).withTypeProvider<ZodTypeProvider>() as unknown as Api;
  app.decorate('listo', ctx);
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; handlers already build exactly those shapes, so serialize directly.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandler(app);
  // Once the shutdown began, a request that still arrives (on a keep-alive connection, or pipelined) is refused before
  // any work, as every 503 is: problem+json with Retry-After (Fastify adds `Connection: close`). Its client retries on
  // another node; Fastify's own answer was `application/json` without a code, request id or Retry-After.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  const drainConnections = drainConnectionsOnShutdown(app, log);
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('Retry-After', String(unavailableRetryAfterSeconds));
    return sendProblem(reply, problemOf('service_unavailable', 'This server is shutting down; retry shortly'));
  });
  // Every response says which request it answers (problem+json bodies also carry it as `requestId`).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  boundBodyArrival(app, requestTimeout, requestTimedOut);
  readRequestBodies(app);
  refuseMalformedText(app);
  refuseBodiesOfBodylessRoutes(app);
  const allowedMethods = trackApiRoutes(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Listo API',
        version: '1.0.0',
        description:
          'Shared to-do lists. Every error is application/problem+json (RFC 9457, the `Problem` schema) with a stable `code`; ' +
          'each operation lists the statuses and codes it can answer. A POST takes an `Idempotency-Key` that makes a retry safe.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'listo_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from POST /api/v1/tokens' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    // Errors, Idempotency-Key and the Problem component are derived from each route's traits (http/openapi.ts).
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    return payload;
  });

  const auth = createAuthService(ctx);
  registerAuthentication(app, auth);
  registerIdempotency(app, db, ctx.clock);

  const billing = createBilling(ctx);
  await billing.time.refresh().catch((error: unknown) => log.warn({ err: error }, 'billing test clocks not loaded'));
  app.decorate('billing', billing);
  const activity = createActivityRecorder(ctx.bus, db.dialect, { stampTime: billing.time.stampActivityTime });
  registerHealthRoutes(app, db);
  registerAuthRoutes(app, auth, ctx);
  registerTokenRoutes(app, createTokenService(ctx));
  registerListRoutes(app, createListService(ctx, activity));
  registerTaskRoutes(app, createTaskService(ctx, activity));
  const uploads = createUploadService(ctx, options.blobs ?? openBlobStore(config));
  app.decorate('uploads', uploads);
  await registerUploadRoutes(app, uploads);
  registerGifSearchRoutes(app, config.gifSearch);
  const invitations = createInvitationService(ctx, activity);
  registerMemberRoutes(app, createMemberService(ctx, activity), invitations);
  registerInvitationRoutes(app, invitations);
  registerShareLinkRoutes(app, createShareLinkService(ctx, activity));
  registerCommentRoutes(app, createCommentService(ctx, activity));
  registerNotificationRoutes(app, createNotificationService(ctx));
  registerWorkspaceRoutes(app, createWorkspaceService(ctx, activity));
  registerWorkspaceInvitationRoutes(app, createWorkspaceInvitationService(ctx, activity));
  registerActivityRoutes(app, createActivityService(ctx));
  registerBillingRoutes(app, billing);
  const hub = new RealtimeHub(ctx, nodeId, auth.isStillValid);
  await registerRealtimeRoutes(app, hub);
  await registerWebAppAndFallback(app, config.webRoot, allowedMethods);

  // The WebSockets are closed (1001) by the realtime routes' preClose, which runs first.
  app.addHook('preClose', async () => {
    drainConnections();
  });
  app.addHook('onClose', async () => {
    if (!options.bus) await bus.close();
    if (!options.db) await db.close();
  });
  return app;
}

/**
 * How long a request's body may take to arrive (Node's own `requestTimeout` is one limit for the whole request, per
 * server; it is turned off and this takes its place):
 *
 * - a body parsed before the handler runs (JSON, every route but uploads) must have arrived `requestTimeoutMs` after
 *   its headers did (120 s), as before;
 * - a body the handler streams (`bodyStreamedByHandler`: uploads) may take as long as it needs while it keeps coming:
 *   it is cut when no byte has come for a quarter of that (30 s), or when, past `requestTimeoutMs`, it has come slower
 *   on average than `minStreamedBytesPerSecond`. One limit for all would cut a 25 MiB file over a 200 KB/s uplink
 *   (a slow mobile link) at 120 s, and anything bigger that a plan allows sooner.
 *
 * An answer sent before the body has all come closes the connection after it.
 *
 * Cut means what Node did: a 408 problem+json written to the socket (unless the handler has begun its answer), which
 * is then closed; a handler reading the body sees it end early and cleans up (an upload leaves nothing behind). The
 * headers keep Node's own `headersTimeout`. Checked by one sweep, as Node does, every `requestTimeoutMs / 4` (at most
 * 30 s), so a body is cut up to that much after its limit.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';

/** Below this average rate, past the request timeout, a streamed body is cut: slower than any real link. */
export const minStreamedBytesPerSecond = 8 * 1024;

interface BodyInArrival {
  request: FastifyRequest;
  reply: FastifyReply;
  socket: Socket;
  startedAt: number;
  streamed: boolean;
  /** The socket's `bytesRead` when the body began, and when it was last seen to grow. */
  firstByte: number;
  lastBytesRead: number;
  lastProgressAt: number;
}

export function boundBodyArrival(app: FastifyInstance, requestTimeoutMs: number, timeOut: (socket: Socket) => void): void {
  const arriving = new Set<BodyInArrival>();
  const idleMs = requestTimeoutMs / 4;

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    if (request.raw.complete || !socket) return; // no body, or all of it came with the headers
    const now = Date.now();
    arriving.add({
      request,
      reply,
      socket,
      startedAt: now,
      streamed: request.routeOptions.config.bodyStreamedByHandler === true,
      firstByte: socket.bytesRead,
      lastBytesRead: socket.bytesRead,
      lastProgressAt: now,
    });
  });

  function sweep(): void {
    const now = Date.now();
    for (const body of arriving) {
      const { request, reply, socket } = body;
      // Arrived, or the answer has begun (an early 413 closes the connection after it): no longer ours to bound.
      if (request.raw.complete || request.raw.destroyed || socket.destroyed || request.raw.socket !== socket || reply.raw.headersSent) {
        arriving.delete(body);
        continue;
      }
      if (socket.bytesRead > body.lastBytesRead) {
        body.lastBytesRead = socket.bytesRead;
        body.lastProgressAt = now;
      }
      const elapsed = now - body.startedAt;
      const late = body.streamed
        ? now - body.lastProgressAt > idleMs ||
          (elapsed > requestTimeoutMs && ((body.lastBytesRead - body.firstByte) * 1000) / elapsed < minStreamedBytesPerSecond)
        : elapsed > requestTimeoutMs;
      if (!late) continue;
      arriving.delete(body);
      request.log.debug({ elapsedMs: elapsed, streamed: body.streamed }, 'request body did not arrive in time');
      timeOut(socket);
    }
  }

  // Answered before its body has all come (401, 403, 415, an early 413): nothing bounds the rest any more, and a
  // client trickling it would hold the connection, and any shutdown, for good. Closing the connection after the
  // answer ends it (Node would otherwise wait to read the rest for the next request).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.raw.complete) reply.header('connection', 'close');
    return payload;
  });

  const timer = setInterval(sweep, Math.min(30_000, Math.ceil(requestTimeoutMs / 4))).unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

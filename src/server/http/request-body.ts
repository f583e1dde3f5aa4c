/**
 * How request bodies are read, beside Fastify's defaults:
 * - an empty body labelled `application/json` is no body. Many HTTP clients label every request so, a bodyless
 *   DELETE included; a route that needs a body still answers 400 naming it.
 * - a JSON body that is not UTF-8 is 400: decoding it would have replaced each bad byte with U+FFFD silently.
 * - a compressed body (`Content-Encoding: gzip`, …) is 415 with `Accept-Encoding: identity`, as RFC 9110 asks.
 *   It used to be parsed as if it were plain JSON and answered as malformed.
 */
import type { FastifyInstance } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { AppError, invalidField } from '../../core/errors.js';

export function readRequestBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(null, undefined);
    // Decoding would turn each invalid byte into U+FFFD without a word: the text stored would not be the text sent.
    if (!isUtf8(bytes)) return done(invalidField('body', 'must be UTF-8 encoded'), undefined);
    return parseJson(request, bytes.toString('utf8'), done);
  });

  app.addHook('onRequest', async (request, reply) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return;
    reply.header('accept-encoding', 'identity');
    throw new AppError('unsupported_media_type', `Content-Encoding ${encoding} is not supported: send the body uncompressed`);
  });
}

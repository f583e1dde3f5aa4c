/**
 * `POST /api/v1/uploads` (multipart, field `file`; workspace from `?workspaceId=` or a `workspaceId` field sent
 * before the file, or that of the list in `?listId=` / a `listId` field), the reads of an upload (metadata, bytes, thumbnail, poster), and its deletion by the uploader once
 * no task shows it; the caller's own uploads (`GET /api/v1/uploads`) and a workspace's storage use, so people can
 * see what fills their quota and free it.
 */
import { Readable } from 'node:stream';
import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, invalidField } from '../../../core/errors.js';
import { idSchema, idParams } from '../../../core/schemas/common.js';
import { ownUploadsPage, ownUploadsQuery, uploadQuery, uploadSchema, workspaceStorageSchema } from '../../../core/schemas/uploads.js';
import { requireUserId } from '../../http/authentication.js';
import { bodyStreamedByHandler } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import { contentDisposition } from './file-name.js';
import type { ServableUpload, UploadService } from './upload.service.js';

/** Served bytes never run: no scripts, plugins, forms or navigation, whatever a browser thinks they are. */
const sandboxPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
/** Busboy's own cap, above every per-type limit; ours is checked per chunk once the type is known. */
const partCapBytes = 1024 * 1024 * 1024;

/**
 * Busboy's complaints about the multipart syntax itself (no or an over-long boundary, a body that ends mid-part):
 * the client's mistake, a 400, not ours. Busboy throws plain Errors, so their messages are all there is to go by.
 */
const malformedMultipart =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot)/;

/** RFC 9110 If-None-Match: `*`, or a list of entity tags compared weakly (a `W/` prefix is ignored). */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The headers of a served upload, for a 200 and a 304 alike; none before the bytes are known to be there. */
function servingHeaders(reply: FastifyReply, served: ServableUpload, etag: string): FastifyReply {
  return (
    reply
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', sandboxPolicy)
      .header('cross-origin-resource-policy', 'same-origin')
      // Never reused unasked: the browser asks every time, so someone removed from the list stops seeing the file.
      // The bytes never change under an ETag, so the answer is a 304 without them.
      .header('cache-control', 'private, no-cache')
      .header('etag', etag)
      .header('content-disposition', contentDisposition(served.disposition, served.name))
  );
}

/** The rest of a refused body is not read: the connection closes once the answer is sent. */
function closeUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  if (!request.raw.readableEnded) reply.header('connection', 'close');
}

const listIdDescription =
  "A list whose tasks the upload is for: it goes to that list's workspace (its quota and limits), for anyone who may edit the list's tasks, also a collaborator who is no member of that workspace (404 for a list you cannot see, 403 for one you cannot edit). The `workspaceId`, if given too, must be the list's.";
/** `uploadQuery` and the list the upload is for. */
const uploadQueryWithList = uploadQuery.extend({ listId: idSchema.optional().describe(listIdDescription) });

/** The form `POST /api/v1/uploads` reads, for the OpenAPI document (the handler streams and checks it). */
const uploadForm = {
  type: 'object',
  required: ['file'],
  properties: {
    workspaceId: {
      type: 'string',
      description:
        'The workspace to store it in (or the `workspaceId` query parameter; the same if both); your personal workspace if neither. Send it before `file`.',
    },
    listId: {
      type: 'string',
      description: `${listIdDescription} Or the \`listId\` query parameter (the same if both). Send it before \`file\`.`,
    },
    file: {
      type: 'string',
      format: 'binary',
      description: "The file: one part, named `file`, with its filename. Its type is sniffed from its bytes, not taken from the part's header.",
    },
  },
};

export async function registerUploadRoutes(app: Api, uploads: UploadService): Promise<void> {
  const params = idParams('uploadId');

  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/uploads',
      {
        config: { ...bodyStreamedByHandler.config, documentedBody: uploadForm },
        schema: {
          summary: 'Upload a file (multipart/form-data, field `file`; not keyed by Idempotency-Key)',
          problems: ['not_found', 'forbidden', 'unprocessable', 'quota_exceeded'],
          tags: ['uploads'],
          querystring: uploadQueryWithList,
          consumes: ['multipart/form-data'],
          response: { 201: uploadSchema },
        },
      },
      async (request, reply) => {
        const userId = requireUserId(request);
        try {
          if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data, in a field named "file"');
          const parts = request.parts({ limits: { fileSize: partCapBytes, files: 1, fields: 4, fieldSize: 200, parts: 5, headerPairs: 20 } });
          // The fields before the file, in the order they came: `part.fields` would also hold any that came after it
          // and were already parsed, which depends on how much of the body had arrived.
          const fieldsBefore = new Map<string, string[]>();
          let part: MultipartFile | undefined;
          for (let next = await parts.next(); !next.done; next = await parts.next()) {
            if (next.value.type === 'file') {
              part = next.value;
              break;
            }
            fieldsBefore.set(next.value.fieldname, [...(fieldsBefore.get(next.value.fieldname) ?? []), String(next.value.value)]);
          }
          if (!part || part.fieldname !== 'file') throw invalidField('file', 'is required: send the file in a multipart field named "file"');
          const fromFormOrQuery = (name: 'workspaceId' | 'listId'): string | undefined => {
            const values = fieldsBefore.get(name) ?? [];
            if (values.length > 1) throw invalidField(name, 'must be sent once');
            const fieldValue = values[0];
            if (fieldValue !== undefined && request.query[name] !== undefined && fieldValue.toLowerCase() !== request.query[name]) {
              throw invalidField(name, 'differs between the query and the form');
            }
            return request.query[name] ?? fieldValue;
          };
          const target = await uploads.prepareUpload(userId, { workspaceId: fromFormOrQuery('workspaceId'), listId: fromFormOrQuery('listId') });
          const declared = Number(request.headers['content-length']);
          if (Number.isFinite(declared) && declared > uploads.maxRequestBytes(target)) {
            throw new AppError('payload_too_large', 'The upload is larger than this workspace accepts', {
              extensions: { maxBytes: uploads.maxRequestBytes(target) },
            });
          }
          /** What follows the file: a field that chooses where the upload goes came too late to be taken into account. */
          const checkRestOfForm = async () => {
            for (;;) {
              let next: IteratorResult<Multipart>;
              try {
                next = await parts.next();
              } catch {
                return; // the rest of the body is read for nothing else: as before, its failures do not matter
              }
              if (next.done) return;
              const { fieldname } = next.value;
              if (fieldname === 'workspaceId' || fieldname === 'listId') {
                throw invalidField(fieldname, 'must be sent before file: the upload was going to be stored without it');
              }
            }
          };
          const upload = await uploads.createUpload(userId, target, { filename: part.filename, stream: part.file, checkRestOfForm });
          return reply.status(201).send(upload);
        } catch (error) {
          closeUnreadBody(request, reply);
          if (error instanceof Error && !(error instanceof AppError) && malformedMultipart.test(error.message)) {
            throw new AppError('validation_failed', 'The multipart body is malformed: check its boundary, and that the body is complete');
          }
          throw error;
        }
      },
    );
  });

  app.get(
    '/api/v1/uploads',
    {
      schema: {
        summary: 'Your uploads in a workspace',
        problems: ['not_found'],
        tags: ['uploads'],
        querystring: ownUploadsQuery,
        response: { 200: ownUploadsPage },
      },
    },
    async (request) => uploads.listOwnUploads(requireUserId(request), request.query),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/storage',
    { schema: { summary: "A workspace's storage use", tags: ['uploads'], params: idParams('workspaceId'), response: { 200: workspaceStorageSchema } } },
    async (request) => uploads.storageOf(requireUserId(request), request.params.workspaceId),
  );

  app.get(
    '/api/v1/uploads/:uploadId',
    { schema: { summary: "An upload's metadata", tags: ['uploads'], params, response: { 200: uploadSchema } } },
    async (request) => uploads.getUpload(requireUserId(request), request.params.uploadId),
  );

  app.delete(
    '/api/v1/uploads/:uploadId',
    {
      schema: {
        summary: 'Delete your upload once no task shows it',
        problems: ['forbidden', 'conflict'],
        tags: ['uploads'],
        params,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await uploads.deleteUpload(requireUserId(request), request.params.uploadId);
      return reply.status(204).send(null);
    },
  );

  for (const variant of ['content', 'thumbnail', 'poster'] as const) {
    app.get(
      `/api/v1/uploads/:uploadId/${variant}`,
      {
        schema: {
          summary: variant === 'content' ? "Download an upload's file" : `Download an upload's ${variant} image`,
          problems: ['service_unavailable'],
          tags: ['uploads'],
          params,
          response: { 200: z.any().describe('The bytes'), 304: z.null() },
        },
      },
      async (request, reply) => {
        // The access check comes first, for a conditional GET too: a 304 only ever answers someone who may read it.
        const served = await uploads.findServable(requireUserId(request), request.params.uploadId, variant);
        const etag = `"${served.upload.sha256}${variant === 'content' ? '' : `-${variant}`}"`;
        // The ETag comes from the row, so a 304 reads no bytes from the store (a whole object GET on S3, thrown away).
        if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return servingHeaders(reply, served, etag).status(304).send(null);
        if (request.method === 'HEAD') {
          // A preview's size is only known from its blob, which is closed unread.
          const size = served.size ?? (await uploads.openServable(served).then((blob) => (blob.body.destroy(), blob.size)));
          // An empty stream: Fastify's HEAD handling keeps the Content-Length set here (for a buffer or nothing it sets 0).
          return servingHeaders(reply, served, etag).header('content-type', served.mimeType).header('content-length', size).send(Readable.from([]));
        }
        const blob = await uploads.openServable(served);
        return servingHeaders(reply, served, etag).header('content-type', served.mimeType).header('content-length', blob.size).send(blob.body);
      },
    );
  }

  app.addHook('onClose', () => uploads.drain());
}

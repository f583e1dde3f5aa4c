import { z } from 'zod';
import { idParams, pageOf } from '../../../core/schemas/common.js';
import { createListBody, listQuery, listSchema, updateListBody } from '../../../core/schemas/lists.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import type { ListService } from './list.service.js';

export function registerListRoutes(app: Api, lists: ListService): void {
  const params = idParams('listId');

  app.get(
    '/api/v1/lists',
    { schema: { summary: 'List the lists you can see', tags: ['lists'], querystring: listQuery, response: { 200: pageOf(listSchema) } } },
    async (request) => lists.listLists(requireUserId(request), request.query),
  );

  app.post(
    '/api/v1/lists',
    { schema: { summary: 'Create a list', problems: ['not_found', 'forbidden'], tags: ['lists'], body: createListBody, response: { 201: listSchema } } },
    async (request, reply) => reply.status(201).send(await lists.createList(requireUserId(request), request.body, idempotencyKeyOf(request))),
  );

  app.get('/api/v1/lists/:listId', { schema: { summary: 'Get a list', tags: ['lists'], params, response: { 200: listSchema } } }, async (request) =>
    lists.getList(requireUserId(request), request.params.listId),
  );

  app.patch(
    '/api/v1/lists/:listId',
    {
      schema: {
        summary: 'Rename, archive or reorder a list',
        problems: ['forbidden'],
        keyIsMutationId: true,
        retrySafeByKey: true,
        tags: ['lists'],
        params,
        body: updateListBody,
        response: { 200: listSchema },
      },
    },
    async (request) => lists.updateList(requireUserId(request), request.params.listId, request.body, idempotencyKeyOf(request)),
  );

  app.delete(
    '/api/v1/lists/:listId',
    { schema: { summary: 'Delete a list (its owner)', problems: ['forbidden'], tags: ['lists'], params, response: { 204: z.null() } } },
    async (request, reply) => {
      await lists.deleteList(requireUserId(request), request.params.listId);
      return reply.status(204).send(null);
    },
  );
}

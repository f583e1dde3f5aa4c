/** GIF search for the web app's picker; without a provider key it answers 404 and the picker offers upload only. */
import { AppError } from '../../../core/errors.js';
import { gifSearchConfig, gifSearchQuery, gifSearchResponse } from '../../../core/schemas/uploads.js';
import { requireUserId } from '../../http/authentication.js';
import type { Api } from '../../http/route-types.js';
import { createGiphyClient, type GifSearchClient } from './giphy.client.js';
import type { GifSearchSettings } from './gif-search.settings.js';

export function registerGifSearchRoutes(
  app: Api,
  settings: GifSearchSettings | null,
  client: GifSearchClient | null = settings ? createGiphyClient(settings) : null,
): void {
  app.get(
    '/api/v1/gifs/config',
    { schema: { summary: 'Whether GIF search is available', tags: ['gifs'], response: { 200: gifSearchConfig } } },
    async (request) => {
      requireUserId(request);
      return { enabled: client !== null, provider: client?.provider ?? null };
    },
  );

  app.get(
    '/api/v1/gifs/search',
    {
      schema: {
        summary: 'Search GIFs (404 when no provider is configured)',
        problems: ['not_found', 'service_unavailable'],
        tags: ['gifs'],
        querystring: gifSearchQuery,
        response: { 200: gifSearchResponse },
      },
    },
    async (request) => {
      requireUserId(request);
      if (!client) throw new AppError('not_found', 'GIF search is not configured on this server; upload a GIF instead', { extensions: { enabled: false } });
      return { items: await client.search(request.query.q, { limit: request.query.limit, offset: request.query.offset }) };
    },
  );
}

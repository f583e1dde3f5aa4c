/** GIF search for the web app's picker; without a provider key it answers 404 and the picker offers upload only. */
import { AppError } from '../../../core/errors.js';
import { gifSearchConfig, gifSearchQuery, gifSearchResponse } from '../../../core/schemas/uploads.js';
import { requireUserId } from '../../http/authentication.js';
import type { Api } from '../../http/route-types.js';
import { createGiphyClient, type GifSearchClient } from './giphy.client.js';
import type { GifSearchSettings } from './gif-search.settings.js';
import { guardGifSearch, type SearchGuardOptions } from './search-guard.js';

export function registerGifSearchRoutes(
  app: Api,
  settings: GifSearchSettings | null,
  client: GifSearchClient | null = settings ? createGiphyClient(settings) : null,
  guardOptions?: SearchGuardOptions,
): void {
  const guarded = client ? guardGifSearch(client, guardOptions) : null;
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
        description:
          "The same search within 5 minutes is answered from memory; each user may make 20 searches a minute that reach the provider (its quota is the whole instance's), then 429 with Retry-After.",
        problems: ['not_found', 'service_unavailable', 'too_many_requests'],
        tags: ['gifs'],
        querystring: gifSearchQuery,
        response: { 200: gifSearchResponse },
      },
    },
    async (request) => {
      const userId = requireUserId(request);
      if (!guarded) throw new AppError('not_found', 'GIF search is not configured on this server; upload a GIF instead', { extensions: { enabled: false } });
      return { items: await guarded.search(userId, request.query.q, { limit: request.query.limit, offset: request.query.offset }) };
    },
  );
}

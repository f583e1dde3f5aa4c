/**
 * Giphy search client (https://developers.giphy.com/docs/api/endpoint#search): `GET /v1/gifs/search` answers
 * `{data: [{id, title, images: {original: {url, width, height}, fixed_width: {...}, original_still: {...}}}], pagination, meta}`,
 * with dimensions as strings. Results are mapped to Listo's shape; anything not on Giphy's media hosts is dropped.
 */
import { z } from 'zod';
import { isProviderMediaUrl } from '../../../core/content-types/gif.js';
import { blockInputSchema } from '../../../core/content-types/index.js';
import { withoutControlOrBidi } from '../../../core/schemas/common.js';
import { AppError } from '../../../core/errors.js';
import type { GifSearchItem } from '../../../core/schemas/uploads.js';
import type { GifSearchSettings } from './gif-search.settings.js';

const rendition = z.object({ url: z.string(), width: z.coerce.number().int().positive(), height: z.coerce.number().int().positive() });
const giphyGif = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  title: z.string().optional().default(''),
  images: z.object({
    original: rendition,
    fixed_width: rendition.optional(),
    fixed_width_still: rendition.optional(),
    original_still: rendition.optional(),
  }),
});
const giphySearchResponse = z.object({ data: z.array(z.unknown()) });

export interface GifSearchClient {
  readonly provider: 'giphy';
  search(query: string, page: { limit: number; offset: number }): Promise<GifSearchItem[]>;
}

const unavailable = () => new AppError('service_unavailable', 'GIF search is unavailable right now; upload a GIF instead');

export function createGiphyClient(settings: GifSearchSettings, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): GifSearchClient {
  const doFetch = options.fetch ?? fetch;
  return {
    provider: 'giphy',
    async search(query, { limit, offset }) {
      const url = new URL(`${settings.baseUrl}/v1/gifs/search`);
      url.search = new URLSearchParams({
        api_key: settings.apiKey,
        q: query,
        limit: String(limit),
        offset: String(offset),
        rating: 'g',
        lang: 'en',
      }).toString();
      let body: unknown;
      try {
        const response = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`Giphy answered ${response.status}`);
        }
        body = await response.json();
      } catch {
        // The URL carries the API key: never log it; the provider's failure is not the caller's to see either.
        throw unavailable();
      }
      const parsed = giphySearchResponse.safeParse(body);
      if (!parsed.success) throw unavailable();
      const items: GifSearchItem[] = [];
      for (const entry of parsed.data.data) {
        const gif = giphyGif.safeParse(entry);
        if (!gif.success) continue;
        const { original, fixed_width, fixed_width_still, original_still } = gif.data.images;
        const preview = fixed_width ?? original;
        const poster = original_still ?? fixed_width_still;
        if (!isProviderMediaUrl('giphy', original.url) || !isProviderMediaUrl('giphy', preview.url)) continue;
        const item: GifSearchItem = {
          provider: 'giphy',
          providerId: gif.data.id,
          url: original.url,
          width: original.width,
          height: original.height,
          previewUrl: preview.url,
          ...(poster && isProviderMediaUrl('giphy', poster.url) ? { posterUrl: poster.url } : {}),
          title: Array.from(withoutControlOrBidi(gif.data.title)).slice(0, 200).join('').trim(),
        };
        // Only what can be saved as a GIF block: picking a result must never end in a refusal.
        const { previewUrl: _preview, ...block } = item;
        if (blockInputSchema.safeParse({ type: 'gif', ...block }).success) items.push(item);
      }
      return items;
    },
  };
}

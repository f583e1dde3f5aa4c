/**
 * `gif`: an animated GIF that plays inline, with a still poster for lists and reduced-motion users.
 * Either uploaded (`{type, uploadId}`) or picked from a GIF search provider and stored by reference
 * (`{type, provider, providerId, url, width, height, posterUrl?, title?}`).
 */
import { z } from 'zod';
import { defineContentType, mebibytes } from './definition.js';
import { pixels, storedUploadFields } from './upload-block.js';
import { idSchema, labelText } from '../schemas/common.js';

export const gifProviders = ['giphy'] as const;
export type GifProvider = (typeof gifProviders)[number];

/** Hosts a provider serves its media from: a referenced GIF may point nowhere else (no tracking pixels, no arbitrary hosts). */
export const gifProviderMediaHosts: Record<GifProvider, readonly string[]> = {
  giphy: ['media.giphy.com', 'media0.giphy.com', 'media1.giphy.com', 'media2.giphy.com', 'media3.giphy.com', 'media4.giphy.com', 'i.giphy.com'],
};

export function isProviderMediaUrl(provider: GifProvider, url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password && !parsed.port && gifProviderMediaHosts[provider].includes(parsed.hostname);
  } catch {
    return false;
  }
}

const mediaUrl = z.string().max(2048);
const providerFields = ['provider', 'providerId', 'url', 'width', 'height', 'posterUrl', 'title'] as const;

const payloadSchema = z
  .strictObject({
    type: z.literal('gif'),
    uploadId: idSchema.optional(),
    provider: z.enum(gifProviders).optional(),
    providerId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, { message: 'must be the provider’s GIF id' })
      .optional(),
    url: mediaUrl.optional(),
    width: pixels.optional(),
    height: pixels.optional(),
    posterUrl: mediaUrl.optional(),
    title: labelText(200).optional(),
  })
  .superRefine((block, ctx) => {
    if (block.uploadId !== undefined) {
      for (const field of providerFields) {
        if (block[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is not allowed with uploadId' });
      }
      return;
    }
    if (block.provider === undefined) {
      ctx.addIssue({ code: 'custom', path: ['uploadId'], message: 'is required (or provider, providerId, url, width and height for a GIF from search)' });
      return;
    }
    for (const field of ['providerId', 'url', 'width', 'height'] as const) {
      if (block[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required for a GIF from search' });
    }
    for (const field of ['url', 'posterUrl'] as const) {
      const value = block[field];
      if (value !== undefined && !isProviderMediaUrl(block.provider, value)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `must be an https URL on ${block.provider}’s media hosts` });
      }
    }
  })
  .transform((block): { type: 'gif'; uploadId: string } | ProviderGifBlock =>
    block.uploadId !== undefined
      ? { type: 'gif', uploadId: block.uploadId }
      : {
          type: 'gif',
          provider: block.provider!,
          providerId: block.providerId!,
          url: block.url!,
          width: block.width!,
          height: block.height!,
          ...(block.posterUrl !== undefined ? { posterUrl: block.posterUrl } : {}),
          ...(block.title ? { title: block.title } : {}),
        },
  );

const providerGifBlock = z.object({
  type: z.literal('gif'),
  provider: z.enum(gifProviders),
  providerId: z.string(),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  posterUrl: z.string().optional(),
  title: z.string().optional(),
});
export type ProviderGifBlock = z.infer<typeof providerGifBlock>;

const uploadedGifBlock = z.object({
  type: z.literal('gif'),
  ...storedUploadFields,
  url: z.string(),
  posterUrl: z.string(),
  thumbnailUrl: z.string(),
});

export const gif = defineContentType({
  id: 'gif',
  payloadSchema,
  blockSchema: z.union([uploadedGifBlock, providerGifBlock]),
  /** Checked from the header and frame descriptors, before any decoding; `maxTotalPixels` as for `image` (canvas × frames). */
  limits: { maxBytes: mebibytes(10), maxPixelsPerFrame: 50_000_000, maxFrames: 500, maxTotalPixels: 500_000_000 },
  upload: { accepts: ['image/gif'], maxBytes: mebibytes(10), previews: ['poster', 'thumbnail'] },
  summary: (block) => ('provider' in block ? `GIF: ${block.title || `from ${block.provider}`}` : `GIF: ${block.name}`),
});

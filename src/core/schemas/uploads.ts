/** Uploads and GIF search: API shapes shared by the server and the web app. */
import { z } from 'zod';
import { uploadContentTypeIds } from '../content-types/index.js';
import { gifProviders } from '../content-types/gif.js';
import { idSchema } from './common.js';

/** Per-workspace defaults; a workspace's storage settings (plans) may change each. */
export const uploadDefaults = {
  quotaBytes: 1024 * 1024 * 1024,
} as const;

export const uploadQuery = z.strictObject({ workspaceId: idSchema.optional() });

/** `POST /api/v1/uploads` answers this; `url` serves the bytes to whoever may read the upload. */
export const uploadSchema = z.object({
  id: idSchema,
  workspaceId: idSchema,
  kind: z.enum(uploadContentTypeIds as [string, ...string[]]),
  mimeType: z.string(),
  size: z.number().int(),
  name: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  frames: z.number().int().optional(),
  url: z.string(),
  thumbnailUrl: z.string().optional(),
  posterUrl: z.string().optional(),
  createdAt: z.string(),
});
export type Upload = z.infer<typeof uploadSchema>;

export const gifSearchQuery = z.strictObject({
  q: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(24),
  offset: z.coerce.number().int().min(0).max(4999).default(0),
});

/** One search result, ready to become a `{type: 'gif', provider, providerId, url, width, height, posterUrl, title}` block. */
export const gifSearchItem = z.object({
  provider: z.enum(gifProviders),
  providerId: z.string(),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  previewUrl: z.string(),
  posterUrl: z.string().optional(),
  title: z.string(),
});
export type GifSearchItem = z.infer<typeof gifSearchItem>;

export const gifSearchResponse = z.object({ items: z.array(gifSearchItem) });
/** Without a provider key the web app's GIF picker offers upload only. */
export const gifSearchConfig = z.object({ enabled: z.boolean(), provider: z.enum(gifProviders).nullable() });

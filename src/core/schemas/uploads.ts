/** Uploads and GIF search: API shapes shared by the server and the web app. */
import { z } from 'zod';
import { uploadContentTypeIds } from '../content-types/index.js';
import { gifProviders } from '../content-types/gif.js';
import { idSchema, pageOf, pageQuery } from './common.js';

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

/**
 * `GET /api/v1/uploads`: the caller's own uploads in a workspace (their personal one by default), largest first,
 * so someone whose storage is full sees at once what would free the most.
 */
export const ownUploadsQuery = pageQuery.extend({ workspaceId: idSchema.optional() });
/** `inUse`: a task shows it, so it cannot be deleted; an unused one is deleted automatically a day after it was last shown. */
export const ownUploadSchema = uploadSchema.extend({ inUse: z.boolean() });
export type OwnUpload = z.infer<typeof ownUploadSchema>;
export const ownUploadsPage = pageOf(ownUploadSchema);

/** `GET /api/v1/workspaces/:workspaceId/storage`: what the workspace's uploads take, and its limits. */
export const workspaceStorageSchema = z.object({
  usedBytes: z.number().int(),
  quotaBytes: z.number().int(),
  /** The largest upload this workspace accepts, per upload type. */
  maxBytes: z.record(z.enum(uploadContentTypeIds as [string, ...string[]]), z.number().int()),
});
export type WorkspaceStorage = z.infer<typeof workspaceStorageSchema>;

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

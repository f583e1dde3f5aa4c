/**
 * Pieces shared by upload-backed content types (image, gif, file): the `{type, uploadId}` payload, the
 * fields the server copies from the upload into the stored block, and the URLs the API adds when presenting it.
 */
import { z } from 'zod';
import { idSchema } from '../schemas/common.js';

/** Where an upload's bytes and previews are served; the API contract, so web and server agree. */
export const uploadUrls = {
  content: (uploadId: string) => `/api/v1/uploads/${uploadId}/content`,
  thumbnail: (uploadId: string) => `/api/v1/uploads/${uploadId}/thumbnail`,
  poster: (uploadId: string) => `/api/v1/uploads/${uploadId}/poster`,
} as const;

/** What the client sends for an upload-backed block. */
export const uploadPayload = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), uploadId: idSchema });

/**
 * What the server stores in `tasks.blocks` for an upload-backed block: the upload's immutable metadata, copied when
 * the block is saved so that presenting a task needs no query. URLs are derived, never stored.
 */
export const storedUploadFields = {
  uploadId: idSchema,
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  name: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  frames: z.number().int().positive().optional(),
};

export interface StoredUploadBlock {
  type: string;
  uploadId: string;
  mimeType: string;
  size: number;
  name: string;
  width?: number | undefined;
  height?: number | undefined;
  frames?: number | undefined;
}

/** Dimensions of an image: positive whole pixels. */
export const pixels = z.number().int().min(1).max(100_000);

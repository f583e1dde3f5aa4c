/** `image`: an uploaded PNG, JPEG or WebP, shown inline with a thumbnail for lists. */
import { z } from 'zod';
import { defineContentType, mebibytes } from './definition.js';
import { storedUploadFields, uploadPayload } from './upload-block.js';

export const image = defineContentType({
  id: 'image',
  payloadSchema: uploadPayload('image'),
  blockSchema: z.object({
    type: z.literal('image'),
    ...storedUploadFields,
    url: z.string(),
    thumbnailUrl: z.string(),
  }),
  /** Checked from the header, before any decoding: a decompression bomb costs nothing. */
  limits: { maxBytes: mebibytes(10), maxPixelsPerFrame: 50_000_000, maxFrames: 500 },
  upload: { accepts: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: mebibytes(10), previews: ['thumbnail'] },
  summary: (block) => `Image: ${block.name}`,
});

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
  /**
   * Checked from the header, before any decoding: a decompression bomb costs nothing. `maxTotalPixels` is the canvas
   * times the frames of an animation, counted as they come: 500 megapixels (10 s of 1080p at 24 frames a second, or
   * 500 frames of 1000×1000), where the other two alone let 25 gigapixels through in a few kilobytes, for every reader's
   * browser to decode.
   */
  limits: { maxBytes: mebibytes(10), maxPixelsPerFrame: 50_000_000, maxFrames: 500, maxTotalPixels: 500_000_000 },
  upload: { accepts: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: mebibytes(10), previews: ['thumbnail'] },
  summary: (block) => `Image: ${block.name}`,
});

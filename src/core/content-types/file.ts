/** `file`: any other upload. Always downloaded (Content-Disposition: attachment), never rendered inline. */
import { z } from 'zod';
import { defineContentType, formatBytes, mebibytes } from './definition.js';
import { storedUploadFields, uploadPayload } from './upload-block.js';

export const file = defineContentType({
  id: 'file',
  payloadSchema: uploadPayload('file'),
  blockSchema: z.object({ type: z.literal('file'), ...storedUploadFields, url: z.string() }),
  limits: { maxBytes: mebibytes(25) },
  upload: { accepts: ['*'], maxBytes: mebibytes(25), previews: [] },
  summary: (block) => `File: ${block.name} (${formatBytes(block.size)})`,
});

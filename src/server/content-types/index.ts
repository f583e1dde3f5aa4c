/**
 * Server behaviour of the content types that take uploads, one file each, listed explicitly. Typed over
 * `UploadContentTypeId`, so a core type with an `upload` rule and no server file here does not compile.
 */
import { contentTypes, uploadContentTypeIds, uploadRuleOf, type UploadContentTypeId } from '../../core/content-types/index.js';
import type { PixelLimits } from './formats/image-limits.js';
import type { ServerContentType } from './content-type.server.js';
import { fileServer } from './file.server.js';
import { gifServer } from './gif.server.js';
import { imageServer } from './image.server.js';

export const serverContentTypes: { readonly [K in UploadContentTypeId]: ServerContentType<K> } = {
  image: imageServer,
  gif: gifServer,
  file: fileServer,
};

/** The type sniffed bytes become: the first whose rule names the MIME type, else the one that takes anything (`*`). */
export function uploadTypeFor(mime: string): UploadContentTypeId {
  const exact = uploadContentTypeIds.find((id) => uploadRuleOf(id).accepts.includes(mime));
  const fallback = uploadContentTypeIds.find((id) => uploadRuleOf(id).accepts.includes('*'));
  const id = exact ?? fallback;
  if (!id) throw new Error(`no content type accepts ${mime}`);
  return id;
}

/** The pixel budget a type declares in its core limits (types without one are not decoded). */
export function pixelLimitsOf(id: UploadContentTypeId): PixelLimits {
  const limits = contentTypes[id].limits as Partial<PixelLimits>;
  const maxPixelsPerFrame = limits.maxPixelsPerFrame ?? 0;
  const maxFrames = limits.maxFrames ?? 1;
  return { maxPixelsPerFrame, maxFrames, maxTotalPixels: limits.maxTotalPixels ?? maxPixelsPerFrame * maxFrames };
}

export type { ServerContentType, PreviewVariant } from './content-type.server.js';

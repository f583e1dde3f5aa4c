/** What a content type that takes uploads does on the server: check bytes as they stream in, make previews, serve. */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { UploadContentTypeId, UploadRule } from '../../core/content-types/index.js';
import type { ImageInfo, PixelLimits } from './formats/image-limits.js';
import type { StreamParser } from './formats/stream-parser.js';

export type PreviewVariant = UploadRule['previews'][number];

/**
 * Stored bytes to make a preview from: a local file path, or the bytes themselves (a blob from a remote store, read
 * whole first: images are bounded, and a stream that fails mid-way would leave sharp waiting, or erroring unheard).
 */
export type PreviewSource = string | Buffer;

export interface ServerContentType<K extends UploadContentTypeId = UploadContentTypeId> {
  readonly id: K;
  /** Checks the bytes while they stream in, before anything is decoded; throws an AppError (422) to refuse. */
  inspect?(mime: string, limits: PixelLimits): StreamParser<ImageInfo>;
  /** One maker per preview the core definition lists; each decodes only the first frame. */
  readonly previews: Partial<Record<PreviewVariant, (source: PreviewSource, limits: PixelLimits) => Promise<Buffer>>>;
  /** Raster images are shown inline; everything else is downloaded, never rendered by the browser. */
  readonly disposition: 'inline' | 'attachment';
}

export const thumbnailBox = 480;

/** A 50-megapixel image decodes in about a second here; a minute-long decode is an attack. */
const decodeTimeoutSeconds = 15;

/** A sharp pipeline over the source that refuses to decode more than the limits allow (defence in depth). */
export function decode(source: PreviewSource, limits: PixelLimits, options: SharpOptions = {}): Sharp {
  const settings: SharpOptions = { limitInputPixels: limits.maxPixelsPerFrame, failOn: 'error', sequentialRead: true, ...options };
  // However an image slipped past the inspectors, its decoding gives up rather than hold a worker thread for minutes.
  return sharp(source, settings).timeout({ seconds: decodeTimeoutSeconds });
}

/** A small still WebP of the first frame, for lists. */
export const makeThumbnail = (source: PreviewSource, limits: PixelLimits) =>
  decode(source, limits).rotate().resize(thumbnailBox, thumbnailBox, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();

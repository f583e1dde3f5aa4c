/**
 * Server side of `gif`: frames and canvas checked from the block structure while streaming; a still poster (first
 * frame, full size within WebP's 16,383 px) for lists and reduced-motion users, and a small thumbnail. The GIF itself is served as uploaded,
 * so it keeps its animation.
 */
import { decode, makeThumbnail, type ServerContentType } from './content-type.server.js';
import { parseGif } from './formats/gif.js';
import { StreamParser } from './formats/stream-parser.js';

/** The largest width or height a WebP image can have. */
const webpMaxDimension = 16_383;

export const gifServer: ServerContentType<'gif'> = {
  id: 'gif',
  inspect: (_mime, limits) => new StreamParser(parseGif(limits), 'GIF'),
  previews: {
    // Full size up to what WebP can hold: a banner wider or taller than 16,383 px is scaled to fit.
    poster: (source, limits) =>
      decode(source, limits, { pages: 1 })
        .resize(webpMaxDimension, webpMaxDimension, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer(),
    thumbnail: makeThumbnail,
  },
  disposition: 'inline',
};

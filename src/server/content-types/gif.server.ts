/**
 * Server side of `gif`: frames and canvas checked from the block structure while streaming; a still poster (first
 * frame, full size) for lists and reduced-motion users, and a small thumbnail. The GIF itself is served as uploaded,
 * so it keeps its animation.
 */
import { decode, makeThumbnail, type ServerContentType } from './content-type.server.js';
import { parseGif } from './formats/gif.js';
import { StreamParser } from './formats/stream-parser.js';

export const gifServer: ServerContentType<'gif'> = {
  id: 'gif',
  inspect: (_mime, limits) => new StreamParser(parseGif(limits), 'GIF'),
  previews: {
    poster: (source, limits) => decode(source, limits, { pages: 1 }).webp({ quality: 82 }).toBuffer(),
    thumbnail: makeThumbnail,
  },
  disposition: 'inline',
};

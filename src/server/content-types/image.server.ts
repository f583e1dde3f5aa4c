/** Server side of `image`: PNG, JPEG and WebP checked while streaming (dimensions, frames, structure); a thumbnail. */
import { AppError } from '../../core/errors.js';
import { makeThumbnail, type ServerContentType } from './content-type.server.js';
import { parseJpeg } from './formats/jpeg.js';
import { parsePng } from './formats/png.js';
import { StreamParser } from './formats/stream-parser.js';
import { parseWebp } from './formats/webp.js';

export const imageServer: ServerContentType<'image'> = {
  id: 'image',
  inspect(mime, limits) {
    switch (mime) {
      case 'image/png':
        return new StreamParser(parsePng(limits), 'PNG image');
      case 'image/jpeg':
        return new StreamParser(parseJpeg(limits), 'JPEG image');
      case 'image/webp':
        return new StreamParser(parseWebp(limits), 'WebP image');
      default:
        throw new AppError('unsupported_media_type', `${mime} is not an image type Listo shows`);
    }
  },
  previews: { thumbnail: makeThumbnail },
  disposition: 'inline',
};

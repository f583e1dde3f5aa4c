/** PNG (and APNG) structure: signature, IHDR first, every chunk's CRC, frame count from acTL/fcTL, nothing after IEND. */
import zlib from 'node:zlib';
import { checkFrames, checkPixels, type ImageInfo, type PixelLimits } from './image-limits.js';
import { corrupt, end, read, skip, type Parser } from './stream-parser.js';

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const bad = (detail: string) => corrupt('PNG image', detail);

export function* parsePng(limits: PixelLimits): Parser<ImageInfo> {
  if (!(yield read(8)).equals(signature)) throw bad('it does not start with the PNG signature');
  let width = 0;
  let height = 0;
  let frames = 1;
  let frameControls = 0;
  let sawData = false;
  for (;;) {
    const header = yield read(8);
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) throw bad('a chunk header is invalid');
    if (width === 0 && type !== 'IHDR') throw bad('the first chunk is not IHDR');
    let crc = zlib.crc32(header.subarray(4, 8));
    if (type === 'IHDR' || type === 'acTL') {
      if (length > 64) throw bad(`the ${type} chunk is too long`);
      const data = yield read(length);
      crc = zlib.crc32(data, crc);
      if (type === 'IHDR') {
        if (width !== 0 || length !== 13) throw bad('the IHDR chunk is invalid');
        width = data.readUInt32BE(0);
        height = data.readUInt32BE(4);
        if (width === 0 || height === 0) throw bad('it has no pixels');
        checkPixels(limits, width, height);
      } else {
        if (length !== 8) throw bad('the acTL chunk is invalid');
        frames = data.readUInt32BE(0);
        if (frames === 0) throw bad('the animation has no frames');
        checkFrames(limits, frames, width, height);
      }
    } else {
      if (type === 'IDAT') sawData = true;
      if (type === 'fcTL') checkFrames(limits, ++frameControls, width, height);
      yield skip(length, (chunk) => {
        crc = zlib.crc32(chunk, crc);
      });
    }
    if ((yield read(4)).readUInt32BE(0) !== crc >>> 0) throw bad(`the ${type} chunk's checksum does not match its data`);
    if (type === 'IEND') break;
  }
  if (!sawData) throw bad('it has no image data');
  yield end();
  return { width, height, frames };
}

/** WebP structure: RIFF container of exactly its declared size; canvas from VP8X/VP8/VP8L, frames from ANMF. */
import { checkFrames, checkPixels, type ImageInfo, type PixelLimits } from './image-limits.js';
import { corrupt, end, read, skip, type Parser } from './stream-parser.js';

const bad = (detail: string) => corrupt('WebP image', detail);

export function* parseWebp(limits: PixelLimits): Parser<ImageInfo> {
  const riff = yield read(12);
  if (riff.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WEBP') throw bad('it does not start with a WebP header');
  let remaining = riff.readUInt32LE(4) - 4;
  let width = 0;
  let height = 0;
  let frames = 0;
  let sawImage = false;
  const setCanvas = (w: number, h: number) => {
    if (width !== 0) return;
    if (w === 0 || h === 0) throw bad('it has no pixels');
    checkPixels(limits, w, h);
    width = w;
    height = h;
  };

  while (remaining > 0) {
    if (remaining < 8) throw bad('a chunk is cut short');
    const header = yield read(8);
    const fourcc = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    const padded = size + (size & 1);
    if (padded + 8 > remaining) throw bad('a chunk runs past the end of the file');
    remaining -= padded + 8;
    let consumed = 0;
    if (fourcc === 'VP8X') {
      if (size < 10) throw bad('the VP8X chunk is too short');
      const data = yield read(10);
      consumed = 10;
      setCanvas(data.readUIntLE(4, 3) + 1, data.readUIntLE(7, 3) + 1);
    } else if (fourcc === 'VP8 ') {
      if (size < 10) throw bad('the VP8 chunk is too short');
      const data = yield read(10);
      consumed = 10;
      if (data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) throw bad('the VP8 frame has no start code');
      setCanvas(data.readUInt16LE(6) & 0x3fff, data.readUInt16LE(8) & 0x3fff);
      sawImage = true;
    } else if (fourcc === 'VP8L') {
      if (size < 5) throw bad('the VP8L chunk is too short');
      const data = yield read(5);
      consumed = 5;
      if (data[0] !== 0x2f) throw bad('the VP8L chunk has no signature');
      const bits = data.readUInt32LE(1);
      setCanvas((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
      sawImage = true;
    } else if (fourcc === 'ANMF') {
      if (size < 16) throw bad('an animation frame is too short');
      const data = yield read(16);
      consumed = 16;
      const frameWidth = data.readUIntLE(6, 3) + 1;
      const frameHeight = data.readUIntLE(9, 3) + 1;
      checkPixels(limits, frameWidth, frameHeight);
      // Each frame is composed onto the whole canvas (declared by VP8X before any frame).
      checkFrames(limits, ++frames, width || frameWidth, height || frameHeight);
      sawImage = true;
    }
    yield skip(padded - consumed);
  }
  if (!sawImage || width === 0) throw bad('it has no image');
  yield end();
  return { width, height, frames: Math.max(frames, 1) };
}

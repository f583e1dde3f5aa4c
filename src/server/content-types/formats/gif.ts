/** GIF structure: header, logical screen, then extension and image blocks up to the trailer; frames counted as they come. */
import { checkFrames, checkPixels, type ImageInfo, type PixelLimits } from './image-limits.js';
import { corrupt, end, read, skip, subBlocks, type Parser } from './stream-parser.js';

const bad = (detail: string) => corrupt('GIF', detail);

export function* parseGif(limits: PixelLimits): Parser<ImageInfo> {
  const header = yield read(13);
  const version = header.toString('latin1', 0, 6);
  if (version !== 'GIF87a' && version !== 'GIF89a') throw bad('it does not start with a GIF header');
  const width = header.readUInt16LE(6);
  const height = header.readUInt16LE(8);
  if (width === 0 || height === 0) throw bad('its logical screen has no pixels');
  checkPixels(limits, width, height);
  const packed = header[10]!;
  if (packed & 0x80) yield skip(3 * (1 << ((packed & 7) + 1)));

  let frames = 0;
  let canvasWidth = width;
  let canvasHeight = height;
  for (;;) {
    const introducer = (yield read(1))[0]!;
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      yield read(1); // extension label
      yield subBlocks();
    } else if (introducer === 0x2c) {
      const descriptor = yield read(9);
      const left = descriptor.readUInt16LE(0);
      const top = descriptor.readUInt16LE(2);
      const frameWidth = descriptor.readUInt16LE(4);
      const frameHeight = descriptor.readUInt16LE(6);
      // Decoders grow the canvas to fit a frame that overflows it: that is what gets allocated, for this frame and the next.
      canvasWidth = Math.max(canvasWidth, left + frameWidth);
      canvasHeight = Math.max(canvasHeight, top + frameHeight);
      checkPixels(limits, canvasWidth, canvasHeight);
      checkFrames(limits, ++frames, canvasWidth, canvasHeight);
      const framePacked = descriptor[8]!;
      if (framePacked & 0x80) yield skip(3 * (1 << ((framePacked & 7) + 1)));
      const minCodeSize = (yield read(1))[0]!;
      if (minCodeSize < 2 || minCodeSize > 11) throw bad('a frame has an invalid LZW code size');
      yield subBlocks();
    } else {
      throw bad(`unexpected block 0x${introducer.toString(16)}`);
    }
  }
  if (frames === 0) throw bad('it has no frames');
  yield end();
  return { width, height, frames };
}

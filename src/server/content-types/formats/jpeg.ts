/**
 * JPEG structure: markers and segment lengths, dimensions from the frame header (SOFn), entropy-coded scans skipped
 * to the next marker, and nothing after EOI except further whole JPEG images (multi-picture files from phone cameras),
 * each checked the same way.
 */
import { AppError } from '../../../core/errors.js';
import { checkPixels, type ImageInfo, type PixelLimits } from './image-limits.js';
import { corrupt, end, peek, read, skip, some, unread, type Parser } from './stream-parser.js';

/**
 * Scans per image. Each scan of a progressive JPEG is one more decoding pass over the whole image, so a small file of
 * thousands of near-empty scans costs minutes of decoding (a "scan bomb"). Encoders write about 10; 100 is generous.
 */
export const maxJpegScans = 100;
/** Images in one file: the main one and the previews and depth maps cameras append. */
const maxJpegImages = 8;

const bad = (detail: string) => corrupt('JPEG image', detail);
const isFrameHeader = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/** Skips entropy-coded data up to (not including) the next marker. */
function* skipScan(): Parser<void> {
  for (;;) {
    const chunk = yield some();
    let at = chunk.indexOf(0xff);
    while (at !== -1) {
      if (at + 1 >= chunk.length) {
        yield unread(chunk.subarray(at));
        const pair = yield read(2);
        const next = pair[1]!;
        if (next === 0x00 || isRestart(next)) break;
        yield unread(next === 0xff ? pair.subarray(1) : pair);
        if (next === 0xff) break;
        return;
      }
      const next = chunk[at + 1]!;
      if (next === 0x00 || isRestart(next)) {
        at = chunk.indexOf(0xff, at + 2);
      } else if (next === 0xff) {
        at += 1;
      } else {
        yield unread(chunk.subarray(at));
        return;
      }
    }
  }
}

export function* parseJpeg(limits: PixelLimits): Parser<ImageInfo> {
  const info = yield* parseOneImage(limits);
  for (let images = 1; ; images++) {
    const after = yield peek(2);
    if (after.length === 0 || after[0] !== 0xff || after[1] !== 0xd8 || images === maxJpegImages) break;
    yield* parseOneImage(limits);
  }
  yield end(); // reports any trailing data
  return info;
}

/** One image, from SOI to EOI. */
function* parseOneImage(limits: PixelLimits): Parser<ImageInfo> {
  const start = yield read(2);
  if (start[0] !== 0xff || start[1] !== 0xd8) throw bad('it does not start with a JPEG marker');
  let width = 0;
  let height = 0;
  let scans = 0;
  for (;;) {
    if ((yield read(1))[0] !== 0xff) throw bad('a marker was expected');
    let marker = (yield read(1))[0]!;
    while (marker === 0xff) marker = (yield read(1))[0]!;
    if (marker === 0xd9) break;
    if (marker === 0x01 || isRestart(marker)) continue;
    if (marker === 0x00 || marker === 0xd8) throw bad('an unexpected marker was found');
    const length = (yield read(2)).readUInt16BE(0);
    if (length < 2) throw bad('a segment length is invalid');
    if (isFrameHeader(marker)) {
      if (length < 8) throw bad('the frame header is too short');
      const data = yield read(length - 2);
      height = data.readUInt16BE(1);
      width = data.readUInt16BE(3);
      if (width === 0 || height === 0) throw bad('it has no dimensions');
      checkPixels(limits, width, height);
    } else {
      yield skip(length - 2);
    }
    if (marker === 0xda) {
      if (width === 0) throw bad('a scan comes before the frame header');
      if (++scans > maxJpegScans) {
        throw new AppError('unprocessable', `The JPEG image has more than ${maxJpegScans} scans, the most accepted`, {
          extensions: { reason: 'too_many_scans' },
        });
      }
      yield* skipScan();
    }
  }
  if (width === 0) throw bad('it has no frame header');
  return { width, height, frames: 1 };
}

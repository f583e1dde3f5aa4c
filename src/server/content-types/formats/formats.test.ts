import { describe, expect, it } from 'vitest';
import {
  corrupt,
  makeAnimatedWebp,
  makeApngFrameBomb,
  makeGif,
  makeGifFrameBomb,
  makeJpeg,
  makePng,
  makePngBomb,
  makeWebp,
  makeWebpFrameBomb,
  makeZip,
} from '../../../../test/support/images.js';
import { AppError } from '../../../core/errors.js';
import { parseGif } from './gif.js';
import type { ImageInfo, PixelLimits } from './image-limits.js';
import { maxJpegScans, parseJpeg } from './jpeg.js';
import { parsePng } from './png.js';
import { StreamParser, type Parser } from './stream-parser.js';
import { parseWebp } from './webp.js';

const limits: PixelLimits = { maxPixelsPerFrame: 50_000_000, maxFrames: 500, maxTotalPixels: 500_000_000 };
type Format = (limits: PixelLimits) => Parser<ImageInfo>;

/** Feeds `bytes` in chunks of `size` and returns the result, or the AppError and how many bytes had been fed. */
function feed(format: Format, bytes: Buffer, size: number, parserLimits = limits) {
  const parser = new StreamParser(format(parserLimits), 'image');
  let fed = 0;
  try {
    for (let at = 0; at < bytes.length; at += size) {
      const chunk = bytes.subarray(at, at + size);
      fed += chunk.length;
      parser.push(chunk);
    }
    return { info: parser.end(), fed };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { error, reason: error.extensions?.reason, fed };
  }
}

describe('streaming image inspectors', () => {
  it('read dimensions and frames from real files, whatever the chunking', async () => {
    const cases: [Format, Buffer, ImageInfo][] = [
      [parsePng, await makePng(64, 48), { width: 64, height: 48, frames: 1 }],
      [parseJpeg, await makeJpeg(64, 48), { width: 64, height: 48, frames: 1 }],
      [parseWebp, await makeWebp(64, 48), { width: 64, height: 48, frames: 1 }],
      [parseWebp, await makeAnimatedWebp(3, 32, 24), { width: 32, height: 24, frames: 3 }],
      [parseGif, await makeGif(5, 40, 30), { width: 40, height: 30, frames: 5 }],
    ];
    for (const [format, bytes, expected] of cases) {
      for (const size of [1, 3, 7, 64, 4096, bytes.length]) expect(feed(format, bytes, size).info).toEqual(expected);
    }
  });

  it('refuse a pixel bomb at its header, before the rest arrives', () => {
    const bomb = makePngBomb(100_000, 100_000);
    const result = feed(parsePng, bomb, 1);
    expect(result.reason).toBe('too_many_pixels');
    expect(result.fed).toBe(8 + 8 + 13); // signature, chunk header, IHDR
    expect(result.error?.status).toBe(422);
  });

  it('refuse a JPEG scan bomb (thousands of near-empty progressive scans) as it arrives, and accept as many scans as encoders write', async () => {
    const jpeg = await makeJpeg(64, 48);
    const firstScan = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    // A minimal scan: SOS for one component over the whole spectrum, then one byte of entropy-coded data.
    const emptyScan = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x00]);
    const withScans = (extra: number) =>
      Buffer.concat([jpeg.subarray(0, firstScan), ...Array.from({ length: extra }, () => emptyScan), jpeg.subarray(firstScan)]);
    expect(feed(parseJpeg, withScans(maxJpegScans - 1), 64).info).toEqual({ width: 64, height: 48, frames: 1 });
    const bomb = feed(parseJpeg, withScans(10_000), 64);
    expect(bomb).toMatchObject({ reason: 'too_many_scans', error: { status: 422 } });
    expect(bomb.fed).toBeLessThan(firstScan + (maxJpegScans + 2) * emptyScan.length + 64);
  });

  it('refuse a frame bomb at frame 501, and a GIF whose canvas is a bomb at byte 13', () => {
    const frames = makeGifFrameBomb(10_000);
    const result = feed(parseGif, frames, 1);
    expect(result.reason).toBe('too_many_frames');
    expect(result.fed).toBeLessThan(13 + 6 + 501 * 15 + 1);
    const canvas = makeGifFrameBomb(1, 65_535, 65_535);
    expect(feed(parseGif, canvas, 1)).toMatchObject({ reason: 'too_many_pixels', fed: 13 });
    expect(feed(parseGif, makeGifFrameBomb(500), 64).info).toEqual({ width: 1, height: 1, frames: 500 });
  });

  it('refuse an animation over 500 megapixels in all (canvas × frames) at the frame that crosses it, for GIF, APNG and WebP', () => {
    // 49 megapixels a frame and 500 frames each pass their own limit: 24.5 gigapixels in 7.5 KB. The 11th frame crosses.
    const gif = makeGifFrameBomb(500, 7000, 7000);
    const refused = feed(parseGif, gif, 1);
    expect(refused).toMatchObject({ reason: 'too_many_pixels', error: { status: 422 } });
    expect(refused.error?.message).toContain('in all');
    expect(refused.fed).toBe(13 + 6 + 10 * 15 + 10); // header, colour table, ten frames, the 11th frame's descriptor
    expect(feed(parseGif, makeGifFrameBomb(500, 1000, 1000), 64).info).toEqual({ width: 1000, height: 1000, frames: 500 }); // exactly 500 MP

    // A GIF frame that overflows the logical screen grows the canvas every later frame is drawn on.
    const grown = Buffer.from(makeGifFrameBomb(20, 1, 1));
    grown.writeUInt16LE(7000, 19 + 5); // first frame: 7000×7000 on a 1×1 screen
    grown.writeUInt16LE(7000, 19 + 7);
    expect(feed(parseGif, grown, 64).reason).toBe('too_many_pixels');

    // APNG: refused at the acTL that declares the frames, and, when acTL lies, at the fcTL that crosses.
    const apng = makeApngFrameBomb(500, 7000, 7000);
    expect(feed(parsePng, apng, 1)).toMatchObject({ reason: 'too_many_pixels', fed: 8 + 25 + 8 + 8 });
    const lying = feed(parsePng, makeApngFrameBomb(20, 7000, 7000, 1), 1);
    expect(lying.reason).toBe('too_many_pixels');
    expect(lying.fed).toBeLessThan(makeApngFrameBomb(11, 7000, 7000, 1).length);
    expect(feed(parsePng, makeApngFrameBomb(5, 7000, 7000), 64).info).toEqual({ width: 7000, height: 7000, frames: 5 });

    const webp = makeWebpFrameBomb(500, 7000, 7000);
    const webpRefused = feed(parseWebp, webp, 1);
    expect(webpRefused.reason).toBe('too_many_pixels');
    expect(webpRefused.fed).toBe(12 + 18 + 14 + 10 * 24 + 24); // RIFF, VP8X, ANIM, ten frames, the 11th frame's header
    expect(feed(parseWebp, makeWebpFrameBomb(10, 7000, 7000), 64).info).toEqual({ width: 7000, height: 7000, frames: 10 });
  });

  it('refuse truncated files, corrupt data and trailing data (polyglots)', async () => {
    const png = await makePng(200, 100);
    expect(feed(parsePng, png.subarray(0, png.length - 20), 1000).reason).toBe('truncated');
    expect(feed(parsePng, corrupt(png), 1000).reason).toBe('corrupt');
    expect(feed(parsePng, Buffer.concat([png, makeZip()]), 1000).reason).toBe('trailing_data');
    const gif = await makeGif(3);
    expect(feed(parseGif, gif.subarray(0, gif.length - 10), 100).reason).toBe('truncated');
    expect(feed(parseGif, Buffer.concat([gif, makeZip()]), 100).reason).toBe('trailing_data');
    const jpeg = await makeJpeg(64, 48);
    expect(feed(parseJpeg, jpeg.subarray(0, jpeg.length - 2), 100).reason).toBe('truncated');
    expect(feed(parseJpeg, Buffer.concat([jpeg, Buffer.from('<script>alert(1)</script>')]), 100).reason).toBe('trailing_data');
    expect(feed(parseJpeg, Buffer.concat([jpeg, jpeg]), 100).info).toEqual({ width: 64, height: 48, frames: 1 }); // multi-picture
    // A second image is checked like the first: a JPEG start followed by anything else is not a way in.
    const polyglot = Buffer.concat([jpeg, Buffer.from([0xff, 0xd8]), Buffer.from('<html><script>alert(1)</script>')]);
    expect(feed(parseJpeg, polyglot, 100).info).toBeUndefined();
    const webp = await makeWebp();
    expect(feed(parseWebp, webp.subarray(0, webp.length - 4), 100).reason).toBe('truncated');
    expect(feed(parseWebp, Buffer.concat([webp, makeZip()]), 100).reason).toBe('trailing_data');
    expect(feed(parsePng, Buffer.from('not a png at all, really'), 100).reason).toBe('corrupt');
  });

  it('honour smaller limits', async () => {
    const small = { maxPixelsPerFrame: 1000, maxFrames: 2, maxTotalPixels: 1500 };
    expect(feed(parseJpeg, await makeJpeg(64, 48), 100, small).reason).toBe('too_many_pixels');
    expect(feed(parseWebp, await makeWebp(64, 48), 100, small).reason).toBe('too_many_pixels');
    expect(feed(parseGif, await makeGif(3, 10, 10), 100, small).reason).toBe('too_many_frames');
    expect(feed(parseWebp, await makeAnimatedWebp(3, 10, 10), 100, small).reason).toBe('too_many_frames');
    expect(feed(parseGif, await makeGif(2, 30, 30), 100, small).reason).toBe('too_many_pixels'); // 900 a frame, 1800 in all
  });
});

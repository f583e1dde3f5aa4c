/** Test images made at test time: real ones with sharp, hostile ones by hand (bombs, truncations, polyglots). */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import sharp from 'sharp';

function rgba(width: number, height: number, frames = 1): Buffer {
  const raw = Buffer.alloc(width * height * frames * 4);
  for (let i = 0; i < width * height * frames; i++) {
    raw[i * 4] = (i * 7) % 256;
    raw[i * 4 + 1] = (i * 13 + Math.floor(i / (width * height)) * 80) % 256;
    raw[i * 4 + 2] = 128;
    raw[i * 4 + 3] = 255;
  }
  return raw;
}

const still = (width: number, height: number) => sharp(rgba(width, height), { raw: { width, height, channels: 4 } });

export const makePng = (width = 64, height = 48) => still(width, height).png().toBuffer();
export const makeJpeg = (width = 64, height = 48) => still(width, height).jpeg({ quality: 80 }).toBuffer();
export const makeWebp = (width = 64, height = 48) => still(width, height).webp().toBuffer();
export const makeGif = (frames = 4, width = 40, height = 30) =>
  sharp(rgba(width, height, frames), { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
    .gif({ delay: 80, loop: 0 })
    .toBuffer();
/** Random pixels compress badly: about 1.1 bytes per pixel and frame, so a big GIF without big dimensions. */
export function makeNoisyGif(frames: number, width: number, height: number): Promise<Buffer> {
  const raw = randomBytes(width * height * frames * 4);
  for (let i = 3; i < raw.length; i += 4) raw[i] = 255;
  return sharp(raw, { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
    .gif({ delay: 80, loop: 0, effort: 1, dither: 0 })
    .toBuffer();
}
export const makeAnimatedWebp = (frames = 3, width = 32, height = 24) =>
  sharp(rgba(width, height, frames), { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
    .webp({ delay: 80, loop: 0 })
    .toBuffer();

/** One PNG chunk: length, type, data and its CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0, 0);
  return Buffer.concat([header, data, crc]);
}

/**
 * A real animated PNG (APNG) of `frames` frames, each a different colour, every 0.1 s, looping: the first frame is the
 * PNG's IDAT (what a viewer without APNG shows), the rest fdAT chunks. sharp writes no APNG, so the chunks are built here.
 */
export function makeApng(frames = 3, width = 32, height = 24): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(frames, 0); // plays forever (num_plays 0)
  const pixels = rgba(width, height, frames);
  const frameData = (frame: number) => {
    const rows: Buffer[] = [];
    for (let y = 0; y < height; y++) {
      const start = (frame * height + y) * width * 4;
      rows.push(Buffer.from([0]), pixels.subarray(start, start + width * 4)); // filter: none
    }
    return zlib.deflateSync(Buffer.concat(rows));
  };
  let sequence = 0;
  const fctl = () => {
    const data = Buffer.alloc(26);
    data.writeUInt32BE(sequence++, 0);
    data.writeUInt32BE(width, 4);
    data.writeUInt32BE(height, 8);
    data.writeUInt16BE(1, 20); // delay 1/10 s
    data.writeUInt16BE(10, 22);
    return pngChunk('fcTL', data);
  };
  const chunks = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('acTL', actl),
    fctl(),
    pngChunk('IDAT', frameData(0)),
  ];
  for (let frame = 1; frame < frames; frame++) {
    const control = fctl();
    const number = Buffer.alloc(4);
    number.writeUInt32BE(sequence++, 0);
    chunks.push(control, pngChunk('fdAT', Buffer.concat([number, frameData(frame)])));
  }
  chunks.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(chunks);
}

/** A valid-looking PNG whose header claims `width`×`height` (a decompression bomb if decoded). */
export function makePngBomb(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A GIF with `frames` 1×1 frames: tiny on the wire, a frame bomb for a decoder. */
export function makeGifFrameBomb(frames = 600, width = 1, height = 1): Buffer {
  const header = Buffer.alloc(13);
  header.write('GIF89a', 0, 'latin1');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0x80; // global colour table of 2 entries
  const table = Buffer.from([0, 0, 0, 255, 255, 255]);
  const frame = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x4c, 0x01, 0x00]);
  return Buffer.concat([header, table, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

/** A minimal valid ZIP archive (one stored entry). */
export function makeZip(name = 'hello.txt', content = Buffer.from('hello from a zip')): Buffer {
  const fileName = Buffer.from(name);
  const crc = zlib.crc32(content) >>> 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localSize = local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

/**
 * A PNG whose chunks and CRCs are all valid (so it passes the streaming checks and is stored), too big to be decoded
 * before answering (over 4 megapixels), whose pixel data is cut short: it does not decode.
 */
export function corruptLargePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const deflated = zlib.deflateSync(Buffer.alloc((width * 3 + 1) * height), { level: 9 });
  const cut = deflated.subarray(0, deflated.length - 200);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', cut), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Flips bytes in the middle of the file: for a PNG, inside the image data, so a checksum no longer matches. */
export function corrupt(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const middle = Math.floor(copy.length / 2);
  for (let i = middle; i < middle + 8 && i < copy.length; i++) copy[i] = copy[i]! ^ 0xa5;
  return copy;
}

export const svgWithScript = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>\n',
);

/**
 * An APNG of `frames` frames on a `width`×`height` canvas, every frame's data a few bytes: a frame bomb for a player.
 * `declaredFrames` is what its acTL says (a liar's acTL can say 1 and the fcTL chunks still count).
 */
export function makeApngFrameBomb(frames: number, width: number, height: number, declaredFrames = frames): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(declaredFrames, 0);
  const fctl = (sequence: number) => {
    const data = Buffer.alloc(26);
    data.writeUInt32BE(sequence, 0);
    data.writeUInt32BE(width, 4);
    data.writeUInt32BE(height, 8);
    data.writeUInt16BE(1, 20); // delay 1/10 s
    data.writeUInt16BE(10, 22);
    return pngChunk('fcTL', data);
  };
  const pixels = zlib.deflateSync(Buffer.alloc(64));
  const chunks = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('acTL', actl),
    fctl(0),
    pngChunk('IDAT', pixels),
  ];
  for (let frame = 1, sequence = 1; frame < frames; frame++, sequence += 2) {
    const sequenced = Buffer.alloc(4);
    sequenced.writeUInt32BE(sequence + 1, 0);
    chunks.push(fctl(sequence), pngChunk('fdAT', Buffer.concat([sequenced, pixels])));
  }
  chunks.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(chunks);
}

/** An animated WebP of `frames` frames on a `width`×`height` canvas (VP8X), each ANMF frame a bare header. */
export function makeWebpFrameBomb(frames: number, width: number, height: number): Buffer {
  const chunk = (fourcc: string, data: Buffer) => {
    const header = Buffer.alloc(8);
    header.write(fourcc, 0, 'latin1');
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x02; // animation
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const anmf = Buffer.alloc(16);
  anmf.writeUIntLE(width - 1, 6, 3);
  anmf.writeUIntLE(height - 1, 9, 3);
  anmf.writeUIntLE(100, 12, 3); // duration
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    chunk('VP8X', vp8x),
    chunk('ANIM', Buffer.alloc(6)),
    ...Array.from({ length: frames }, () => chunk('ANMF', anmf)),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** The decode budget of an image, checked from headers and frame descriptors before any pixel is decoded. */
import { AppError } from '../../../core/errors.js';

export interface PixelLimits {
  maxPixelsPerFrame: number;
  maxFrames: number;
}

export interface ImageInfo {
  width: number;
  height: number;
  frames: number;
}

const megapixels = (n: number) => `${Math.round(n / 100_000) / 10} megapixels`;

export function checkPixels(limits: PixelLimits, width: number, height: number): void {
  if (width * height > limits.maxPixelsPerFrame) {
    throw new AppError(
      'unprocessable',
      `The image is ${width}×${height} pixels (${megapixels(width * height)}); at most ${megapixels(limits.maxPixelsPerFrame)} per frame are accepted`,
      {
        extensions: { reason: 'too_many_pixels' },
      },
    );
  }
}

export function checkFrames(limits: PixelLimits, frames: number): void {
  if (frames > limits.maxFrames) {
    throw new AppError('unprocessable', `The animation has more than ${limits.maxFrames} frames, the most accepted`, {
      extensions: { reason: 'too_many_frames' },
    });
  }
}

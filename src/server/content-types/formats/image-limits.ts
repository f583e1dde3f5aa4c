/** The decode budget of an image, checked from headers and frame descriptors before any pixel is decoded. */
import { AppError } from '../../../core/errors.js';

export interface PixelLimits {
  maxPixelsPerFrame: number;
  maxFrames: number;
  /** Canvas × frames: what a player decodes over one loop of the animation. */
  maxTotalPixels: number;
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

/**
 * Checks a frame count as the frames are counted (or as a header declares them): at most `maxFrames`, and the canvas
 * decoded that many times at most `maxTotalPixels` in all. Each limit alone lets 500 frames of 50 megapixels through.
 */
export function checkFrames(limits: PixelLimits, frames: number, canvasWidth: number, canvasHeight: number): void {
  if (frames > limits.maxFrames) {
    throw new AppError('unprocessable', `The animation has more than ${limits.maxFrames} frames, the most accepted`, {
      extensions: { reason: 'too_many_frames' },
    });
  }
  const total = canvasWidth * canvasHeight * frames;
  if (total > limits.maxTotalPixels) {
    throw new AppError(
      'unprocessable',
      `The animation is ${canvasWidth}×${canvasHeight} pixels over at least ${frames} frames (${megapixels(total)} in all); at most ${megapixels(limits.maxTotalPixels)} in all are accepted`,
      { extensions: { reason: 'too_many_pixels' } },
    );
  }
}

/** Which picture stands for a task in the list: the first image or GIF block's still (never an animation). */
import type { Block } from '../../core/content-types/index.js';

export interface TaskThumbnail {
  src: string;
  alt: string;
}

export function taskThumbnail(blocks: readonly Block[]): TaskThumbnail | null {
  for (const block of blocks) {
    if (block.type === 'image') {
      if (block.mimeType === 'image/svg+xml') continue; // SVG is only ever a file to download
      return { src: block.thumbnailUrl, alt: block.name };
    }
    if (block.type === 'gif') {
      if ('uploadId' in block) return { src: block.thumbnailUrl || block.posterUrl, alt: block.name };
      // From search: its still if the provider gave one; its animation never plays in the list.
      if (block.posterUrl) return { src: block.posterUrl, alt: block.title || 'GIF' };
    }
  }
  return null;
}

/**
 * `image`: its thumbnail (a still: the first frame of an animated WebP or APNG); a click opens the full image in a
 * lightbox, where an animation stays on that still, with Play, if the user asked for reduced motion. An SVG is never
 * shown inline: a file chip; nor is an image whose thumbnail fails (bytes the server could not decode).
 */
import { useState } from 'react';
import type { BlockOf } from '../../core/content-types/index.js';
import { Lightbox } from '../components/Lightbox.js';
import { FileChip } from './file.js';
import { blockRenderer } from './renderer.js';

export function ImageBlock({ block }: { block: BlockOf<'image'> }) {
  const [open, setOpen] = useState(false);
  // The server could not decode the bytes (its thumbnail answers 404): a broken picture helps nobody, the file still may.
  const [failedThumbnail, setFailedThumbnail] = useState<string | null>(null);
  if (block.mimeType === 'image/svg+xml' || failedThumbnail === block.thumbnailUrl) {
    return <FileChip name={block.name} size={block.size} url={block.url} mimeType={block.mimeType} />;
  }
  return (
    <>
      <button type="button" className="block-image-button" aria-label={`Open image ${block.name}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <img
          className="block-image-thumb"
          src={block.thumbnailUrl}
          alt={block.name}
          width={block.width}
          height={block.height}
          loading="lazy"
          decoding="async"
          onError={() => setFailedThumbnail(block.thumbnailUrl)}
        />
      </button>
      {open ? (
        <Lightbox
          src={block.url}
          alt={block.name}
          name={block.name}
          size={block.size}
          width={block.width}
          height={block.height}
          animated={(block.frames ?? 1) > 1}
          still={block.thumbnailUrl}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

export const renderer = blockRenderer('image', ImageBlock, { hint: 'PNG, JPEG or WebP' });
declare module './renderer.js' {
  interface BlockRenderers {
    image: typeof renderer;
  }
}

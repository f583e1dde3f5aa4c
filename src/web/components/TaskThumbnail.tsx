import { useState } from 'react';
import type { Block } from '../../core/content-types/index.js';
import { taskThumbnail } from '../content-types/thumbnail.js';

/** The task's first image or GIF, small and still, in its row of the list (not draggable: dragged onto another row it would be uploaded there). */
export function TaskThumbnail({ blocks }: { blocks: readonly Block[] }) {
  const thumbnail = taskThumbnail(blocks);
  // A thumbnail that fails (an image the server could not decode) is left out rather than shown broken.
  const [failed, setFailed] = useState<string | null>(null);
  if (!thumbnail || failed === thumbnail.src) return null;
  return (
    <img
      className="task-thumb"
      src={thumbnail.src}
      alt={thumbnail.alt}
      title={thumbnail.alt}
      width={30}
      height={30}
      loading="lazy"
      decoding="async"
      referrerPolicy="no-referrer"
      draggable={false}
      onError={() => setFailed(thumbnail.src)}
    />
  );
}

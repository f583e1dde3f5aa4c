/**
 * `gif`: plays inline, unless the user asked for reduced motion: then its still poster, until they press Play.
 * A pause/play toggle either way. Lists never animate (they show `thumbnail.ts`'s still).
 */
import type { BlockOf } from '../../core/content-types/index.js';
import { PlayToggle } from '../components/PlayToggle.js';
import { useAnimationPlayback } from '../hooks/useAnimationPlayback.js';
import { blockRenderer } from './renderer.js';

export function GifBlock({ block }: { block: BlockOf<'gif'> }) {
  const [playing, setPlaying] = useAnimationPlayback();
  const uploaded = 'uploadId' in block;
  const name = uploaded ? block.name : block.title || 'GIF';
  const still = block.posterUrl;
  const fromProvider = !uploaded;

  return (
    <figure className="block-gif" data-playing={playing || undefined}>
      {playing || still ? (
        <img
          className="block-gif-media"
          src={playing ? block.url : still}
          alt={name}
          width={block.width}
          height={block.height}
          decoding="async"
          referrerPolicy="no-referrer"
        />
      ) : (
        <div className="block-gif-placeholder" style={{ aspectRatio: block.width && block.height ? `${block.width} / ${block.height}` : undefined }}>
          {name}
        </div>
      )}
      <PlayToggle className="block-gif-toggle" playing={playing} name={name} onChange={setPlaying} />
      {fromProvider ? <figcaption className="block-gif-credit">via {block.provider === 'giphy' ? 'GIPHY' : block.provider}</figcaption> : null}
    </figure>
  );
}

export const renderer = blockRenderer('gif', GifBlock, { label: 'GIF', hint: 'Search or upload an animated GIF' });
declare module './renderer.js' {
  interface BlockRenderers {
    gif: typeof renderer;
  }
}

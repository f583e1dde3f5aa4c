/** `quote`: a quotation as a block quote, with its source (if any) in a `<cite>`. Plain text, line breaks kept. */
import type { BlockOf } from '../../core/content-types/index.js';
import { blockRenderer } from './renderer.js';

export function QuoteBlock({ block }: { block: BlockOf<'quote'> }) {
  return (
    <figure className="block-quote">
      <blockquote className="block-quote-text">{block.text}</blockquote>
      {block.source ? (
        <figcaption className="block-quote-source">
          — <cite>{block.source}</cite>
        </figcaption>
      ) : null}
    </figure>
  );
}

export const renderer = blockRenderer('quote', QuoteBlock);
declare module './renderer.js' {
  interface BlockRenderers {
    quote: typeof renderer;
  }
}

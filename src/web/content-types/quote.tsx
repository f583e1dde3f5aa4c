/** `quote`: a quotation as a block quote, with its source (if any) in a `<cite>`. Plain text, line breaks kept. */
import type { BlockOf } from '../../core/content-types/index.js';

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

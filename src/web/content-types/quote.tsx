/** `quote`: a quotation as a block quote, with its source (if any) in a `<cite>`. Plain text, line breaks kept. */
import type { BlockOf } from '../../core/content-types/index.js';
import { quote } from '../../core/content-types/quote.js';
import { BlockForm } from './parts/block-form.js';
import { blockRenderer, type BlockEditorProps } from './renderer.js';

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

/** The quotation (several lines) and who said or wrote it, checked with core's schema. */
export function QuoteEditor({ block, onSave, onCancel }: BlockEditorProps<'quote'>) {
  return (
    <BlockForm
      type="quote"
      label="Quote block"
      schema={quote.payloadSchema}
      fields={[
        { name: 'text', label: 'Quote', kind: 'lines', maxLength: quote.limits.maxChars },
        { name: 'source', label: 'Source', optional: true, maxLength: quote.limits.maxSource, placeholder: 'Who said or wrote it' },
      ]}
      initial={{ text: block?.text ?? '', source: block?.source ?? '' }}
      saveLabel={block ? 'Save quote' : 'Add quote'}
      onSave={onSave}
      onCancel={onCancel}
    />
  );
}

export const renderer = blockRenderer('quote', QuoteBlock, { hint: 'A quotation and its source', editor: QuoteEditor });
declare module './renderer.js' {
  interface BlockRenderers {
    quote: typeof renderer;
  }
}

/**
 * The web renderers of the content types: one component per type (`<type>.tsx`), listed here. The map is typed
 * over the core registry's ids, so a type without a renderer does not compile.
 */
import type { ComponentType } from 'react';
import type { Block, BlockOf, ContentTypeId } from '../../core/content-types/index.js';
import { FileBlock } from './file.js';
import { QuoteBlock } from './quote.js';
import { GifBlock } from './gif.js';
import { ImageBlock } from './image.js';
import { LinkBlock } from './link.js';
import { TextBlock } from './text.js';

export type BlockRenderers = { [K in ContentTypeId]: ComponentType<{ block: BlockOf<K> }> };

export const blockRenderers: BlockRenderers = {
  text: TextBlock,
  link: LinkBlock,
  image: ImageBlock,
  gif: GifBlock,
  file: FileBlock,
  quote: QuoteBlock,
};

/** Any block, by its type's renderer. */
export function BlockView({ block }: { block: Block }) {
  const Renderer = blockRenderers[block.type] as ComponentType<{ block: Block }> | undefined;
  // A type this build does not know (a newer server): its plain fields would mean nothing; say so instead.
  if (!Renderer) return <p className="muted-note">This content needs a newer version of Listo.</p>;
  return <Renderer block={block} />;
}

/**
 * What a web renderer is: one per content type, in `<type>.tsx` in this folder, found by `index.tsx`.
 * The web counterpart of core's `definition.ts`.
 */
import type { ComponentType } from 'react';
import type { BlockOf, ContentTypeId } from '../../core/content-types/index.js';

/** The renderer of one content type: its id and the component that shows a block of it. */
export interface BlockRenderer<K extends ContentTypeId> {
  readonly type: K;
  readonly component: ComponentType<{ block: BlockOf<K> }>;
}

/**
 * The renderers that exist, by type: empty here, filled by each renderer module with one property, through
 * module augmentation:
 *
 * ```ts
 * export const renderer = blockRenderer('quote', QuoteBlock);
 * declare module './renderer.js' {
 *   interface BlockRenderers {
 *     quote: typeof renderer;
 *   }
 * }
 * ```
 *
 * `index.tsx` checks at compile time that it names every type of the core registry, each with a renderer of that
 * type, so deleting (or never writing) a type's renderer module does not compile.
 */
export interface BlockRenderers {}

/** Identity with inference: ties a component to the type it renders (its props must take that type's blocks). */
export function blockRenderer<const K extends ContentTypeId>(type: K, component: ComponentType<{ block: BlockOf<K> }>): BlockRenderer<K> {
  return { type, component };
}

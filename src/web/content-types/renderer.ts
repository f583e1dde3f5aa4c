/**
 * What a web renderer is: one per content type, in `<type>.tsx` in this folder, found by `index.tsx`.
 * The web counterpart of core's `definition.ts`. Besides the component that shows a block, a renderer module may
 * carry how the type is offered in the add-a-block menu and the editor that writes and changes its blocks.
 */
import type { ComponentType } from 'react';
import type { BlockOf, ContentTypeId, UploadContentTypeId } from '../../core/content-types/index.js';
import type { BlockMenuItem } from './menu.js';

/** What the task's details hand a type's editor. */
export interface BlockEditorProps<K extends ContentTypeId> {
  /** The block being changed, or `null` for a new one. */
  readonly block: BlockOf<K> | null;
  /**
   * Saves the block (editors check it with core's payload schema first, so it is what the server accepts); `null`
   * removes the block (an emptied text block).
   */
  readonly onSave: (block: BlockOf<K> | null) => void;
  /** Escape or Cancel: nothing changes. */
  readonly onCancel: () => void;
  /**
   * The add-a-block menu, for an editor that offers it (the `/` command of an empty text block). Picking a type
   * closes this editor (removing the block it was changing) and starts adding the chosen type.
   */
  readonly blockMenu: { readonly items: readonly BlockMenuItem[]; readonly onPick: (type: ContentTypeId) => void };
}

/** A type's editor. Upload-backed types have none: they are added by choosing, pasting or dropping a file. */
export type BlockEditorOf<K extends ContentTypeId> = [K] extends [UploadContentTypeId] ? never : ComponentType<BlockEditorProps<K>>;

/** The optional parts of a renderer module, given as `blockRenderer`'s third argument. */
export interface BlockRendererOptions<K extends ContentTypeId> {
  /** Its name in the add-a-block menu and elsewhere (default: the id, capitalised). */
  readonly label?: string;
  /** One line under the name in the add-a-block menu. */
  readonly hint?: string;
  /** Writes a new block (the type is then offered in the add-a-block menu) and changes an existing one. */
  readonly editor?: BlockEditorOf<K>;
}

/** The renderer of one content type: its id, the component that shows a block of it, and the options above. */
export interface BlockRenderer<K extends ContentTypeId> extends BlockRendererOptions<K> {
  readonly type: K;
  readonly component: ComponentType<{ block: BlockOf<K> }>;
}

/**
 * The renderers that exist, by type: empty here, filled by each renderer module with one property, through
 * module augmentation:
 *
 * ```ts
 * export const renderer = blockRenderer('quote', QuoteBlock, { editor: QuoteEditor, hint: 'A quotation and its source' });
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
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, one module per type
export interface BlockRenderers {}

/**
 * Identity with inference: ties a component (and the editor, if any) to the type it renders (its props must take
 * that type's blocks).
 */
export function blockRenderer<const K extends ContentTypeId>(
  type: K,
  component: ComponentType<{ block: BlockOf<K> }>,
  options: BlockRendererOptions<K> = {},
): BlockRenderer<K> {
  return { ...options, type, component };
}

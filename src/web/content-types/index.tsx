/// <reference types="vite/client" />
/**
 * The registry of the web renderers: every `.tsx` file directly in this folder (but this one and tests) is the
 * renderer module of the type it is named after, found with Vite's `import.meta.glob` so that no list here needs a
 * line per type. Each module declares its renderer in `BlockRenderers` (see `renderer.ts`), and the check below makes
 * a type without its renderer a compile error; `collectRenderers` checks the same of the modules when they load.
 * Pieces that are not renderers go in `.ts` files or in `parts/`.
 *
 * From the same modules come the add-a-block menu (the types with an editor, and the upload-backed types, in the core
 * registry's order, with each module's label and hint) and the editors the task's details open.
 */
import type { ComponentType } from 'react';
import { contentTypeIds, uploadContentTypeIds, type Block, type ContentTypeId } from '../../core/content-types/index.js';
import type { BlockMenuItem } from './menu.js';
import type { BlockEditorProps, BlockRenderer, BlockRenderers } from './renderer.js';

/**
 * What is wrong with a declared renderer map, one message per fault: a type without a renderer, a renderer declared
 * under another type's name, a name that is no type. `never` when there is nothing wrong.
 */
export type RendererProblems<Declared> =
  | { [K in Exclude<ContentTypeId, keyof Declared>]: `no renderer for the content type '${K}'` }[Exclude<ContentTypeId, keyof Declared>]
  | {
      [K in keyof Declared]: K extends ContentTypeId
        ? Declared[K] extends BlockRenderer<K>
          ? never
          : `the renderer declared for '${K}' does not render '${K}'`
        : `'${K & string}' is not a content type of the core registry`;
    }[keyof Declared];

/** `true`, or the problems themselves, which then fail `Expect` with a message naming the type. */
export type NoProblems<Problems> = [Problems] extends [never] ? true : Problems;
export type Expect<T extends true> = T;

// The compile-time guarantee: deleting `<type>.tsx` (or its `BlockRenderers` line) fails here, naming the type.
export type EveryTypeHasItsRenderer = Expect<NoProblems<RendererProblems<BlockRenderers>>>;

/** Each type's renderer (its component, and its menu entry and editor if it has them), by type. */
export type RendererRegistry = { readonly [K in ContentTypeId]: BlockRenderer<K> };

/** A module as `import.meta.glob` loads it: unchecked until `collectRenderers` has looked at it. */
export type RendererModule = { readonly renderer?: unknown };

const isContentTypeId = (value: unknown): value is ContentTypeId => (contentTypeIds as readonly unknown[]).includes(value);
const isUploadType = (type: ContentTypeId) => (uploadContentTypeIds as readonly string[]).includes(type);
// Function components, and the objects `memo`, `forwardRef` and `lazy` return.
const isComponent = (value: unknown) => typeof value === 'function' || (typeof value === 'object' && value !== null);
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';

function isBlockRenderer(value: unknown): value is BlockRenderer<ContentTypeId> {
  if (typeof value !== 'object' || value === null || !('type' in value) || !('component' in value)) return false;
  const { type, component, label, hint, editor } = value as { type: unknown; component: unknown; label?: unknown; hint?: unknown; editor?: unknown };
  return isContentTypeId(type) && isComponent(component) && isOptionalString(label) && isOptionalString(hint) && (editor === undefined || isComponent(editor));
}

/**
 * The renderers of the modules `import.meta.glob` found (keys are paths like `./quote.tsx`). Throws unless each
 * module exports the `renderer` of the type it is named after, every type of the core registry has exactly one, and
 * no upload-backed type has an editor (those are added by uploading).
 */
export function collectRenderers(modules: Readonly<Record<string, RendererModule>>): RendererRegistry {
  const found = new Map<ContentTypeId, BlockRenderer<ContentTypeId>>();
  for (const [path, module] of Object.entries(modules)) {
    const named = /^\.\/([^/]+)\.tsx$/.exec(path)?.[1];
    const { renderer } = module;
    if (!isBlockRenderer(renderer))
      throw new Error(
        `${path} is not a renderer module: it must export \`renderer = blockRenderer(<type>, <Component>, {label?, hint?, editor?})\` (pieces that are not renderers go in .ts files or in parts/)`,
      );
    if (renderer.type !== named) throw new Error(`${path} renders '${renderer.type}': a renderer module is named after its type (${renderer.type}.tsx)`);
    if (renderer.editor !== undefined && isUploadType(renderer.type))
      throw new Error(`${path} gives '${renderer.type}' an editor, but its blocks are added by uploading a file`);
    found.set(renderer.type, renderer);
  }
  const missing = contentTypeIds.filter((type) => !found.has(type));
  if (missing.length > 0) throw new Error(`no renderer module for the content type${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  // Complete, each renderer checked against its own type by `blockRenderer` and `EveryTypeHasItsRenderer`.
  return Object.fromEntries(found) as RendererRegistry;
}

/** The renderer modules: `<type>.tsx` beside this file. */
export const rendererModules: Readonly<Record<string, RendererModule>> = import.meta.glob<RendererModule>(['./*.tsx', '!./index.tsx', '!./*.test.tsx'], {
  eager: true,
});

export const renderers: RendererRegistry = collectRenderers(rendererModules);

/** A type's name as people read it: its module's `label`, or its id capitalised. */
export function blockTypeLabel(type: ContentTypeId, registry: RendererRegistry = renderers): string {
  return registry[type].label ?? type.charAt(0).toUpperCase() + type.slice(1);
}

/** Whether blocks of the type are written and changed in an editor (upload-backed types come from files instead). */
export const hasEditor = (type: ContentTypeId, registry: RendererRegistry = renderers): boolean => registry[type].editor !== undefined;

/** The add-a-block menu: the types with an editor and the upload-backed ones, in the core registry's order. */
export function blockMenuItemsOf(registry: RendererRegistry): BlockMenuItem[] {
  return contentTypeIds
    .filter((type) => hasEditor(type, registry) || isUploadType(type))
    .map((type) => ({ id: type, label: blockTypeLabel(type, registry), hint: registry[type].hint ?? '' }));
}

export const blockMenuItems: readonly BlockMenuItem[] = blockMenuItemsOf(renderers);

/** Any block, by its type's renderer. */
export function BlockView({ block }: { block: Block }) {
  const Renderer = renderers[block.type]?.component as ComponentType<{ block: Block }> | undefined;
  // A type this build does not know (a newer server): its plain fields would mean nothing; say so instead.
  if (!Renderer) return <p className="muted-note">This content needs a newer version of Listo.</p>;
  return <Renderer block={block} />;
}

/** The editor of `type`, for a new block (`block` null) or for `block`, which is of that type; nothing for a type without one. */
export function BlockEditorView({ type, ...props }: { type: ContentTypeId } & BlockEditorProps<ContentTypeId>) {
  const Editor = renderers[type]?.editor as ComponentType<BlockEditorProps<ContentTypeId>> | undefined;
  return Editor ? <Editor {...props} /> : null;
}

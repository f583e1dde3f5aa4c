/// <reference types="vite/client" />
/**
 * The registry of the web renderers: every `.tsx` file directly in this folder (but this one and tests) is the
 * renderer module of the type it is named after, found with Vite's `import.meta.glob` so that no list here needs a
 * line per type. Each module declares its renderer in `BlockRenderers` (see `renderer.ts`), and the check below makes
 * a type without its renderer a compile error; `collectRenderers` checks the same of the modules when they load.
 * Pieces that are not renderers go in `.ts` files or in `parts/`.
 */
import type { ComponentType } from 'react';
import { contentTypeIds, type Block, type BlockOf, type ContentTypeId } from '../../core/content-types/index.js';
import type { BlockRenderer, BlockRenderers } from './renderer.js';

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

/** Each type's renderer component, by type. */
export type RendererMap = { readonly [K in ContentTypeId]: ComponentType<{ block: BlockOf<K> }> };

/** A module as `import.meta.glob` loads it: unchecked until `collectRenderers` has looked at it. */
export type RendererModule = { readonly renderer?: unknown };

const isContentTypeId = (value: unknown): value is ContentTypeId => (contentTypeIds as readonly unknown[]).includes(value);

function isBlockRenderer(value: unknown): value is BlockRenderer<ContentTypeId> {
  if (typeof value !== 'object' || value === null || !('type' in value) || !('component' in value)) return false;
  const { type, component } = value;
  // Function components, and the objects `memo`, `forwardRef` and `lazy` return.
  return isContentTypeId(type) && (typeof component === 'function' || (typeof component === 'object' && component !== null));
}

/**
 * The renderer map of the modules `import.meta.glob` found (keys are paths like `./quote.tsx`). Throws unless each
 * module exports the `renderer` of the type it is named after and every type of the core registry has exactly one.
 */
export function collectRenderers(modules: Readonly<Record<string, RendererModule>>): RendererMap {
  const found = new Map<ContentTypeId, ComponentType<{ block: Block }>>();
  for (const [path, module] of Object.entries(modules)) {
    const named = /^\.\/([^/]+)\.tsx$/.exec(path)?.[1];
    const { renderer } = module;
    if (!isBlockRenderer(renderer)) throw new Error(`${path} is not a renderer module: it must export \`renderer = blockRenderer(<type>, <Component>)\` (pieces that are not renderers go in .ts files or in parts/)`);
    if (renderer.type !== named) throw new Error(`${path} renders '${renderer.type}': a renderer module is named after its type (${renderer.type}.tsx)`);
    found.set(renderer.type, renderer.component);
  }
  const missing = contentTypeIds.filter((type) => !found.has(type));
  if (missing.length > 0) throw new Error(`no renderer module for the content type${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  // Complete, each component checked against its own type by `blockRenderer` and `EveryTypeHasItsRenderer`.
  return Object.fromEntries(found) as RendererMap;
}

/** The renderer modules: `<type>.tsx` beside this file. */
export const rendererModules: Readonly<Record<string, RendererModule>> = import.meta.glob<RendererModule>(['./*.tsx', '!./index.tsx', '!./*.test.tsx'], { eager: true });

export const blockRenderers: RendererMap = collectRenderers(rendererModules);

/** Any block, by its type's renderer. */
export function BlockView({ block }: { block: Block }) {
  const Renderer = blockRenderers[block.type] as ComponentType<{ block: Block }> | undefined;
  // A type this build does not know (a newer server): its plain fields would mean nothing; say so instead.
  if (!Renderer) return <p className="muted-note">This content needs a newer version of Listo.</p>;
  return <Renderer block={block} />;
}

import { describe, expect, expectTypeOf, it } from 'vitest';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { contentTypeIds, type Block, type ContentTypeId } from '../../core/content-types/index.js';
import type { Upload } from '../../core/schemas/uploads.js';
import { blockFromUpload, blockInputOf } from './block-input.js';
import { BlockView, blockRenderers, collectRenderers, rendererModules, type Expect, type NoProblems, type RendererModule, type RendererProblems } from './index.js';
import type { BlockRenderer, BlockRenderers } from './renderer.js';
import { acceptFor, blockMenuItems, blockTypeLabel, filterBlockMenu, menuKeyAction, slashQuery } from './menu.js';
import { allowedLinkUrl } from './safe-link.js';
import { taskThumbnail } from './thumbnail.js';

const id = '01900000-0000-7000-8000-000000000001';
const gif: Block = { type: 'gif', uploadId: id, mimeType: 'image/gif', size: 10, name: 'dance.gif', width: 4, height: 3, frames: 2, url: `/api/v1/uploads/${id}/content`, thumbnailUrl: `/api/v1/uploads/${id}/thumbnail`, posterUrl: `/api/v1/uploads/${id}/poster` };
const image: Block = { type: 'image', uploadId: id, mimeType: 'image/png', size: 10, name: 'cat.png', url: '/c', thumbnailUrl: '/t' };
const giphy: Block = { type: 'gif', provider: 'giphy', providerId: 'x1', url: 'https://i.giphy.com/x1.gif', width: 10, height: 10, posterUrl: 'https://i.giphy.com/x1_s.gif', title: 'Cat' };
const file: Block = { type: 'file', uploadId: id, mimeType: 'application/pdf', size: 2048, name: 'a.pdf', url: '/f' };

describe('the renderer registry', () => {
  it('finds one renderer module per type of the core registry, named after it', () => {
    expect(Object.keys(blockRenderers).sort()).toEqual([...contentTypeIds].sort());
    expect(Object.keys(rendererModules).sort()).toEqual(contentTypeIds.map((type) => `./${type}.tsx`).sort());
    for (const [path, module] of Object.entries(rendererModules)) {
      const { renderer } = module as { renderer: BlockRenderer<ContentTypeId> };
      expect(path).toBe(`./${renderer.type}.tsx`);
      expect(blockRenderers[renderer.type]).toBe(renderer.component);
    }
  });

  it('refuses modules that are not one renderer per type, named after it', () => {
    const Stub: ComponentType<{ block: Block }> = () => null;
    const complete = Object.fromEntries(contentTypeIds.map((type) => [`./${type}.tsx`, { renderer: { type, component: Stub } }]));
    expect(Object.keys(collectRenderers(complete))).toEqual([...contentTypeIds]);
    const { ['./quote.tsx']: _quote, ...withoutQuote } = complete;
    expect(() => collectRenderers(withoutQuote)).toThrow(/no renderer module for the content type quote$/);
    expect(() => collectRenderers({ ...complete, './helper.tsx': { Helper: Stub } as RendererModule })).toThrow(/\.\/helper\.tsx is not a renderer module/);
    expect(() => collectRenderers({ ...complete, './helper.tsx': { renderer: { type: 'video', component: Stub } } })).toThrow(/\.\/helper\.tsx is not a renderer module/);
    expect(() => collectRenderers({ ...complete, './quote2.tsx': { renderer: { type: 'quote', component: Stub } } })).toThrow(/\.\/quote2\.tsx renders 'quote'/);
  });

  it('makes a missing or misnamed renderer a compile error (checked by `tsc`, see `npm run typecheck`)', () => {
    type Declared = BlockRenderers;
    expectTypeOf<RendererProblems<Declared>>().toBeNever();
    // @ts-expect-error — a type without its renderer
    type _Missing = Expect<NoProblems<RendererProblems<Omit<Declared, 'quote'>>>>;
    // @ts-expect-error — a renderer declared under another type's name
    type _Misnamed = Expect<NoProblems<RendererProblems<Omit<Declared, 'quote'> & { quote: Declared['link'] }>>>;
    // @ts-expect-error — a name that is no type
    type _Unknown = Expect<NoProblems<RendererProblems<Declared & { video: Declared['link'] }>>>;
    expectTypeOf<RendererProblems<Omit<Declared, 'quote'>>>().toEqualTypeOf<"no renderer for the content type 'quote'">();
  });
});

describe('the code renderer', () => {
  it('shows the code as text in a monospaced <pre><code>, never as HTML, its language as a caption', () => {
    const html = renderToStaticMarkup(createElement(BlockView, { block: { type: 'code', code: '<img src=x onerror=alert(1)>\n  & done', language: 'HTML' } }));
    expect(html).toBe('<div class="markdown block-text block-code"><p class="muted-note block-code-language">HTML</p><pre tabindex="0" aria-label="HTML code"><code>&lt;img src=x onerror=alert(1)&gt;\n  &amp; done</code></pre></div>');
    expect(renderToStaticMarkup(createElement(BlockView, { block: { type: 'code', code: 'ls' } }))).toBe('<div class="markdown block-text block-code"><pre tabindex="0" aria-label="Code"><code>ls</code></pre></div>');
  });
});

describe('the add-a-block menu', () => {
  it('lists the registry’s types in order, with readable names', () => {
    expect(blockMenuItems.map((item) => item.label)).toEqual(['Text', 'Link', 'Image', 'GIF', 'File']);
    expect(blockTypeLabel('gif')).toBe('GIF');
    expect(blockTypeLabel('image')).toBe('Image');
  });

  it('filters by what follows the slash: names starting with it first, then names containing it', () => {
    const labels = (query: string) => filterBlockMenu(blockMenuItems, query).map((item) => item.label);
    expect(labels('')).toEqual(['Text', 'Link', 'Image', 'GIF', 'File']);
    expect(labels('gi')).toEqual(['GIF']);
    expect(labels('I')).toEqual(['Image', 'Link', 'GIF', 'File']);
    expect(labels(' F ')).toEqual(['File', 'GIF']);
    expect(labels('video')).toEqual([]);
  });

  it('recognises a slash command only in a box holding nothing else', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/gi')).toBe('gi');
    expect(slashQuery('hello /gi')).toBeNull();
    expect(slashQuery('/usr/bin')).toBeNull();
    expect(slashQuery('/a b')).toBeNull();
    expect(slashQuery('')).toBeNull();
  });

  it('is driven by the keyboard: arrows wrap, Home/End, Enter picks, Escape closes', () => {
    expect(menuKeyAction('ArrowDown', 0, 3)).toEqual({ kind: 'move', index: 1 });
    expect(menuKeyAction('ArrowDown', 2, 3)).toEqual({ kind: 'move', index: 0 });
    expect(menuKeyAction('ArrowUp', 0, 3)).toEqual({ kind: 'move', index: 2 });
    expect(menuKeyAction('End', 0, 3)).toEqual({ kind: 'move', index: 2 });
    expect(menuKeyAction('Home', 2, 3)).toEqual({ kind: 'move', index: 0 });
    expect(menuKeyAction('Enter', 7, 3)).toEqual({ kind: 'pick', index: 2 });
    expect(menuKeyAction('Escape', 1, 3)).toEqual({ kind: 'close' });
    expect(menuKeyAction('Escape', 0, 0)).toEqual({ kind: 'close' });
    expect(menuKeyAction('Enter', 0, 0)).toBeNull();
    expect(menuKeyAction('a', 0, 3)).toBeNull();
  });

  it('offers the file chooser the types an upload type takes', () => {
    expect(acceptFor(['image/png', 'image/jpeg'])).toBe('image/png,image/jpeg');
    expect(acceptFor(['*'])).toBeUndefined();
  });
});

describe('the list thumbnail', () => {
  const text: Block = { type: 'text', text: 'hi' };
  it('is the first image’s or GIF’s still, never an animation', () => {
    expect(taskThumbnail([text, gif, image])).toEqual({ src: `/api/v1/uploads/${id}/thumbnail`, alt: 'dance.gif' });
    expect(taskThumbnail([file, image, gif])).toEqual({ src: '/t', alt: 'cat.png' });
    expect(taskThumbnail([giphy])).toEqual({ src: 'https://i.giphy.com/x1_s.gif', alt: 'Cat' });
  });

  it('skips what has no still, and is absent without images', () => {
    const { posterUrl: _poster, ...withoutPoster } = giphy as Extract<Block, { provider: string }>;
    expect(taskThumbnail([withoutPoster, image])).toEqual({ src: '/t', alt: 'cat.png' });
    expect(taskThumbnail([{ ...image, mimeType: 'image/svg+xml' } as Block])).toBeNull();
    expect(taskThumbnail([text, file])).toBeNull();
    expect(taskThumbnail([])).toBeNull();
  });
});

describe('blocks between the API’s shapes', () => {
  it('sends upload-backed blocks by id, a GIF from search by its provider fields, others as they are', () => {
    expect(blockInputOf(gif)).toEqual({ type: 'gif', uploadId: id });
    expect(blockInputOf(file)).toEqual({ type: 'file', uploadId: id });
    expect(blockInputOf(giphy)).toEqual({ type: 'gif', provider: 'giphy', providerId: 'x1', url: 'https://i.giphy.com/x1.gif', width: 10, height: 10, posterUrl: 'https://i.giphy.com/x1_s.gif', title: 'Cat' });
    expect(blockInputOf({ type: 'link', url: 'https://x.org', title: 'X' })).toEqual({ type: 'link', url: 'https://x.org', title: 'X' });
  });

  it('turns an upload into the block the API will present, with the URLs of its type', () => {
    const upload: Upload = { id, workspaceId: id, kind: 'gif', mimeType: 'image/gif', size: 10, name: 'dance.gif', width: 4, height: 3, frames: 2, url: '', createdAt: '' };
    expect(blockFromUpload(upload)).toEqual(gif);
    const svg: Upload = { ...upload, kind: 'file', mimeType: 'image/svg+xml', name: 'x.svg', width: undefined, height: undefined, frames: undefined };
    expect(blockFromUpload(svg)).toEqual({ type: 'file', uploadId: id, mimeType: 'image/svg+xml', size: 10, name: 'x.svg', url: `/api/v1/uploads/${id}/content` });
  });
});

describe('links in blocks', () => {
  it('keeps only absolute URLs with an allowed protocol and no credentials', () => {
    const web = ['http', 'https'];
    expect(allowedLinkUrl('https://example.com/a?b', web)).toBe('https://example.com/a?b');
    expect(allowedLinkUrl(' http://x.org ', web)).toBe('http://x.org');
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '//evil.org', 'https://u:p@x.org', 'mailto:a@b.c']) {
      expect(allowedLinkUrl(url, web), url).toBeNull();
    }
    expect(allowedLinkUrl('mailto:a@b.c', ['http', 'https', 'mailto'])).toBe('mailto:a@b.c');
  });
});

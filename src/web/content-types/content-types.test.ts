import { describe, expect, expectTypeOf, it } from 'vitest';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { contentTypeIds, type Block, type ContentTypeId } from '../../core/content-types/index.js';
import type { Upload } from '../../core/schemas/uploads.js';
import { blockFromUpload, blockInputOf } from './block-input.js';
import { code } from '../../core/content-types/code.js';
import { link } from '../../core/content-types/link.js';
import { quote } from '../../core/content-types/quote.js';
import { blockCandidate, checkBlock, formKeyAction, type BlockFieldSpec } from './block-form.js';
import {
  BlockEditorView,
  blockMenuItems,
  blockMenuItemsOf,
  blockTypeLabel,
  BlockView,
  collectRenderers,
  hasEditor,
  rendererModules,
  renderers,
  type Expect,
  type NoProblems,
  type RendererModule,
  type RendererProblems,
  type RendererRegistry,
} from './index.js';
import { blockRenderer, type BlockEditorProps, type BlockRenderer, type BlockRenderers } from './renderer.js';
import { acceptFor, filterBlockMenu, menuKeyAction, slashQuery } from './menu.js';
import { allowedLinkUrl } from './safe-link.js';
import { taskThumbnail } from './thumbnail.js';

const id = '01900000-0000-7000-8000-000000000001';
const gif: Block = {
  type: 'gif',
  uploadId: id,
  mimeType: 'image/gif',
  size: 10,
  name: 'dance.gif',
  width: 4,
  height: 3,
  frames: 2,
  url: `/api/v1/uploads/${id}/content`,
  thumbnailUrl: `/api/v1/uploads/${id}/thumbnail`,
  posterUrl: `/api/v1/uploads/${id}/poster`,
};
const image: Block = { type: 'image', uploadId: id, mimeType: 'image/png', size: 10, name: 'cat.png', url: '/c', thumbnailUrl: '/t' };
const giphy: Block = {
  type: 'gif',
  provider: 'giphy',
  providerId: 'x1',
  url: 'https://i.giphy.com/x1.gif',
  width: 10,
  height: 10,
  posterUrl: 'https://i.giphy.com/x1_s.gif',
  title: 'Cat',
};
const file: Block = { type: 'file', uploadId: id, mimeType: 'application/pdf', size: 2048, name: 'a.pdf', url: '/f' };

describe('the renderer registry', () => {
  it('finds one renderer module per type of the core registry, named after it', () => {
    expect(Object.keys(renderers).sort()).toEqual([...contentTypeIds].sort());
    expect(Object.keys(rendererModules).sort()).toEqual(contentTypeIds.map((type) => `./${type}.tsx`).sort());
    for (const [path, module] of Object.entries(rendererModules)) {
      const { renderer } = module as { renderer: BlockRenderer<ContentTypeId> };
      expect(path).toBe(`./${renderer.type}.tsx`);
      expect(renderers[renderer.type]).toBe(renderer);
    }
  });

  it('refuses modules that are not one renderer per type, named after it', () => {
    const Stub: ComponentType<{ block: Block }> = () => null;
    const complete = Object.fromEntries(contentTypeIds.map((type) => [`./${type}.tsx`, { renderer: { type, component: Stub } }]));
    expect(Object.keys(collectRenderers(complete))).toEqual([...contentTypeIds]);
    const { ['./quote.tsx']: _quote, ...withoutQuote } = complete;
    expect(() => collectRenderers(withoutQuote)).toThrow(/no renderer module for the content type quote$/);
    expect(() => collectRenderers({ ...complete, './helper.tsx': { Helper: Stub } as RendererModule })).toThrow(/\.\/helper\.tsx is not a renderer module/);
    expect(() => collectRenderers({ ...complete, './helper.tsx': { renderer: { type: 'video', component: Stub } } })).toThrow(
      /\.\/helper\.tsx is not a renderer module/,
    );
    expect(() => collectRenderers({ ...complete, './quote2.tsx': { renderer: { type: 'quote', component: Stub } } })).toThrow(
      /\.\/quote2\.tsx renders 'quote'/,
    );
    expect(() => collectRenderers({ ...complete, './quote.tsx': { renderer: { type: 'quote', component: Stub, label: 7 } } })).toThrow(
      /\.\/quote\.tsx is not a renderer module/,
    );
    expect(() => collectRenderers({ ...complete, './quote.tsx': { renderer: { type: 'quote', component: Stub, editor: 'QuoteEditor' } } })).toThrow(
      /\.\/quote\.tsx is not a renderer module/,
    );
    expect(() => collectRenderers({ ...complete, './image.tsx': { renderer: { type: 'image', component: Stub, editor: Stub } } })).toThrow(
      /\.\/image\.tsx gives 'image' an editor, but its blocks are added by uploading a file/,
    );
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

  it('types an editor by its block type, and gives upload-backed types none (checked by `tsc`)', () => {
    const QuoteEditor = (_props: BlockEditorProps<'quote'>) => null;
    const Stub = () => null;
    expect(blockRenderer('quote', Stub, { editor: QuoteEditor }).editor).toBe(QuoteEditor);
    // @ts-expect-error — an editor of quotes for code blocks
    blockRenderer('code', Stub, { editor: QuoteEditor });
    // @ts-expect-error — an upload-backed type is added by uploading a file
    blockRenderer('image', Stub, { editor: Stub });
  });
});

describe('the editors', () => {
  const editable = ['text', 'link', 'quote', 'code'] as const;
  it('are the modules’ own: every type but the upload-backed ones has one, and offers to edit its blocks', () => {
    expect(contentTypeIds.filter((type) => hasEditor(type))).toEqual([...editable]);
    for (const type of editable) expect(renderers[type].editor, type).toBeTypeOf('function');
  });

  const props = { onSave: () => undefined, onCancel: () => undefined, blockMenu: { items: blockMenuItems, onPick: () => undefined } };
  const render = (type: ContentTypeId, block: Block | null) => renderToStaticMarkup(createElement(BlockEditorView, { type, block, ...props }));

  it('write code in a labelled monospaced box with an optional language, to add or to save', () => {
    const fresh = render('code', null);
    expect(fresh).toMatch(/<form class="block-form" aria-label="Code block" noValidate="">/);
    expect(fresh).toMatch(
      /<label for="([^"]+)-code">Code<\/label><textarea id="\1-code" name="code" maxLength="20000" class="details-notes block-form-code" rows="6" spellCheck="false" autoCapitalize="off" autoCorrect="off" wrap="off"><\/textarea>/,
    );
    expect(fresh).toMatch(/<label for="([^"]+)-language">Language \(optional\)<\/label><input id="\1-language"[^>]* maxLength="40"[^>]* type="text"/);
    expect(fresh).toContain('>Add code</button>');
    expect(fresh).toContain('Ctrl+Enter to save, Escape to cancel.');
    const existing = render('code', { type: 'code', code: '  if (a) {\n    b();\n  }', language: 'JavaScript' });
    expect(existing).toContain('>  if (a) {\n    b();\n  }</textarea>');
    expect(existing).toContain('value="JavaScript"');
    expect(existing).toContain('>Save code</button>');
  });

  it('write a quote and its optional source; a link’s address and optional title', () => {
    const quoteForm = render('quote', { type: 'quote', text: 'Less is more.', source: 'Mies' });
    expect(quoteForm).toMatch(/>Quote<\/label><textarea[^>]*>Less is more.<\/textarea>/);
    expect(quoteForm).toMatch(/>Source \(optional\)<\/label><input[^>]*value="Mies"/);
    expect(quoteForm).toContain('>Save quote</button>');
    const linkForm = render('link', null);
    expect(linkForm).toMatch(/>Link address<\/label><input[^>]*type="url"/);
    expect(linkForm).toContain('>Title (optional)</label>');
    expect(linkForm).toContain('>Add link</button>');
    expect(render('link', { type: 'link', url: 'https://x.org', title: 'X' })).toMatch(/value="https:\/\/x.org"[^>]*\/>.*>Save link<\/button>/);
    expect(render('text', { type: 'text', text: 'Hello' })).toMatch(/<textarea[^>]*>Hello<\/textarea>/);
    expect(render('image', null)).toBe('');
  });

  const codeFields: readonly BlockFieldSpec<'code' | 'language'>[] = [
    { name: 'code', label: 'Code', kind: 'code' },
    { name: 'language', label: 'Language', optional: true },
  ];
  const checkCode = (values: { code: string; language: string }) => checkBlock(code.payloadSchema, blockCandidate('code', codeFields, values), codeFields);

  it('check with core’s payload schema: code exactly as typed, a blank optional field left out', () => {
    expect(checkCode({ code: '  indented\n\tline\n', language: ' TypeScript ' })).toEqual({
      ok: true,
      block: { type: 'code', code: '  indented\n\tline\n', language: 'TypeScript' },
    });
    expect(checkCode({ code: 'ls', language: '  ' })).toEqual({ ok: true, block: { type: 'code', code: 'ls' } });
    const quoteFields: readonly BlockFieldSpec<'text' | 'source'>[] = [
      { name: 'text', label: 'Quote', kind: 'lines' },
      { name: 'source', label: 'Source', optional: true },
    ];
    expect(checkBlock(quote.payloadSchema, blockCandidate('quote', quoteFields, { text: ' Less is more. ', source: '' }), quoteFields)).toEqual({
      ok: true,
      block: { type: 'quote', text: 'Less is more.' },
    });
    const linkFields: readonly BlockFieldSpec<'url' | 'title'>[] = [
      { name: 'url', label: 'Link address', kind: 'url' },
      { name: 'title', label: 'Title', optional: true },
    ];
    expect(checkBlock(link.payloadSchema, blockCandidate('link', linkFields, { url: ' https://x.org ', title: '' }), linkFields)).toEqual({
      ok: true,
      block: { type: 'link', url: 'https://x.org' },
    });
  });

  it('show each refusal under its field, in the schema’s words', () => {
    expect(checkCode({ code: ' \n ', language: '' })).toEqual({ ok: false, errors: { code: 'Code must not be empty.' } });
    expect(checkCode({ code: 'x', language: 'js\u202e' })).toEqual({
      ok: false,
      errors: { language: 'Language must be a language name (letters, digits, spaces and + # . _ - /).' },
    });
    expect(checkCode({ code: '', language: 'x'.repeat(41) })).toEqual({
      ok: false,
      errors: { code: 'Code must not be empty.', language: 'Language must be at most 40 characters.' },
    });
    // A refusal about no field of the form is shown for the form.
    const onlyLanguage: readonly BlockFieldSpec<'language'>[] = [{ name: 'language', label: 'Language', optional: true }];
    expect(checkBlock(code.payloadSchema, blockCandidate('code', onlyLanguage, { language: 'sh' }), onlyLanguage)).toMatchObject({
      ok: false,
      errors: { '': expect.stringMatching(/^This block: /) },
    });
  });

  it('take Ctrl/⌘+Enter to save and Escape to cancel; a plain Enter is the field’s (a new line in code)', () => {
    const key = (key: string, mods: { ctrlKey?: boolean; metaKey?: boolean; isComposing?: boolean } = {}) =>
      formKeyAction({ key, ctrlKey: false, metaKey: false, ...mods });
    expect(key('Enter', { ctrlKey: true })).toBe('save');
    expect(key('Enter', { metaKey: true })).toBe('save');
    expect(key('Escape')).toBe('cancel');
    expect(key('Enter')).toBeNull();
    expect(key('a', { ctrlKey: true })).toBeNull();
    expect(key('Enter', { ctrlKey: true, isComposing: true })).toBeNull();
  });
});

describe('the code renderer', () => {
  it('shows the code as text in a monospaced <pre><code>, never as HTML, its language as a caption', () => {
    const html = renderToStaticMarkup(createElement(BlockView, { block: { type: 'code', code: '<img src=x onerror=alert(1)>\n  & done', language: 'HTML' } }));
    expect(html).toBe(
      '<div class="markdown block-text block-code"><p class="muted-note block-code-language">HTML</p><pre tabindex="0" aria-label="HTML code"><code>&lt;img src=x onerror=alert(1)&gt;\n  &amp; done</code></pre></div>',
    );
    expect(renderToStaticMarkup(createElement(BlockView, { block: { type: 'code', code: 'ls' } }))).toBe(
      '<div class="markdown block-text block-code"><pre tabindex="0" aria-label="Code"><code>ls</code></pre></div>',
    );
  });
});

describe('the add-a-block menu', () => {
  it('lists the registry’s types in order, with readable names', () => {
    expect(blockMenuItems.map((item) => item.label)).toEqual(['Text', 'Link', 'Image', 'GIF', 'File', 'Quote', 'Code']);
    expect(blockMenuItems.every((item) => item.hint !== '')).toBe(true);
    expect(blockTypeLabel('gif')).toBe('GIF');
    expect(blockTypeLabel('image')).toBe('Image');
  });

  it('offers the types whose module has an editor, and the upload-backed ones, with the modules’ names and hints', () => {
    const Stub = () => null;
    const registry = Object.fromEntries(contentTypeIds.map((type) => [type, { type, component: Stub }])) as unknown as RendererRegistry;
    expect(blockMenuItemsOf(registry)).toEqual([
      { id: 'image', label: 'Image', hint: '' },
      { id: 'gif', label: 'Gif', hint: '' },
      { id: 'file', label: 'File', hint: '' },
    ]);
    const withCode = {
      ...registry,
      code: { type: 'code', component: Stub, label: 'Snippet', hint: 'Monospaced', editor: Stub },
    } as unknown as RendererRegistry;
    expect(blockMenuItemsOf(withCode).map((item) => item.id)).toEqual(['image', 'gif', 'file', 'code']);
    expect(blockMenuItemsOf(withCode).at(-1)).toEqual({ id: 'code', label: 'Snippet', hint: 'Monospaced' });
  });

  it('filters by what follows the slash: names starting with it first, then names containing it', () => {
    const labels = (query: string) => filterBlockMenu(blockMenuItems, query).map((item) => item.label);
    expect(labels('')).toEqual(['Text', 'Link', 'Image', 'GIF', 'File', 'Quote', 'Code']);
    expect(labels('co')).toEqual(['Code']);
    expect(labels('q')).toEqual(['Quote']);
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
    expect(blockInputOf(giphy)).toEqual({
      type: 'gif',
      provider: 'giphy',
      providerId: 'x1',
      url: 'https://i.giphy.com/x1.gif',
      width: 10,
      height: 10,
      posterUrl: 'https://i.giphy.com/x1_s.gif',
      title: 'Cat',
    });
    expect(blockInputOf({ type: 'link', url: 'https://x.org', title: 'X' })).toEqual({ type: 'link', url: 'https://x.org', title: 'X' });
  });

  it('turns an upload into the block the API will present, with the URLs of its type', () => {
    const upload: Upload = {
      id,
      workspaceId: id,
      kind: 'gif',
      mimeType: 'image/gif',
      size: 10,
      name: 'dance.gif',
      width: 4,
      height: 3,
      frames: 2,
      url: '',
      createdAt: '',
    };
    expect(blockFromUpload(upload)).toEqual(gif);
    const svg: Upload = { ...upload, kind: 'file', mimeType: 'image/svg+xml', name: 'x.svg', width: undefined, height: undefined, frames: undefined };
    expect(blockFromUpload(svg)).toEqual({
      type: 'file',
      uploadId: id,
      mimeType: 'image/svg+xml',
      size: 10,
      name: 'x.svg',
      url: `/api/v1/uploads/${id}/content`,
    });
  });
});

describe('links in blocks', () => {
  it('keeps only absolute URLs with an allowed protocol and no credentials', () => {
    const web = ['http', 'https'];
    expect(allowedLinkUrl('https://example.com/a?b', web)).toBe('https://example.com/a?b');
    expect(allowedLinkUrl(' http://x.org ', web)).toBe('http://x.org');
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      '//evil.org',
      'https://u:p@x.org',
      'mailto:a@b.c',
    ]) {
      expect(allowedLinkUrl(url, web), url).toBeNull();
    }
    expect(allowedLinkUrl('mailto:a@b.c', ['http', 'https', 'mailto'])).toBe('mailto:a@b.c');
  });
});

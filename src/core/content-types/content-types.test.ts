import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockInputSchema,
  blocksInputSchema,
  contentTypeIds,
  contentTypes,
  presentBlock,
  summarizeBlock,
  summarizeBlocks,
  uploadContentTypeIds,
  type Block,
} from './index.js';
import { markdownToPlainText } from './text.js';

const id = '01900000-0000-7000-8000-000000000001';

describe('content type registry', () => {
  it('lists every type explicitly, each under its own id', () => {
    expect(contentTypeIds).toEqual(['text', 'link', 'image', 'gif', 'file', 'quote', 'code']);
    for (const key of contentTypeIds) expect(contentTypes[key].id).toBe(key);
    expect(uploadContentTypeIds).toEqual(['image', 'gif', 'file']);
  });

  it('parses each type, and names the field of an unknown type', () => {
    expect(blockInputSchema.parse({ type: 'text', text: '*hi*' })).toEqual({ type: 'text', text: '*hi*' });
    expect(blockInputSchema.parse({ type: 'link', url: 'https://example.com', title: ' Example ' })).toEqual({
      type: 'link',
      url: 'https://example.com',
      title: 'Example',
    });
    expect(blockInputSchema.parse({ type: 'image', uploadId: id })).toEqual({ type: 'image', uploadId: id });
    expect(blockInputSchema.parse({ type: 'gif', uploadId: id })).toEqual({ type: 'gif', uploadId: id });
    expect(blockInputSchema.parse({ type: 'file', uploadId: id })).toEqual({ type: 'file', uploadId: id });
    const unknown = blocksInputSchema.safeParse([{ type: 'video' }]);
    expect(unknown.error?.issues).toEqual([
      expect.objectContaining({ path: [0, 'type'], message: 'must be a known block type: text, link, image, gif, file, quote, code' }),
    ]);
  });

  it('quote: trimmed text with an optional source, summarised in quotation marks', () => {
    expect(blockInputSchema.parse({ type: 'quote', text: ' To be. ', source: 'Hamlet' })).toEqual({ type: 'quote', text: 'To be.', source: 'Hamlet' });
    expect(blockInputSchema.safeParse({ type: 'quote', text: '   ' }).error?.issues[0]?.path).toEqual(['text']);
    expect(blockInputSchema.safeParse({ type: 'quote', text: 'x', author: 'y' }).success).toBe(false);
    expect(summarizeBlock({ type: 'quote', text: 'To be.', source: 'Hamlet' })).toBe('“To be.” — Hamlet');
    expect(summarizeBlock({ type: 'quote', text: 'To be.' })).toBe('“To be.”');
  });

  it('code: kept exactly as typed, with an optional language label, summarised as the code itself', () => {
    const snippet = '  if (a < b) {\n    <b>x</b>;\n  }\n';
    expect(blockInputSchema.parse({ type: 'code', code: snippet, language: ' C++ ' })).toEqual({ type: 'code', code: snippet, language: 'C++' });
    expect(blockInputSchema.parse({ type: 'code', code: 'ls -la' })).toEqual({ type: 'code', code: 'ls -la' });
    expect(blockInputSchema.safeParse({ type: 'code', code: ' \n\t ' }).error?.issues[0]?.path).toEqual(['code']);
    expect(blockInputSchema.safeParse({ type: 'code', code: 'x'.repeat(20_001) }).error?.issues[0]?.path).toEqual(['code']);
    expect(blockInputSchema.safeParse({ type: 'code', code: 'x'.repeat(20_000) }).success).toBe(true);
    for (const language of ['', '   ', 'x'.repeat(41), 'js\u202e', '<script>', 'a\nb']) {
      expect(blockInputSchema.safeParse({ type: 'code', code: 'x', language }).error?.issues[0]?.path, JSON.stringify(language)).toEqual(['language']);
    }
    for (const language of ['TypeScript', 'C#', 'objective-c', 'shell/bash', 'Visual Basic .NET'])
      expect(blockInputSchema.safeParse({ type: 'code', code: 'x', language }).success, language).toBe(true);
    expect(blockInputSchema.safeParse({ type: 'code', code: 'x', html: '<b>' }).success).toBe(false);
    expect(summarizeBlock({ type: 'code', code: snippet, language: 'C++' })).toBe('if (a < b) {\n    <b>x</b>;\n  }');
  });

  it("labels beside content (a link's title, a quote's source, a GIF's title) refuse controls and text-direction characters", () => {
    const gif = { type: 'gif', provider: 'giphy', providerId: 'abc', url: 'https://media.giphy.com/media/abc/giphy.gif', width: 10, height: 10 };
    for (const label of ['paypal.com\u202Emoc.live', 'a\u2066b', 'line\nbreak', 'tab\there', '\u200Fx']) {
      expect(blockInputSchema.safeParse({ type: 'link', url: 'https://example.com', title: label }).error?.issues[0]?.path, JSON.stringify(label)).toEqual([
        'title',
      ]);
      expect(blockInputSchema.safeParse({ type: 'quote', text: 'To be', source: label }).error?.issues[0]?.path, JSON.stringify(label)).toEqual(['source']);
      expect(blockInputSchema.safeParse({ ...gif, title: label }).success, JSON.stringify(label)).toBe(false);
    }
    expect(blockInputSchema.parse({ type: 'link', url: 'https://example.com', title: ' Ça marche — 東京 ' })).toMatchObject({ title: 'Ça marche — 東京' });
    expect(blockInputSchema.safeParse({ type: 'quote', text: 'To be', source: 'Hamlet, שייקספיר' }).success).toBe(true);
  });

  it('only http(s) links without credentials', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'ftp://x.org', 'https://u:p@x.org', 'not a url']) {
      expect(blockInputSchema.safeParse({ type: 'link', url }).success, url).toBe(false);
    }
    expect(blockInputSchema.safeParse({ type: 'link', url: 'http://example.com/a?b#c' }).success).toBe(true);
  });

  it('a GIF is either an upload or a provider reference on the provider’s media hosts, never both', () => {
    const ref = { type: 'gif', provider: 'giphy', providerId: 'abc', url: 'https://i.giphy.com/abc.gif', width: 10, height: 20 };
    expect(blockInputSchema.parse(ref)).toEqual(ref);
    expect(blockInputSchema.safeParse({ ...ref, uploadId: id }).success).toBe(false);
    expect(blockInputSchema.safeParse({ ...ref, url: 'http://i.giphy.com/abc.gif' }).success).toBe(false);
    expect(blockInputSchema.safeParse({ ...ref, url: 'https://i.giphy.com.evil.com/abc.gif' }).success).toBe(false);
    expect(blockInputSchema.safeParse({ ...ref, width: undefined }).success).toBe(false);
  });

  it('presents upload-backed blocks with the URLs their type serves', () => {
    const stored = { type: 'gif', uploadId: id, mimeType: 'image/gif', size: 10, name: 'a.gif', width: 1, height: 1, frames: 2 } as const;
    expect(presentBlock(stored)).toEqual({
      ...stored,
      url: `/api/v1/uploads/${id}/content`,
      thumbnailUrl: `/api/v1/uploads/${id}/thumbnail`,
      posterUrl: `/api/v1/uploads/${id}/poster`,
    });
    expect(presentBlock({ type: 'file', uploadId: id, mimeType: 'application/pdf', size: 2048, name: 'a.pdf' })).toEqual({
      type: 'file',
      uploadId: id,
      mimeType: 'application/pdf',
      size: 2048,
      name: 'a.pdf',
      url: `/api/v1/uploads/${id}/content`,
    });
    expect(presentBlock({ type: 'text', text: 'x' })).toEqual({ type: 'text', text: 'x' });
  });

  it('summarises every type as plain text for search, notifications and exports', () => {
    const blocks: Block[] = [
      { type: 'text', text: '# Shopping\n- **milk** and _eggs_\n- [bread](https://x.org) `now`\n<script>x</script>' },
      { type: 'link', url: 'https://example.com', title: 'Example' },
      { type: 'link', url: 'https://example.com' },
      { type: 'image', uploadId: id, mimeType: 'image/png', size: 1, name: 'cat.png', width: 1, height: 1, url: '', thumbnailUrl: '' },
      { type: 'gif', provider: 'giphy', providerId: 'x', url: 'u', width: 1, height: 1, title: 'Dancing cat' },
      { type: 'file', uploadId: id, mimeType: 'application/pdf', size: 2_500_000, name: 'report.pdf', url: '' },
    ];
    expect(blocks.map(summarizeBlock)).toEqual([
      'Shopping\nmilk and eggs\nbread now\nx',
      'Example (https://example.com)',
      'https://example.com',
      'Image: cat.png',
      'GIF: Dancing cat',
      'File: report.pdf (2.4 MB)',
    ]);
    expect(summarizeBlocks(blocks.slice(1, 3))).toBe('Example (https://example.com)\nhttps://example.com');
  });

  it('reduces links (with a title, or parentheses in the address) and images to their text', () => {
    expect(markdownToPlainText('see [Foo](https://en.wikipedia.org/wiki/Foo_(bar) "Wiki") and ![a cat](cat.png)')).toBe('see Foo and a cat');
    expect(markdownToPlainText('**a*b** ~~gone~~ `a b` 1. one\n2) two\n---\n> quote')).toBe('a*b gone a b 1. one\ntwo\nquote');
    expect(markdownToPlainText('a\r\nb  \n\n\nc\u00a0d')).toBe('a\nb\nc d');
  });

  it('takes time linear in the text, however it is made (every edit and every render runs it)', () => {
    // Each took 0.3–0.6 s with open-ended scans (one PATCH of 50 such blocks held the server for 28 s); now about 1 ms.
    const hostile = [
      '['.repeat(20_000),
      '!['.repeat(10_000),
      '<'.repeat(20_000),
      '_a '.repeat(6_666),
      '*a '.repeat(6_666),
      '`x '.repeat(6_666),
      '[a]('.repeat(5_000),
    ];
    const started = performance.now();
    for (const text of hostile) markdownToPlainText(text);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('plain text never contains Markdown emphasis markers or HTML tags it removed', () => {
    fc.assert(
      fc.property(fc.string(), (words) => {
        const plain = markdownToPlainText(`**${words}** <b>x</b>`);
        expect(plain).not.toContain('<b>');
        expect(typeof plain).toBe('string');
      }),
    );
  });
});

import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { assertExtensionMatches, sniff } from './sniff.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('sniffing text uploads', () => {
  it('finds SVG and HTML behind comments, and plain text otherwise', async () => {
    expect((await sniff(text('<?xml version="1.0"?>\n<!-- a -- b -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).mime).toBe('image/svg+xml');
    expect((await sniff(text('<!-- one --><!----> <!DOCTYPE html><html>'))).mime).toBe('text/html');
    expect((await sniff(text('<!-- never closed <svg>'))).mime).toBe('text/plain');
    expect((await sniff(text('Dear diary, <svg> is a tag.'))).mime).toBe('text/plain');
  });

  it('takes time linear in the head, however many comments it opens with', async () => {
    // 40 empty comments took hours to judge (2^40 ways to split them), which held the server's event loop.
    const started = performance.now();
    for (const head of ['<!---->'.repeat(585) + 'x', '<!--'.repeat(1_000), '<!-- -'.repeat(700) + '->'.repeat(10)]) {
      expect((await sniff(text(head))).mime).toBe('text/plain');
    }
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe('names of text formats', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
  const illustratorSvg =
    '<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n' +
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n\t<!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">\n]>\n' +
    svg;
  /** What an upload of `bytes` named `name` gets: accepted, or the 415's reason. */
  const judge = async (name: string, bytes: Uint8Array) => {
    try {
      assertExtensionMatches(name, await sniff(bytes));
      return 'accepted';
    } catch (error) {
      return (error as { extensions?: { reason?: string } }).extensions?.reason ?? String(error);
    }
  };

  it('accepts any text under .html, .htm, .xhtml, .svg and .svgz, and gzip under .svgz', async () => {
    const accepted: [string, Uint8Array][] = [
      ['app.component.html', text('<div class="app">\n  <h1>{{ title }}</h1>\n</div>\n')],
      ['base.html', text('{% extends "layout.html" %}\n{% block content %}<p>Hi</p>{% endblock %}\n')],
      ['notes.htm', text('just words')],
      ['page.xhtml', text('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')],
      ['logo.svg', text(illustratorSvg)],
      ['plain.svg', text(svg)],
      ['icon.svgz', zlib.gzipSync(svg)],
      ['icon.svgz', text(svg)],
    ];
    for (const [name, bytes] of accepted) expect(`${name}: ${await judge(name, bytes)}`).toBe(`${name}: accepted`);
    // An Illustrator SVG is SVG, internal DOCTYPE subset and all.
    expect((await sniff(text(illustratorSvg))).mime).toBe('image/svg+xml');
  });

  it('still refuses a different binary format under those names', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    for (const name of ['photo.html', 'photo.svg', 'photo.svgz', 'photo.xhtml']) expect(await judge(name, png)).toBe('extension_mismatch');
    expect(await judge('archive.html', zlib.gzipSync(svg))).toBe('extension_mismatch');
  });

  it('judges a DOCTYPE in time linear in the head', async () => {
    const started = performance.now();
    for (const head of ['<!doctype svg ' + 'a'.repeat(60_000), '<!doctype svg [' + '>'.repeat(60_000), '<!doctype x>'.repeat(5_000) + 'y']) {
      expect((await sniff(text(head))).mime).toBe('text/plain');
    }
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe('UTF-16 text', () => {
  const bom = { le: Buffer.from([0xff, 0xfe]), be: Buffer.from([0xfe, 0xff]) };
  const table = 'Name\tValue\r\nA\t1\r\nÄ\t😀\r\n';

  it('with a byte order mark is text, not MPEG audio, under any text name', async () => {
    const le = Buffer.concat([bom.le, Buffer.from(table, 'utf16le')]);
    const be = Buffer.concat([bom.be, Buffer.from(table, 'utf16le').swap16()]);
    expect(await sniff(le)).toEqual({ mime: 'text/plain; charset=utf-16le', extensions: [], text: true });
    expect((await sniff(be)).mime).toBe('text/plain; charset=utf-16be');
    const sniffed = await sniff(le);
    for (const name of ['export.txt', 'data.csv', 'settings.reg', 'page.html']) expect(() => assertExtensionMatches(name, sniffed)).not.toThrow();
    expect((await sniff(Buffer.concat([bom.le, Buffer.from('<!DOCTYPE html><html></html>', 'utf16le')]))).text).toBe(true);
  });

  it('is not claimed for binary bytes that happen to start with FF FE', async () => {
    const binary = Buffer.concat([bom.le, Buffer.from([0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00]), Buffer.alloc(64, 0)]);
    expect((await sniff(binary)).mime).not.toMatch(/^text\/plain/);
  });
});

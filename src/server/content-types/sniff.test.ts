import { describe, expect, it } from 'vitest';
import { sniff } from './sniff.js';

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

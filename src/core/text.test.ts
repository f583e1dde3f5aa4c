import { describe, expect, it } from 'vitest';
import { truncate } from './text.js';

describe('truncate', () => {
  it('keeps text that fits and cuts what does not, with an ellipsis, to the length asked', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly ten', 11)).toBe('exactly ten');
    expect(truncate('a bit too long', 10)).toBe('a bit too…');
  });

  it('never cuts inside an emoji, a flag or a letter with a combining accent', () => {
    const emoji = `${'x'.repeat(8)}😀 and more`;
    expect(truncate(emoji, 10)).toBe(`${'x'.repeat(8)}😀…`);
    expect(truncate(`${'x'.repeat(8)}😀😀`, 10)).toBe(`${'x'.repeat(8)}😀😀`); // ten characters, twelve code units: it fits
    expect(truncate(`${'x'.repeat(8)}😀😀😀`, 10)).toBe(`${'x'.repeat(8)}😀…`);
    expect(truncate(`${'x'.repeat(9)}🇫🇷 rest`, 10)).toBe(`${'x'.repeat(9)}…`);
    expect(truncate('Cafe\u0301 au lait', 5)).toBe('Cafe\u0301…');
    for (const cut of [truncate(emoji, 9), truncate(emoji, 10), truncate(emoji, 11)]) expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

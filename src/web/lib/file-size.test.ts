import { describe, expect, it } from 'vitest';
import { humanFileSize } from './file-size.js';

describe('humanFileSize', () => {
  it('reads like people write sizes', () => {
    expect(humanFileSize(0)).toBe('0 bytes');
    expect(humanFileSize(1)).toBe('1 byte');
    expect(humanFileSize(1023)).toBe('1023 bytes');
    expect(humanFileSize(1024)).toBe('1 KB');
    expect(humanFileSize(1536)).toBe('1.5 KB');
    expect(humanFileSize(10 * 1024)).toBe('10 KB');
    expect(humanFileSize(2_500_000)).toBe('2.4 MB');
    expect(humanFileSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(humanFileSize(3 * 1024 ** 3)).toBe('3 GB');
  });

  it('rounds up to the next unit rather than showing 1024', () => {
    expect(humanFileSize(1024 * 1024 - 1)).toBe('1 MB');
  });

  it('shows nothing for what is not a size', () => {
    expect(humanFileSize(-1)).toBe('');
    expect(humanFileSize(Number.NaN)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { timeAgo } from './relative-time.js';

const now = new Date('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('timeAgo', () => {
  it('counts minutes, hours and days, then shows the date', () => {
    expect(timeAgo(ago(10_000), now)).toBe('just now');
    expect(timeAgo(ago(2 * 60_000), now)).toBe('2 min ago');
    expect(timeAgo(ago(59 * 60_000), now)).toBe('59 min ago');
    expect(timeAgo(ago(3 * 3_600_000), now)).toBe('3 h ago');
    expect(timeAgo(ago(26 * 3_600_000), now)).toBe('yesterday');
    expect(timeAgo(ago(4 * 86_400_000), now)).toBe('4 days ago');
    expect(timeAgo(ago(30 * 86_400_000), now, 'en-GB')).toBe('8 Feb');
    expect(timeAgo('2024-05-01T00:00:00Z', now, 'en-GB')).toBe('1 May 2024');
  });

  it('treats a clock slightly ahead of ours as now', () => {
    expect(timeAgo(new Date(now.getTime() + 5_000), now)).toBe('just now');
  });

  it('says nothing for a date it cannot read', () => {
    expect(timeAgo('not a date', now)).toBe('');
  });
});

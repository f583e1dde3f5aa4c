import { describe, expect, it } from 'vitest';
import { createTaskBody, dueDateSchema, updateTaskBody } from './tasks.js';

describe('task schemas', () => {
  it('accepts a date, or a local date-time with an IANA zone', () => {
    expect(dueDateSchema.parse('2028-02-29')).toBe('2028-02-29');
    expect(dueDateSchema.parse({ dateTime: '2026-03-29T02:30', timeZone: 'Europe/Paris' })).toEqual({ dateTime: '2026-03-29T02:30', timeZone: 'Europe/Paris' });
    expect(dueDateSchema.safeParse('2026-02-29').success).toBe(false);
    expect(dueDateSchema.safeParse({ dateTime: '2026-03-29T02:30Z', timeZone: 'Europe/Paris' }).success).toBe(false);
    expect(dueDateSchema.safeParse({ dateTime: '2026-03-29T02:30', timeZone: 'Nowhere/Land' }).success).toBe(false);
  });

  it('titles are trimmed, 1 to 500 characters', () => {
    expect(createTaskBody.parse({ title: '  Milk  ' }).title).toBe('Milk');
    expect(createTaskBody.safeParse({ title: '   ' }).success).toBe(false);
    expect(createTaskBody.safeParse({ title: 'x'.repeat(500) }).success).toBe(true);
    expect(createTaskBody.safeParse({ title: 'x'.repeat(501) }).success).toBe(false);
  });

  it('an update must change something and names no unknown field', () => {
    expect(updateTaskBody.safeParse({}).success).toBe(false);
    expect(updateTaskBody.safeParse({ done: true, colour: 'red' }).success).toBe(false);
    expect(updateTaskBody.parse({ done: true })).toEqual({ done: true });
  });
});

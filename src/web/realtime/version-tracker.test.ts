import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeMessage } from '../../core/realtime/protocol.js';
import { VersionTracker } from './version-tracker.js';

const listId = '00000000-0000-4000-8000-000000000001';
const change = (version: number): ChangeMessage => ({
  type: 'change',
  listId,
  version,
  change: 'task.edited',
  actorId: null,
  taskId: null,
  mutationId: null,
  at: '2026-01-01T00:00:00.000Z',
  data: {},
});
const versions = (changes: ChangeMessage[]) => changes.map((c) => c.version);

describe('VersionTracker', () => {
  it('applies the next version, ignores what it has seen, holds what jumps ahead', () => {
    const tracker = new VersionTracker(4);
    expect(tracker.offer(change(4))).toEqual({ kind: 'duplicate' });
    const five = tracker.offer(change(5));
    expect(five.kind === 'apply' && versions(five.changes)).toEqual([5]);
    expect(tracker.offer(change(8))).toEqual({ kind: 'gap', after: 5 });
    expect(tracker.offer(change(8))).toEqual({ kind: 'duplicate' });
    expect(tracker.offer(change(7))).toEqual({ kind: 'gap', after: 5 });
    expect(tracker.hasGap).toBe(true);
    const six = tracker.offer(change(6));
    expect(six.kind === 'apply' && versions(six.changes)).toEqual([6, 7, 8]);
    expect(tracker.version).toBe(8);
    expect(tracker.hasGap).toBe(false);
  });

  it('rebases on a fetch: drops what the fetch includes, applies what follows it', () => {
    const tracker = new VersionTracker(1);
    tracker.offer(change(3));
    tracker.offer(change(5));
    tracker.offer(change(6));
    expect(versions(tracker.rebase(4))).toEqual([5, 6]);
    expect(tracker.version).toBe(6);
    expect(tracker.hasGap).toBe(false);
    // A fetch older than what was applied moves the base back; the caller asks for the rest again.
    expect(tracker.rebase(2)).toEqual([]);
    expect(tracker.offer(change(3)).kind).toBe('apply');
  });

  it('applies every version exactly once and in order, whatever the delivery order and duplicates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.func(fc.integer()),
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 40 }),
        (base, count, order, duplicates) => {
          const all = Array.from({ length: count }, (_, i) => change(base + 1 + i));
          // Any delivery order, with some frames twice and some from before the base.
          const delivered = [...all, ...duplicates.map((d) => change(base - 5 + (d % (count + 6))))].sort(
            (a, b) => order(a.version, b.version) - order(b.version, a.version),
          );
          const tracker = new VersionTracker(base);
          const applied: number[] = [];
          for (const frame of delivered) {
            const result = tracker.offer(frame);
            if (result.kind === 'apply') applied.push(...versions(result.changes));
          }
          // What a replay after a gap would send again: everything after the version reached.
          for (const frame of all.filter((c) => c.version > tracker.version)) {
            const result = tracker.offer(frame);
            if (result.kind === 'apply') applied.push(...versions(result.changes));
          }
          expect(applied).toEqual(all.map((c) => c.version).filter((v) => v > base));
          expect(tracker.version).toBe(base + count);
          expect(tracker.hasGap).toBe(false);
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../core/schemas/index.js';
import { withNewestPage, withOlderPage } from './activity-feed.js';

const event = (version: number): ActivityEvent => ({
  id: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
  type: 'task.edited',
  actorId: null,
  actorName: null,
  at: '2026-01-01T00:00:00.000Z',
  workspaceId: '00000000-0000-4000-8000-00000000000a',
  listId: '00000000-0000-4000-8000-00000000000b',
  taskId: null,
  version,
  data: {},
});
const versions = (feed: { events: readonly ActivityEvent[] }) => feed.events.map((e) => e.version);

describe('the activity feed', () => {
  it('puts what happened since in front, once, and keeps the older pages already shown and where to go on', () => {
    const feed = { events: [event(5), event(4), event(3)], cursor: 'before-3' };
    const next = withNewestPage(feed, { items: [event(7), event(6), event(5), event(4)], nextCursor: 'before-4' });
    expect(versions(next)).toEqual([7, 6, 5, 4, 3]);
    expect(next.cursor).toBe('before-3');
  });

  it('starts over from the page when more happened than a page holds, rather than leave a hole', () => {
    const feed = { events: [event(3), event(2)], cursor: 'before-2' };
    const next = withNewestPage(feed, { items: [event(9), event(8)], nextCursor: 'before-8' });
    expect(versions(next)).toEqual([9, 8]);
    expect(next.cursor).toBe('before-8');
  });

  it('takes a page with nothing before it as the whole history', () => {
    expect(withNewestPage({ events: [], cursor: null }, { items: [event(1)], nextCursor: null })).toEqual({ events: [event(1)], cursor: null });
    expect(versions(withNewestPage({ events: [event(1)], cursor: null }, { items: [event(2), event(1)], nextCursor: null }))).toEqual([2, 1]);
  });

  it('adds an older page behind, once each, and goes on from its cursor', () => {
    // An event that slid into the older page while newer ones arrived is not shown twice.
    const next = withOlderPage({ events: [event(9), event(8)], cursor: 'before-8' }, { items: [event(8), event(7)], nextCursor: 'before-7' });
    expect(versions(next)).toEqual([9, 8, 7]);
    expect(next.cursor).toBe('before-7');
  });
});

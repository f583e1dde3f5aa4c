import type { ActivityEvent } from '../../core/schemas/index.js';

export interface ActivityFeed {
  /** Newest first. */
  events: readonly ActivityEvent[];
  /** Where the next older page starts; null at the beginning of the list's history. */
  cursor: string | null;
}

/**
 * The feed with the newest page of the list's history (`page`, fetched again after a change) in front.
 * When the page does not reach back to what the feed shows (more happened meanwhile than a page holds),
 * the feed starts over from the page, so it never has a hole in it.
 */
export function withNewestPage(feed: ActivityFeed, page: { items: readonly ActivityEvent[]; nextCursor: string | null }): ActivityFeed {
  const fetched = new Set(page.items.map((event) => event.id));
  // A page with nothing before it is the whole history; one that shares no event with the feed leaves a gap.
  if (page.nextCursor === null || !feed.events.some((event) => fetched.has(event.id))) return { events: page.items, cursor: page.nextCursor };
  return { events: [...page.items, ...feed.events.filter((event) => !fetched.has(event.id))], cursor: feed.cursor };
}

/** The feed with the next older page (fetched from `feed.cursor`) behind it, each event once. */
export function withOlderPage(feed: ActivityFeed, page: { items: readonly ActivityEvent[]; nextCursor: string | null }): ActivityFeed {
  const shown = new Set(feed.events.map((event) => event.id));
  return { events: [...feed.events, ...page.items.filter((event) => !shown.has(event.id))], cursor: page.nextCursor };
}

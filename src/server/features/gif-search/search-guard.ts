/**
 * The provider's key is the instance's, and so is its quota (Giphy counts requests per key per hour): one user typing
 * without pause, or a script, must not use it up for everyone. Per node, in memory (as login throttling is): a cluster
 * multiplies the budget by its node count.
 * - The same search (case and spacing aside, same page) within `cacheTtlMs` is answered from memory, and searches
 *   asked while it is on its way share its answer: the picker's "cats" asked by a hundred people costs one request.
 * - Each user may make `perMinute` requests to the provider a minute (answered from memory costs nothing); past it,
 *   429 with `Retry-After`.
 */
import { AppError } from '../../../core/errors.js';
import type { GifSearchItem } from '../../../core/schemas/uploads.js';
import type { GifSearchClient } from './giphy.client.js';

export interface SearchGuardOptions {
  perMinute?: number;
  cacheTtlMs?: number;
  cacheEntries?: number;
  now?: () => number;
}

export interface GuardedGifSearch {
  search(userId: string, query: string, page: { limit: number; offset: number }): Promise<GifSearchItem[]>;
}

const minuteMs = 60_000;

export function guardGifSearch(client: GifSearchClient, options: SearchGuardOptions = {}): GuardedGifSearch {
  const { perMinute = 20, cacheTtlMs = 5 * minuteMs, cacheEntries = 1_000, now = Date.now } = options;
  // Insertion order is age order: the oldest entry is the first to go.
  const answers = new Map<string, { items: Promise<GifSearchItem[]>; expiresAt: number }>();
  /** Per user, the times of their provider requests in the last minute. */
  const recent = new Map<string, number[]>();

  const admit = (userId: string, at: number): void => {
    const times = (recent.get(userId) ?? []).filter((time) => time > at - minuteMs);
    if (times.length >= perMinute) {
      recent.set(userId, times);
      const retryAfter = Math.max(1, Math.ceil((times[0]! + minuteMs - at) / 1000));
      throw new AppError('too_many_requests', `Too many GIF searches; try again in ${retryAfter} s`, { extensions: { retryAfter } });
    }
    times.push(at);
    recent.set(userId, times);
    // Users who stopped searching leave, so the map stays as small as the minute's searchers.
    if (recent.size > 10_000) for (const [id, list] of recent) if (list.every((time) => time <= at - minuteMs)) recent.delete(id);
  };

  return {
    search(userId, query, page) {
      const at = now();
      const key = JSON.stringify([query.trim().replace(/\s+/g, ' ').toLowerCase(), page.limit, page.offset]);
      const known = answers.get(key);
      if (known && known.expiresAt > at) return known.items;
      answers.delete(key);
      admit(userId, at);
      const items = client.search(query, page);
      answers.set(key, { items, expiresAt: at + cacheTtlMs });
      // A failure is not remembered: the next search asks the provider again.
      items.catch(() => {
        if (answers.get(key)?.items === items) answers.delete(key);
      });
      while (answers.size > cacheEntries) answers.delete(answers.keys().next().value!);
      return items;
    },
  };
}

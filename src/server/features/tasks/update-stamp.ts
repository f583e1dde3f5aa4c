/**
 * The `updated_at` of a task's new state: now, or a millisecond after its previous stamp when now is not later.
 * Clients keep the newest state of a task by this stamp, and nodes' clocks differ (or step back): a change made
 * on a node whose clock lags must still look newer than the one before it. Changes to one task are serialized
 * by its list's lock, so each sees the stamp of the one before.
 */
export function nextUpdateStamp(previous: string, now: Date): string {
  return new Date(Math.max(now.getTime(), Date.parse(previous) + 1)).toISOString();
}

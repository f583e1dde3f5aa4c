/**
 * The time of a workspace: the server clock, or the frozen time of the test clock its subscription is
 * attached to. Activity of such a workspace is stamped with the clock's time too. The hot path keeps in
 * memory only *which* workspaces are on a test clock (refreshed at most a second old, at once on this
 * node's changes); the time itself is read through the change's transaction, because another node may
 * have advanced the clock a moment ago.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { findWorkspaceClockTime, listTestClockWorkspaces } from './test-clock.repository.js';

const refreshEveryMs = 1000;

export function createBillingTime(db: Kysely<Database>, clock: Clock) {
  /** Workspaces whose live subscription runs on a test clock, as of `loadedAt`. */
  let onTestClock = new Set<string>();
  let loadedAt = Number.NEGATIVE_INFINITY;

  /** Reloads which workspaces are on a test clock, through `reader` (a transaction, or the database). */
  async function load(reader: Kysely<Database>): Promise<void> {
    const startedAt = performance.now();
    const rows = await listTestClockWorkspaces(reader);
    // A slower load that started earlier never replaces a newer one.
    if (startedAt < loadedAt) return;
    onTestClock = new Set(rows.map((row) => row.workspace_id));
    loadedAt = startedAt;
  }

  return {
    /**
     * Reloads at once, after this node attached a workspace to a test clock. Always a new read, never
     * one already under way, which may have started before the change.
     */
    refresh: () => load(db),

    /**
     * Current time of the workspace, read from the database (exact, for billing decisions). Inside a
     * transaction pass it as `reader`: on SQLite the database's one connection is the transaction's.
     */
    async nowFor(workspaceId: string, reader: Kysely<Database> = db): Promise<Date> {
      const frozen = await findWorkspaceClockTime(reader, workspaceId);
      return frozen ? new Date(frozen) : clock.now();
    },

    /**
     * Hook for the activity recorder: the test clock's time for workspaces on one, else `at` unchanged.
     * A workspace on no test clock (nearly all) costs a set lookup. Otherwise the clock's time is read
     * through `tx`, the change's own transaction, so it is never older than the last advance, whichever
     * node made it: a cached time could file a change made right after an advance in the period before.
     * The set itself is reloaded, through `tx` as well, when it is more than a second old (or was never
     * loaded, on a node just started), so a workspace another node has just put on a test clock is
     * stamped with real time for at most a second.
     */
    stampActivityTime(workspaceId: string, at: string, tx: Kysely<Database>): string | Promise<string> {
      if (performance.now() - loadedAt <= refreshEveryMs && !onTestClock.has(workspaceId)) return at;
      return (async () => {
        if (performance.now() - loadedAt > refreshEveryMs) await load(tx);
        if (!onTestClock.has(workspaceId)) return at;
        return (await findWorkspaceClockTime(tx, workspaceId)) ?? at;
      })();
    },
  };
}

export type BillingTime = ReturnType<typeof createBillingTime>;

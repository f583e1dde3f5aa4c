/**
 * The time of a workspace: the server clock, or the frozen time of the test clock its subscription is
 * attached to. Activity of such a workspace is stamped with the clock's time too, so the hot path reads
 * a small in-memory map, refreshed from the database at most once a second (and at once on this node's changes).
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { findWorkspaceClockTime, listTestClockWorkspaces } from './test-clock.repository.js';

const refreshEveryMs = 1000;

export function createBillingTime(db: Kysely<Database>, clock: Clock) {
  let clockOf = new Map<string, { clockId: string; frozenTime: string }>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    loading ??= (async () => {
      try {
        const rows = await listTestClockWorkspaces(db);
        clockOf = new Map(rows.map((row) => [row.workspace_id, { clockId: row.clock_id, frozenTime: row.frozen_time }]));
        loadedAt = performance.now();
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  return {
    refresh,

    /** Current time of the workspace, read from the database (exact, for billing decisions). */
    async nowFor(workspaceId: string): Promise<Date> {
      const frozen = await findWorkspaceClockTime(db, workspaceId);
      return frozen ? new Date(frozen) : clock.now();
    },

    /** Hook for the activity recorder: the test clock's time for workspaces on one, else `at` unchanged. */
    stampActivityTime(workspaceId: string, at: string): string {
      if (performance.now() - loadedAt > refreshEveryMs) void refresh().catch(() => {});
      return clockOf.get(workspaceId)?.frozenTime ?? at;
    },
  };
}

export type BillingTime = ReturnType<typeof createBillingTime>;

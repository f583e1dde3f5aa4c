/**
 * Usage events in batches: each event is checked on its own (rejections are reported, never fatal),
 * stored once per (workspace, id) forever — a replay is a duplicate, not an error — and folded into
 * the hourly rollups in the same transaction, so the live estimate and rating never scan raw events.
 */
import { Decimal } from '../../core/billing/decimal.js';
import type { BillingEvent, IngestEventsResult } from '../../core/schemas/billing.js';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/unit-of-work.js';
import type { BillingAccess } from './billing-access.js';
import type { BillingTime } from './billing-time.js';
import type { MeterService } from './meter.service.js';
import type { MeterDefinition } from './meters/index.js';
import { findLiveSubscription, listSettledEndedSpans } from './subscription.repository.js';
import {
  addToDistinctMonths,
  addToPresence,
  addToRollups,
  findExistingEventIds,
  halfDayBit,
  halfDayOf,
  hourOf,
  insertNewEvents,
  type DistinctDelta,
  type PresenceDelta,
  nextBatchSeq,
  type EventRow,
  type RollupDelta,
} from './usage.repository.js';

const dayMs = 86_400_000;
/** How late an event may arrive, and how far ahead of the workspace's clock it may be. */
export const eventWindow = { pastMs: 35 * dayMs, futureMs: 5 * 60_000 };
const maxPropertiesChars = 8192;
const subscriptionEndedMessage =
  "timestamp falls in the time of a subscription that has ended and whose last invoice is final; usage is billed only until the final invoice's grace period ends";
const inSpans = (spans: ReadonlyArray<{ from: number; to: number }>, at: number) => spans.some((span) => at >= span.from && at < span.to);

export function createEventIngestService({ db }: Pick<AppContext, 'db'>, meters: MeterService, access: BillingAccess, time: BillingTime) {
  /**
   * Time no invoice will bill any more: that of ended subscriptions whose final invoice is issued, except from
   * the live subscription's start on (a new subscription may start back in that time). Accepting usage there
   * would say "accepted" for usage nobody is ever billed for.
   */
  async function settledSpans(workspaceId: string, now: Date, reader: Kysely<Database> = db.kysely): Promise<Array<{ from: number; to: number }>> {
    const ended = await listSettledEndedSpans(reader, workspaceId, new Date(now.getTime() - eventWindow.pastMs).toISOString());
    if (ended.length === 0) return [];
    const live = await findLiveSubscription(reader, workspaceId);
    const liveFrom = live ? Date.parse(live.start_at) : Number.POSITIVE_INFINITY;
    return ended.map((span) => ({ from: Date.parse(span.start_at), to: Math.min(Date.parse(span.ended_at), liveFrom) }));
  }

  return {
    async ingestEvents(principal: { userId: string; via: 'session' | 'token' }, events: BillingEvent[]): Promise<IngestEventsResult> {
      const allowed = await access.eventWorkspaces(
        principal,
        events.map((event) => event.workspaceId),
      );
      const rejected: IngestEventsResult['rejected'] = [];
      /** Position in `events` of each rejection, and of each row to store (the answer lists rejections in the batch's order). */
      const rejectedAt: number[] = [];
      const positionOf = new Map<EventRow, number>();
      const meterOf = new Map<string, MeterDefinition | undefined>();
      const nowOf = new Map<string, Date>();
      /** Per workspace: the time of its ended subscriptions whose last invoice is final, less what its live one bills. */
      const settledOf = new Map<string, Array<{ from: number; to: number }>>();
      const rowsOf = new Map<string, EventRow[]>();
      const seen = new Set<string>();
      let duplicates = 0;
      /** Workspace of each rejection whose workspace the caller may post for. */
      const rejectedWorkspace: Array<string | undefined> = [];

      for (const [position, event] of events.entries()) {
        const reject = (code: IngestEventsResult['rejected'][number]['code'], message: string) => {
          rejected.push({ id: event.id, code, message });
          rejectedAt.push(position);
          rejectedWorkspace.push(allowed.has(event.workspaceId) ? event.workspaceId : undefined);
        };
        if (!allowed.has(event.workspaceId)) {
          reject('unknown_workspace', 'No workspace with this id that you may post usage for');
          continue;
        }
        if (!meterOf.has(event.meter)) meterOf.set(event.meter, await meters.findMeter(event.meter));
        const meter = meterOf.get(event.meter);
        if (!meter) {
          reject('unknown_meter', `No meter with the code ${event.meter}`);
          continue;
        }
        let now = nowOf.get(event.workspaceId);
        if (!now) nowOf.set(event.workspaceId, (now = await time.nowFor(event.workspaceId)));
        const at = Date.parse(event.timestamp);
        if (at < now.getTime() - eventWindow.pastMs || at > now.getTime() + eventWindow.futureMs) {
          reject('timestamp_out_of_window', 'timestamp must be within the last 35 days and at most 5 minutes ahead of the workspace clock');
          continue;
        }
        let settled = settledOf.get(event.workspaceId);
        if (!settled) settledOf.set(event.workspaceId, (settled = await settledSpans(event.workspaceId, now)));
        if (inSpans(settled, at)) {
          reject('subscription_ended', subscriptionEndedMessage);
          continue;
        }
        const properties = event.properties === undefined ? null : JSON.stringify(event.properties);
        if (properties !== null && properties.length > maxPropertiesChars) {
          reject('invalid_properties', `properties must be at most ${maxPropertiesChars} characters of JSON`);
          continue;
        }
        const reading = meter.readEvent(event);
        if ('rejection' in reading) {
          reject(reading.rejection, reading.message);
          continue;
        }
        const key = `${event.workspaceId}\u0000${event.id}`;
        if (seen.has(key)) {
          duplicates += 1;
          continue;
        }
        seen.add(key);
        let rows = rowsOf.get(event.workspaceId);
        if (!rows) rowsOf.set(event.workspaceId, (rows = []));
        const row: EventRow = {
          workspace_id: event.workspaceId,
          id: event.id,
          meter: meter.code,
          timestamp: new Date(at).toISOString(),
          value: reading.value,
          properties,
          measure: reading.measure,
          distinct_key: reading.distinctKey,
          counted: reading.counted ? 1 : 0,
          batch_seq: 0,
          received_at: now.toISOString(),
        };
        rows.push(row);
        positionOf.set(row, position);
      }

      // An id the workspace already has is a duplicate, even when it would be refused today (a replay after the window).
      const refusedOf = new Map<string, string[]>();
      for (const [index, rejection] of rejected.entries()) {
        const workspaceId = rejectedWorkspace[index];
        if (workspaceId !== undefined) refusedOf.set(workspaceId, [...(refusedOf.get(workspaceId) ?? []), rejection.id]);
      }
      const known = new Set<number>();
      for (const [workspaceId, ids] of refusedOf) {
        const existing = await findExistingEventIds(db.kysely, workspaceId, ids);
        rejected.forEach((rejection, index) => {
          if (rejectedWorkspace[index] === workspaceId && existing.has(rejection.id)) known.add(index);
        });
      }
      duplicates += known.size;
      const answered: Array<{ position: number; rejection: IngestEventsResult['rejected'][number] }> = [];
      rejected.forEach((rejection, index) => {
        if (!known.has(index)) answered.push({ position: rejectedAt[index]!, rejection });
      });

      let accepted = 0;
      if (rowsOf.size > 0) {
        // Counted per attempt, so that a transaction run again (a stale plan on PostgreSQL) counts nothing twice.
        const stored = await inTransaction(db, async ({ tx }) => {
          const outcome = { accepted: 0, duplicates: 0, refused: [] as typeof answered };
          for (const [workspaceId, checked] of [...rowsOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
            // First statement is a write: it takes the workspace's ingestion lock before reading rollups.
            const seq = await nextBatchSeq(tx, workspaceId);
            // Checked again under the lock, which finalizing an invoice takes too: a final invoice issued since the
            // check above (its transaction committed meanwhile) will never bill these events, so they are refused.
            const settledNow = await settledSpans(workspaceId, nowOf.get(workspaceId)!, tx);
            const late = new Set(checked.filter((row) => inSpans(settledNow, Date.parse(row.timestamp))));
            const rows = late.size === 0 ? checked : checked.filter((row) => !late.has(row));
            if (late.size > 0) {
              const existing = await findExistingEventIds(
                tx,
                workspaceId,
                [...late].map((row) => row.id),
              );
              for (const row of late) {
                if (existing.has(row.id)) outcome.duplicates += 1;
                else
                  outcome.refused.push({
                    position: positionOf.get(row)!,
                    rejection: { id: row.id, code: 'subscription_ended', message: subscriptionEndedMessage },
                  });
              }
            }
            for (const row of rows) row.batch_seq = seq;
            const inserted = await insertNewEvents(tx, rows);
            outcome.accepted += inserted.size;
            outcome.duplicates += rows.length - inserted.size;
            const deltas = new Map<string, RollupDelta>();
            for (const row of rows) {
              if (!inserted.has(row.id) || row.counted !== 1) continue;
              const hour = hourOf(row.timestamp);
              const key = `${row.meter}|${hour}`;
              let delta = deltas.get(key);
              if (!delta) deltas.set(key, (delta = { meter: row.meter, hour, events: 0, sum: new Decimal(0), max: null }));
              delta.events += 1;
              if (row.measure !== null) {
                const measure = new Decimal(row.measure);
                delta.sum = delta.sum.plus(measure);
                if (delta.max === null || measure.gt(delta.max)) delta.max = measure;
              }
            }
            await addToRollups(tx, workspaceId, [...deltas.values()]);
            // Distinct values (unique counts) and who was active when (active members) have rollups of their own.
            const distinct = new Map<string, Map<string, DistinctDelta>>();
            const presence = new Map<string, Map<string, PresenceDelta>>();
            for (const row of rows) {
              if (!inserted.has(row.id) || row.counted !== 1 || row.distinct_key === null) continue;
              const aggregation = meterOf.get(row.meter)?.aggregation;
              if (aggregation === 'unique_count') {
                let byKey = distinct.get(row.meter);
                if (!byKey) distinct.set(row.meter, (byKey = new Map()));
                const bit = halfDayBit(row.timestamp);
                const key = `${bit.month}|${row.distinct_key}`;
                const seen = byKey.get(key);
                if (!seen) byKey.set(key, { month: bit.month, value: row.distinct_key, lo: bit.lo, hi: bit.hi });
                else {
                  seen.lo = (seen.lo | bit.lo) >>> 0;
                  seen.hi = (seen.hi | bit.hi) >>> 0;
                }
                continue;
              }
              if (aggregation !== 'active_members') continue;
              let byKey = presence.get(row.meter);
              if (!byKey) presence.set(row.meter, (byKey = new Map()));
              const bucket = halfDayOf(row.timestamp);
              const key = `${bucket}|${row.distinct_key}`;
              const seen = byKey.get(key);
              if (!seen) byKey.set(key, { bucket, person: row.distinct_key, first: row.timestamp, last: row.timestamp });
              else {
                if (row.timestamp < seen.first) seen.first = row.timestamp;
                if (row.timestamp > seen.last) seen.last = row.timestamp;
              }
            }
            for (const [meter, byKey] of presence) await addToPresence(tx, workspaceId, meter, [...byKey.values()]);
            for (const [meter, byKey] of distinct) await addToDistinctMonths(tx, workspaceId, meter, [...byKey.values()]);
          }
          return outcome;
        });
        accepted = stored.accepted;
        duplicates += stored.duplicates;
        answered.push(...stored.refused);
      }
      answered.sort((a, b) => a.position - b.position);
      return { accepted, duplicates, rejected: answered.map((entry) => entry.rejection) };
    },
  };
}

export type EventIngestService = ReturnType<typeof createEventIngestService>;

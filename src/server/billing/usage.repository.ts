/**
 * SQL of usage: ingested events and their hourly rollups, and the activity log as built-in meters read it.
 * Aggregations over a time range read whole UTC hours from `billing_rollups` and only the partial hours
 * at the edges from raw events, so a period of a million events costs a few hundred rollup rows.
 */
import { Decimal } from '../../core/billing/decimal.js';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { BillingEventsTable, Database } from '../db/schema.js';

export type EventRow = BillingEventsTable;

/** Next ingestion batch number of the workspace; its row lock serializes the workspace's ingestion (PostgreSQL). */
export async function nextBatchSeq(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .insertInto('billing_ingest_state')
    .values({ workspace_id: workspaceId, batch_seq: 1 })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ batch_seq: sql`billing_ingest_state.batch_seq + 1` }))
    .returning('batch_seq')
    .executeTakeFirstOrThrow();
  return Number(row.batch_seq);
}

/**
 * Takes the workspace's ingestion lock without starting a batch (a write: on SQLite the write lock, on PostgreSQL the
 * row lock `nextBatchSeq` takes). A transaction that rates usage into an invoice for good takes it before reading any:
 * an ingestion under way then commits first and is counted, and one that comes after sees the invoice and refuses.
 */
export async function lockIngestion(db: Kysely<Database>, workspaceId: string): Promise<void> {
  await db
    .insertInto('billing_ingest_state')
    .values({ workspace_id: workspaceId, batch_seq: 0 })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ batch_seq: sql`billing_ingest_state.batch_seq` }))
    .execute();
}

/** Last ingestion batch of the workspace (0 before any). */
export async function currentBatchSeq(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('billing_ingest_state').select('batch_seq').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(row?.batch_seq ?? 0);
}

const insertChunk = 500;

/** Inserts events, skipping ids the workspace already has; returns the ids actually inserted. */
export async function insertNewEvents(db: Kysely<Database>, rows: EventRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < rows.length; start += insertChunk) {
    const chunk = rows.slice(start, start + insertChunk);
    const result = await db
      .insertInto('billing_events')
      .values(chunk)
      .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
      .returning('id')
      .execute();
    for (const row of result) inserted.add(row.id);
  }
  return inserted;
}

/** Which of these event ids the workspace already has. */
export async function findExistingEventIds(db: Kysely<Database>, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('billing_events').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

export interface RollupDelta {
  meter: string;
  hour: string;
  events: number;
  sum: Decimal;
  max: Decimal | null;
}

/** Folds counted events into the hourly rollups (exact decimals, merged in JS). */
export async function addToRollups(db: Kysely<Database>, workspaceId: string, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const meters = [...new Set(deltas.map((delta) => delta.meter))];
  const hours = [...new Set(deltas.map((delta) => delta.hour))];
  const existing = await db
    .selectFrom('billing_rollups')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('meter', 'in', meters)
    .where('hour', 'in', hours)
    .execute();
  const byKey = new Map(existing.map((row) => [`${row.meter}|${row.hour}`, row]));
  const rows = deltas.map((delta) => {
    const before = byKey.get(`${delta.meter}|${delta.hour}`);
    const max = [before?.max_value, delta.max].filter((value) => value !== null && value !== undefined).map((value) => new Decimal(value!));
    return {
      workspace_id: workspaceId,
      meter: delta.meter,
      hour: delta.hour,
      events: Number(before?.events ?? 0) + delta.events,
      sum_value: new Decimal(before?.sum_value ?? 0).plus(delta.sum).toFixed(),
      max_value: max.length === 0 ? null : Decimal.max(...max).toFixed(),
    };
  });
  for (let start = 0; start < rows.length; start += insertChunk) {
    await db
      .insertInto('billing_rollups')
      .values(rows.slice(start, start + insertChunk))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'meter', 'hour']).doUpdateSet((eb) => ({
          events: eb.ref('excluded.events'),
          sum_value: eb.ref('excluded.sum_value'),
          max_value: eb.ref('excluded.max_value'),
        })),
      )
      .execute();
  }
}

/** `YYYY-MM-DDTHH` of an ISO instant. */
export const hourOf = (instant: string) => instant.slice(0, 13);

const hourMs = 3_600_000;
const halfDayMs = 43_200_000;

/** `YYYY-MM-DDT0` (00:00–12:00 UTC) or `YYYY-MM-DDT1` of an ISO instant: a span no local day can hold three dates of. */
export const halfDayOf = (instant: string) => `${instant.slice(0, 11)}${instant.slice(11, 13) < '12' ? '0' : '1'}`;

/** The same bucket in SQL, for grouping raw rows. */
const halfDaySql = (column: string) =>
  sql<string>`substr(${sql.ref(column)}, 1, 11) || case when substr(${sql.ref(column)}, 12, 2) < '12' then '0' else '1' end`;

/** Splits [from, to) into whole buckets (read from a rollup) and the partial buckets at its edges (read raw). */
function splitByBuckets(from: string, to: string, sizeMs: number, keyOf: (instant: string) => string) {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const firstWhole = Math.ceil(start / sizeMs) * sizeMs;
  const lastWhole = Math.floor(end / sizeMs) * sizeMs;
  if (firstWhole >= lastWhole) return { raw: [[from, to]] as Array<[string, string]>, buckets: null };
  const raw: Array<[string, string]> = [];
  const firstWholeIso = new Date(firstWhole).toISOString();
  const lastWholeIso = new Date(lastWhole).toISOString();
  if (start < firstWhole) raw.push([from, firstWholeIso]);
  if (lastWhole < end) raw.push([lastWholeIso, to]);
  return { raw, buckets: [keyOf(firstWholeIso), keyOf(lastWholeIso)] as [string, string] };
}

const splitByHours = (from: string, to: string) => {
  const { raw, buckets } = splitByBuckets(from, to, hourMs, hourOf);
  return { raw, hours: buckets };
};

export interface PresenceDelta {
  bucket: string;
  person: string;
  first: string;
  last: string;
}

/** Folds who was active when into `billing_presence` (first and last instant per person and half-day). */
export async function addToPresence(db: Kysely<Database>, workspaceId: string, meter: string, deltas: PresenceDelta[]): Promise<void> {
  for (let start = 0; start < deltas.length; start += insertChunk) {
    await db
      .insertInto('billing_presence')
      .values(
        deltas
          .slice(start, start + insertChunk)
          .map((delta) => ({ workspace_id: workspaceId, meter, bucket: delta.bucket, person: delta.person, first_at: delta.first, last_at: delta.last })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'meter', 'bucket', 'person']).doUpdateSet({
          first_at: sql`case when excluded.first_at < billing_presence.first_at then excluded.first_at else billing_presence.first_at end`,
          last_at: sql`case when excluded.last_at > billing_presence.last_at then excluded.last_at else billing_presence.last_at end`,
        }),
      )
      .execute();
  }
}

export interface IngestedRange {
  workspaceId: string;
  meter: string;
  from: string;
  to: string;
}

function rawEvents(db: Kysely<Database>, range: IngestedRange, from: string, to: string) {
  return db
    .selectFrom('billing_events')
    .where('workspace_id', '=', range.workspaceId)
    .where('meter', '=', range.meter)
    .where('timestamp', '>=', from)
    .where('timestamp', '<', to)
    .where('counted', '=', 1);
}

/** Counted events, their sum and their maximum over the range. */
export async function sumIngested(db: Kysely<Database>, range: IngestedRange): Promise<{ events: number; sum: Decimal; max: Decimal | null }> {
  const { raw, hours } = splitByHours(range.from, range.to);
  let events = 0;
  let sum = new Decimal(0);
  let max: Decimal | null = null;
  const takeMax = (value: string | null) => {
    if (value === null) return;
    const decimal = new Decimal(value);
    if (max === null || decimal.gt(max)) max = decimal;
  };
  if (hours) {
    const rows = await db
      .selectFrom('billing_rollups')
      .select(['events', 'sum_value', 'max_value'])
      .where('workspace_id', '=', range.workspaceId)
      .where('meter', '=', range.meter)
      .where('hour', '>=', hours[0])
      .where('hour', '<', hours[1])
      .execute();
    for (const row of rows) {
      events += Number(row.events);
      sum = sum.plus(row.sum_value);
      takeMax(row.max_value);
    }
  }
  for (const [from, to] of raw) {
    const rows = await rawEvents(db, range, from, to).select('measure').execute();
    events += rows.length;
    for (const row of rows) {
      if (row.measure === null) continue;
      sum = sum.plus(row.measure);
      takeMax(row.measure);
    }
  }
  return { events, sum, max };
}

/** Measure of the latest counted event in the range (greatest timestamp, then greatest id). */
export async function latestIngested(db: Kysely<Database>, range: IngestedRange): Promise<Decimal | null> {
  const row = await rawEvents(db, range, range.from, range.to)
    .select('measure')
    .where('measure', 'is not', null)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.measure ? new Decimal(row.measure) : null;
}

/** Bit of a half-day within its UTC month, split over two 31-bit masks (portable integers). */
export function halfDayBit(instant: string): { month: string; lo: number; hi: number } {
  const index = (Number(instant.slice(8, 10)) - 1) * 2 + (instant.slice(11, 13) < '12' ? 0 : 1);
  return { month: instant.slice(0, 7), lo: index < 31 ? 2 ** index : 0, hi: index < 31 ? 0 : 2 ** (index - 31) };
}

export interface DistinctDelta {
  month: string;
  value: string;
  lo: number;
  hi: number;
}

/** Marks the half-days each distinct value was seen in (bitwise OR, in SQL on both dialects). */
export async function addToDistinctMonths(db: Kysely<Database>, workspaceId: string, meter: string, deltas: DistinctDelta[]): Promise<void> {
  for (let start = 0; start < deltas.length; start += insertChunk) {
    await db
      .insertInto('billing_distinct_months')
      .values(
        deltas
          .slice(start, start + insertChunk)
          .map((delta) => ({ workspace_id: workspaceId, meter, month: delta.month, value: delta.value, mask_lo: delta.lo, mask_hi: delta.hi })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'meter', 'month', 'value']).doUpdateSet({
          mask_lo: sql`billing_distinct_months.mask_lo | excluded.mask_lo`,
          mask_hi: sql`billing_distinct_months.mask_hi | excluded.mask_hi`,
        }),
      )
      .execute();
  }
}

/** Distinct values among counted events in the range: half-day masks inside, raw events at the edges. */
export async function countDistinctIngested(db: Kysely<Database>, range: IngestedRange): Promise<number> {
  const { raw, buckets } = splitByBuckets(range.from, range.to, halfDayMs, halfDayOf);
  const seen = new Set<string>();
  if (buckets) {
    // Whole half-days [first, last), grouped by UTC month.
    const masks = new Map<string, { lo: number; hi: number }>();
    const end = Date.parse(`${buckets[1].slice(0, 10)}T${buckets[1].endsWith('0') ? '00' : '12'}:00:00.000Z`);
    for (let at = Date.parse(`${buckets[0].slice(0, 10)}T${buckets[0].endsWith('0') ? '00' : '12'}:00:00.000Z`); at < end; at += halfDayMs) {
      const bit = halfDayBit(new Date(at).toISOString());
      const mask = masks.get(bit.month) ?? { lo: 0, hi: 0 };
      masks.set(bit.month, { lo: mask.lo + bit.lo, hi: mask.hi + bit.hi });
    }
    for (const [month, mask] of masks) {
      const rows = await db
        .selectFrom('billing_distinct_months')
        .select('value')
        .where('workspace_id', '=', range.workspaceId)
        .where('meter', '=', range.meter)
        .where('month', '=', month)
        .where(sql<boolean>`((mask_lo & ${mask.lo}) <> 0 or (mask_hi & ${mask.hi}) <> 0)`)
        .execute();
      for (const row of rows) seen.add(row.value);
    }
  }
  for (const [from, to] of raw) {
    const rows = await rawEvents(db, range, from, to).select('distinct_key').distinct().where('distinct_key', 'is not', null).execute();
    for (const row of rows) seen.add(row.distinct_key!);
  }
  return seen.size;
}

/** Activity events of these types in [from, to). */
export async function countActivity(db: Kysely<Database>, workspaceId: string, types: readonly string[], from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('activity_events')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('type', 'in', [...types])
    .where('at', '>=', from)
    .where('at', '<', to)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** `first_at last_at` of each row of a group, space-separated: one row per person instead of one per half-day. */
function concatSpans(db: Kysely<Database>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<string>`string_agg(first_at || ' ' || last_at, ' ')`
    : sql<string>`group_concat(first_at || ' ' || last_at, ' ')`;
}

/** When each person was active: per person, `spans` holds space-separated instants, a first and a last per UTC half-day they did anything in. */
export interface PresenceSpans {
  person: string;
  spans: string;
}

/**
 * Who did anything, and roughly when: per person and UTC half-day the first and last instant — enough
 * to know every local date they were active on, whatever the zone's offset, since a half-day overlaps
 * at most two local dates.
 */
export async function activityByActor(db: Kysely<Database>, workspaceId: string, from: string, to: string): Promise<PresenceSpans[]> {
  const halfDays = db
    .selectFrom('activity_events')
    .select(['actor_id as person', (eb) => eb.fn.min('at').as('first_at'), (eb) => eb.fn.max('at').as('last_at')])
    .where('workspace_id', '=', workspaceId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('actor_id', 'is not', null)
    .groupBy(['actor_id', halfDaySql('at')]);
  return db
    .selectFrom(halfDays.as('h'))
    .select(['h.person', concatSpans(db).as('spans')])
    .groupBy('h.person')
    .execute() as Promise<PresenceSpans[]>;
}

/** The same for ingested events of a meter, by their distinct key (`properties.userId`): rollups inside, raw events at the edges. */
export async function presenceByPerson(db: Kysely<Database>, range: IngestedRange): Promise<PresenceSpans[]> {
  const { raw, buckets } = splitByBuckets(range.from, range.to, halfDayMs, halfDayOf);
  const rows: PresenceSpans[] = [];
  if (buckets) {
    const rolled = await db
      .selectFrom('billing_presence')
      .select(['person', concatSpans(db).as('spans')])
      .where('workspace_id', '=', range.workspaceId)
      .where('meter', '=', range.meter)
      .where('bucket', '>=', buckets[0])
      .where('bucket', '<', buckets[1])
      .groupBy('person')
      .execute();
    rows.push(...(rolled as PresenceSpans[]));
  }
  for (const [from, to] of raw) {
    const edge = await rawEvents(db, range, from, to)
      .select(['distinct_key as person', (eb) => eb.fn.min('timestamp').as('first_at'), (eb) => eb.fn.max('timestamp').as('last_at')])
      .where('distinct_key', 'is not', null)
      .groupBy(['distinct_key', halfDaySql('timestamp')])
      .execute();
    for (const row of edge) rows.push({ person: row.person!, spans: `${row.first_at} ${row.last_at}` });
  }
  return rows;
}

export interface TraceCursor {
  timestamp: string;
  id: string;
}

/** Counted events of a meter in a range, from ingestion batches (seqAfter, seqUntil], in time order. */
export function listTracedEvents(
  db: Kysely<Database>,
  range: IngestedRange & { seqAfter: number; seqUntil: number },
  after: TraceCursor | null,
  limit: number,
) {
  let query = rawEvents(db, range, range.from, range.to).selectAll().where('batch_seq', '>', range.seqAfter).where('batch_seq', '<=', range.seqUntil);
  if (after) {
    query = query.where((eb) => eb.or([eb('timestamp', '>', after.timestamp), eb.and([eb('timestamp', '=', after.timestamp), eb('id', '>', after.id)])]));
  }
  return query.orderBy('timestamp').orderBy('id').limit(limit).execute();
}

/** Activity events (optionally of some types) in a range, in time order. */
export function listTracedActivity(
  db: Kysely<Database>,
  workspaceId: string,
  types: readonly string[] | null,
  from: string,
  to: string,
  after: TraceCursor | null,
  limit: number,
) {
  let query = db
    .selectFrom('activity_events')
    .select(['id', 'at', 'type', 'actor_id'])
    .where('workspace_id', '=', workspaceId)
    .where('at', '>=', from)
    .where('at', '<', to);
  if (types) query = query.where('type', 'in', [...types]);
  else query = query.where('actor_id', 'is not', null);
  if (after) {
    query = query.where((eb) => eb.or([eb('at', '>', after.timestamp), eb.and([eb('at', '=', after.timestamp), eb('id', '>', after.id)])]));
  }
  return query.orderBy('at').orderBy('id').limit(limit).execute();
}

/** Workspaces with any engagement (activity or ingested events) in [from, to): who the simulator replays. */
export async function listEngagedWorkspaces(db: Kysely<Database>, from: string, to: string): Promise<string[]> {
  const activity = await db.selectFrom('activity_events').select('workspace_id').distinct().where('at', '>=', from).where('at', '<', to).execute();
  const events = await db
    .selectFrom('billing_rollups')
    .select('workspace_id')
    .distinct()
    .where('hour', '>=', hourOf(from))
    .where('hour', '<=', hourOf(to))
    .execute();
  const subscribed = await db.selectFrom('billing_subscriptions').select('workspace_id').distinct().where('status', '=', 'active').execute();
  return [...new Set([...activity, ...events, ...subscribed].map((row) => row.workspace_id))].sort();
}

import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Engagement billing: custom meters, ingested usage events (unique per workspace forever) with hourly
 * rollups, plans, subscriptions and their plan phases, invoices with their lines and the trace of what
 * each line counted, credit notes, test clocks, per-workspace tax rates, gap-free number counters and
 * an outbox of billing events (`invoice.finalized`). Money and quantities are decimal strings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('billing_meters')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aggregation', 'text', (c) => c.notNull())
    .addColumn('property', 'text')
    // JSON object of property values an event must have to count; null counts every event.
    .addColumn('filter', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_events')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('meter', 'text', (c) => c.notNull())
    // ISO-8601 UTC with milliseconds (`toISOString()`), so text order is time order.
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('properties', 'text')
    // What the meter reads from the event (its value or property), a decimal string; null when it reads none.
    .addColumn('measure', 'text')
    // For unique_count meters (and active_members): the distinct value, typed (`s:abc`, `n:1`).
    .addColumn('distinct_key', 'text')
    // 1 when the event passes the meter's filter and so counts.
    .addColumn('counted', 'integer', (c) => c.notNull())
    // The workspace's ingestion batch number: invoices record the last batch they counted.
    .addColumn('batch_seq', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_events_pk', ['workspace_id', 'id'])
    // SQLite: the primary key is the table (one B-tree less to write per event).
    .$call((table) => (isPostgres(db) ? table : table.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema.createIndex('billing_events_meter_time').on('billing_events').columns(['workspace_id', 'meter', 'timestamp']).execute();

  await db.schema
    .createTable('billing_ingest_state')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('batch_seq', 'integer', (c) => c.notNull())
    .execute();

  // Counted events per workspace, meter and UTC hour: rating and the live estimate read these, not raw events.
  await db.schema
    .createTable('billing_rollups')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('meter', 'text', (c) => c.notNull())
    // `YYYY-MM-DDTHH` (UTC).
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('sum_value', 'text', (c) => c.notNull())
    .addColumn('max_value', 'text')
    .addPrimaryKeyConstraint('billing_rollups_pk', ['workspace_id', 'meter', 'hour'])
    .execute();

  // Who was active when (ingested `active_members` events): per person and UTC half-day, the first and last instant.
  await db.schema
    .createTable('billing_presence')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('meter', 'text', (c) => c.notNull())
    // `YYYY-MM-DDT0` (00:00–12:00 UTC) or `YYYY-MM-DDT1` (12:00–24:00).
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_presence_pk', ['workspace_id', 'meter', 'bucket', 'person'])
    .execute();

  // Distinct values of unique_count meters: per value and UTC month, which half-days it was seen in
  // (bits 0–30 and 31–61 of the month's half-days), so a period reads one row per value and month.
  await db.schema
    .createTable('billing_distinct_months')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('meter', 'text', (c) => c.notNull())
    // `YYYY-MM` (UTC).
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('mask_lo', 'integer', (c) => c.notNull())
    .addColumn('mask_hi', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_distinct_months_pk', ['workspace_id', 'meter', 'month', 'value'])
    .execute();

  await db.schema
    .createTable('billing_plans')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('interval', 'text', (c) => c.notNull())
    // JSON: the whole plan as created (plans are immutable, so old invoices re-rate the same).
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_test_clocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('frozen_time', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_workspace_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('tax_rate', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('anchor', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('trial_end', 'text')
    .addColumn('test_clock_id', 'text')
    // The open period: the next one to close.
    .addColumn('current_period_start', 'text', (c) => c.notNull())
    .addColumn('current_period_end', 'text', (c) => c.notNull())
    .addColumn('cancel_at_period_end', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // At most one live subscription per workspace.
  await db.schema
    .createIndex('billing_subscriptions_live_workspace')
    .on('billing_subscriptions')
    .column('workspace_id')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema.createIndex('billing_subscriptions_workspace').on('billing_subscriptions').columns(['workspace_id', 'created_at']).execute();
  await db.schema.createIndex('billing_subscriptions_clock').on('billing_subscriptions').column('test_clock_id').execute();

  // Which plan applied when: a plan change ends one phase and starts the next; trial days are phases too.
  await db.schema
    .createTable('billing_subscription_phases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('plan_code', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('trial', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('billing_phases_subscription').on('billing_subscription_phases').columns(['subscription_id', 'starts_at']).execute();

  await db.schema
    .createTable('billing_invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    // `closing`: a period's invoice, at its end; `opening`: the first in-advance fee, at the start.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.unique())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('subtotal', 'text', (c) => c.notNull())
    .addColumn('tax', 'text', (c) => c.notNull())
    .addColumn('total', 'text', (c) => c.notNull())
    .addColumn('tax_rate', 'text', (c) => c.notNull())
    .addColumn('unapplied_credit', 'text', (c) => c.notNull())
    // Last ingestion batch of the workspace the lines counted.
    .addColumn('event_cutoff', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finalized_at', 'text')
    // One invoice per subscription, period and kind, whatever the number of nodes closing it.
    .addUniqueConstraint('billing_invoices_period', ['subscription_id', 'period_start', 'kind'])
    .execute();
  await db.schema.createIndex('billing_invoices_workspace').on('billing_invoices').columns(['workspace_id', 'period_start']).execute();
  await db.schema.createIndex('billing_invoices_status').on('billing_invoices').columns(['status', 'period_end']).execute();

  await db.schema
    .createTable('billing_invoice_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('meter', 'text')
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('unit_amount', 'text')
    .addColumn('amount', 'text', (c) => c.notNull())
    // JSON: which events the line counted (meter, time range, ingestion batches, activity types).
    .addColumn('trace', 'text')
    // Adjustment lines: the earlier invoice (and its line key) whose late usage they bill.
    .addColumn('adjusts_invoice_id', 'text')
    .addColumn('adjusts_key', 'text')
    .execute();
  await db.schema.createIndex('billing_invoice_lines_invoice').on('billing_invoice_lines').columns(['invoice_id', 'position']).execute();
  await db.schema.createIndex('billing_invoice_lines_adjusts').on('billing_invoice_lines').column('adjusts_invoice_id').execute();

  await db.schema
    .createTable('billing_credit_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('invoice_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('tax', 'text', (c) => c.notNull())
    .addColumn('total', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('billing_credit_notes_invoice').on('billing_credit_notes').column('invoice_id').execute();

  // Gap-free sequences: incremented in the transaction that uses the number.
  await db.schema
    .createTable('billing_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('billing_counters')
    .values([
      { name: 'invoice', value: 0 },
      { name: 'credit_note', value: 0 },
    ])
    .execute();

  // Billing events for later delivery (webhooks): written in the transaction of what they announce.
  await db.schema
    .createTable('billing_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();

  // Built-in meters count activity by type over a time range.
  await db.schema.createIndex('activity_events_workspace_type_at').on('activity_events').columns(['workspace_id', 'type', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}

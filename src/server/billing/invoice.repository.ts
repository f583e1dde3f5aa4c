import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { BillingCreditNotesTable, BillingInvoiceLinesTable, BillingInvoicesTable, Database } from '../db/schema.js';

export type InvoiceRow = BillingInvoicesTable;
export type InvoiceLineRow = BillingInvoiceLinesTable;
export type CreditNoteRow = BillingCreditNotesTable;

/** Inserts the invoice unless its (subscription, period, kind) exists; true when this call created it. */
export async function insertInvoiceIfAbsent(db: Kysely<Database>, row: InvoiceRow): Promise<boolean> {
  const result = await db
    .insertInto('billing_invoices')
    .values(row)
    .onConflict((oc) => oc.columns(['subscription_id', 'period_start', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return Boolean(result);
}

export const findInvoice = (db: Kysely<Database>, id: string) => db.selectFrom('billing_invoices').selectAll().where('id', '=', id).executeTakeFirst();

export const findInvoiceOf = (db: Kysely<Database>, subscriptionId: string, periodStart: string, kind: InvoiceRow['kind']) =>
  db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('period_start', '=', periodStart)
    .where('kind', '=', kind)
    .executeTakeFirst();

/** A workspace's invoices, newest period first (opening before closing within a period). */
export function listWorkspaceInvoices(db: Kysely<Database>, workspaceId: string, after: { periodStart: string; id: string } | null, limit: number) {
  let query = db.selectFrom('billing_invoices').selectAll().where('workspace_id', '=', workspaceId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('period_start', '<', after.periodStart), eb.and([eb('period_start', '=', after.periodStart), eb('id', '<', after.id)])]),
    );
  }
  return query.orderBy('period_start', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export const listDraftInvoices = (db: Kysely<Database>, subscriptionId: string) =>
  db.selectFrom('billing_invoices').selectAll().where('subscription_id', '=', subscriptionId).where('status', '=', 'draft').orderBy('period_start').execute();

/** Finalized closing invoices of the subscription that ended after `endedAfter`, oldest first: the ones late events may still change. */
export const listRecentFinalizedClosing = (db: Kysely<Database>, subscriptionId: string, endedAfter: string, before: string) =>
  db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('kind', '=', 'closing')
    .where('status', '=', 'finalized')
    .where('period_end', '>', endedAfter)
    .where('period_start', '<', before)
    .orderBy('period_start')
    .execute();

/** The subscription's last finalized invoice before `periodStart` (its unapplied credit carries forward). */
export const findPreviousFinalized = (db: Kysely<Database>, subscriptionId: string, periodStart: string) =>
  db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'finalized')
    .where('period_start', '<=', periodStart)
    .orderBy('finalized_at', 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();

/** Numbers of these invoices (null for drafts). */
export const findInvoiceNumbers = (db: Kysely<Database>, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as Array<{ id: string; number: string | null }>)
    : db.selectFrom('billing_invoices').select(['id', 'number']).where('id', 'in', ids).execute();

export const findWorkspaceName = async (db: Kysely<Database>, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst())?.name ?? null;

export const listLines = (db: Kysely<Database>, invoiceIds: string[]) =>
  invoiceIds.length === 0
    ? Promise.resolve([] as InvoiceLineRow[])
    : db.selectFrom('billing_invoice_lines').selectAll().where('invoice_id', 'in', invoiceIds).orderBy('invoice_id').orderBy('position').execute();

export const findLine = (db: Kysely<Database>, invoiceId: string, lineId: string) =>
  db.selectFrom('billing_invoice_lines').selectAll().where('invoice_id', '=', invoiceId).where('id', '=', lineId).executeTakeFirst();

/** Adjustment lines on finalized invoices that bill late usage of these invoices. */
export const listAdjustmentsOf = (db: Kysely<Database>, invoiceIds: string[]) =>
  invoiceIds.length === 0
    ? Promise.resolve([] as InvoiceLineRow[])
    : db
        .selectFrom('billing_invoice_lines as l')
        .innerJoin('billing_invoices as i', 'i.id', 'l.invoice_id')
        .selectAll('l')
        .where('i.status', '=', 'finalized')
        .where('l.adjusts_invoice_id', 'in', invoiceIds)
        .execute();

export async function replaceLines(db: Kysely<Database>, invoiceId: string, lines: InvoiceLineRow[]): Promise<void> {
  await db.deleteFrom('billing_invoice_lines').where('invoice_id', '=', invoiceId).execute();
  for (let start = 0; start < lines.length; start += 200)
    await db
      .insertInto('billing_invoice_lines')
      .values(lines.slice(start, start + 200))
      .execute();
}

/** Takes the draft for this transaction; false when it is no longer a draft (another node finalized it). */
export async function claimDraft(db: Kysely<Database>, id: string, updatedAt: string): Promise<boolean> {
  const result = await db.updateTable('billing_invoices').set({ updated_at: updatedAt }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export const updateInvoice = (db: Kysely<Database>, id: string, fields: Partial<InvoiceRow>) =>
  db.updateTable('billing_invoices').set(fields).where('id', '=', id).execute();

/** Next value of a gap-free sequence; the row lock holds other writers until this transaction ends. */
export async function nextCounter(db: Kysely<Database>, name: 'invoice' | 'credit_note'): Promise<number> {
  const row = await db
    .updateTable('billing_counters')
    .set({ value: sql`value + 1` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export const insertCreditNote = (db: Kysely<Database>, row: CreditNoteRow) => db.insertInto('billing_credit_notes').values(row).execute();

export const listCreditNotes = (db: Kysely<Database>, invoiceIds: string[]) =>
  invoiceIds.length === 0
    ? Promise.resolve([] as CreditNoteRow[])
    : db.selectFrom('billing_credit_notes').selectAll().where('invoice_id', 'in', invoiceIds).orderBy('number').execute();

export const insertOutboxEvent = (db: Kysely<Database>, row: { id: string; type: string; workspace_id: string; payload: string; created_at: string }) =>
  db
    .insertInto('billing_outbox')
    .values({ ...row, delivered_at: null })
    .execute();

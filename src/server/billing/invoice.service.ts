/**
 * Invoices: drafts (re-rated until final), finalization (claim, rate, number, announce — one
 * transaction), reading, the events behind a line, credit notes and the printable view.
 */
import { Decimal } from '../../core/billing/decimal.js';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.js';
import { formatMoney, roundMoney } from '../../core/billing/money.js';
import type { CreditNoteView, InvoiceView, TraceEventView } from '../../core/schemas/billing.js';
import type { Page } from '../../core/schemas/common.js';
import type { AppContext } from '../context.js';
import { cursorText, decodeCursorAs } from '../http/cursor.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/unit-of-work.js';
import { newId } from '../ids.js';
import type { BillingAccess } from './billing-access.js';
import type { BillingTime } from './billing-time.js';
import {
  claimDraft,
  findInvoice,
  findLine,
  findWorkspaceName,
  insertCreditNote,
  insertInvoiceIfAbsent,
  insertOutboxEvent,
  listCreditNotes,
  listLines,
  listWorkspaceInvoices,
  nextCounter,
  replaceLines,
  updateInvoice,
  type CreditNoteRow,
  type InvoiceLineRow,
  type InvoiceRow,
} from './invoice.repository.js';
import { renderInvoiceHtml } from './invoice-html.js';
import { findSubscriptionClockTime } from './test-clock.repository.js';
import { invoiceNumber, type LineTrace, type RatedPeriod, type RatingService } from './rating.service.js';
import { findSubscription, listPhases, listSubscriptionTimezones, type SubscriptionRow } from './subscription.repository.js';
import { listTracedActivity, listTracedEvents, lockIngestion, type TraceCursor } from './usage.repository.js';
import type { BillingPeriod } from '../../core/billing/periods.js';
import type { PlanView } from '../../core/schemas/billing.js';

export interface InvoiceFinalizedEvent {
  type: 'invoice.finalized';
  invoiceId: string;
  workspaceId: string;
  number: string;
  total: string;
  currency: string;
}

function toLineRows(invoiceId: string, rated: RatedPeriod, previous: InvoiceLineRow[]): InvoiceLineRow[] {
  const idOf = new Map(previous.map((line) => [line.key, line.id]));
  return rated.lines.map((line, position) => ({
    id: idOf.get(line.key) ?? newId(),
    invoice_id: invoiceId,
    position,
    key: line.key,
    kind: line.kind,
    description: line.description,
    meter: line.meter ?? null,
    quantity: line.quantity,
    unit_amount: line.unitAmount ?? null,
    amount: line.amount,
    trace: line.trace ? JSON.stringify(line.trace) : null,
    adjusts_invoice_id: line.adjustsInvoiceId,
    adjusts_key: line.adjustsKey,
  }));
}

const toCreditNoteView = (row: CreditNoteRow): CreditNoteView => ({
  id: row.id,
  number: row.number,
  invoiceId: row.invoice_id,
  currency: row.currency,
  amount: row.amount,
  tax: row.tax,
  total: row.total,
  reason: row.reason,
  createdAt: row.created_at,
});

/** `timezone`: the invoice's subscription's, in which its period and lines are cut. */
export function toInvoiceView(row: InvoiceRow, lines: InvoiceLineRow[], creditNotes: CreditNoteRow[], timezone: string): InvoiceView {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    kind: row.kind,
    workspaceId: row.workspace_id,
    subscriptionId: row.subscription_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    timezone,
    currency: row.currency,
    subtotal: row.subtotal,
    tax: row.tax,
    taxRate: row.tax_rate,
    total: row.total,
    unappliedCredit: row.unapplied_credit,
    finalizedAt: row.finalized_at,
    lines: lines.map((line) => ({
      id: line.id,
      kind: line.kind,
      description: line.description,
      ...(line.meter !== null && { meter: line.meter }),
      quantity: line.quantity,
      ...(line.unit_amount !== null && { unitAmount: line.unit_amount }),
      amount: line.amount,
    })),
    creditNotes: creditNotes.map(toCreditNoteView),
  };
}

const encodeCursor = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const invoicesCursor = z.strictObject({ periodStart: cursorText, id: cursorText });
const traceCursor = z.strictObject({ source: z.enum(['event', 'activity']), timestamp: cursorText, id: cursorText });

export function createInvoiceService(ctx: Pick<AppContext, 'db' | 'clock' | 'log'>, rating: RatingService, access: BillingAccess, time: BillingTime) {
  const { db, clock, log } = ctx;
  const listeners: Array<(event: InvoiceFinalizedEvent) => void> = [];

  async function load(invoiceId: string) {
    const row = await findInvoice(db.kysely, invoiceId);
    if (!row) throw notFound('Invoice');
    return row;
  }

  async function viewOf(row: InvoiceRow): Promise<InvoiceView> {
    const [lines, notes, zones] = await Promise.all([
      listLines(db.kysely, [row.id]),
      listCreditNotes(db.kysely, [row.id]),
      listSubscriptionTimezones(db.kysely, [row.subscription_id]),
    ]);
    return toInvoiceView(row, lines, notes, timezoneOf(zones, row));
  }

  function timezoneOf(zones: Array<{ id: string; timezone: string }>, row: InvoiceRow): string {
    const zone = zones.find((subscription) => subscription.id === row.subscription_id);
    if (!zone) throw new Error(`Subscription ${row.subscription_id} of invoice ${row.id} is missing`);
    return zone.timezone;
  }

  async function subscriptionOf(
    tx: Kysely<Database>,
    invoice: InvoiceRow,
  ): Promise<{ subscription: SubscriptionRow; phases: Awaited<ReturnType<typeof listPhases>> }> {
    const subscription = await findSubscription(tx, invoice.subscription_id);
    if (!subscription) throw new Error(`Subscription ${invoice.subscription_id} of invoice ${invoice.id} is missing`);
    return { subscription, phases: await listPhases(tx, subscription.id) };
  }

  /**
   * When a credit note is issued: on a test clock, the clock's time, as the invoice it corrects was: the
   * clock of the invoice's own subscription, which may have ended since (read in `tx`); else the workspace's.
   */
  async function creditNoteTime(tx: Kysely<Database>, invoice: InvoiceRow): Promise<string> {
    const frozen = await findSubscriptionClockTime(tx, invoice.subscription_id);
    return frozen ? new Date(frozen).toISOString() : (await time.nowFor(invoice.workspace_id, tx)).toISOString();
  }

  function totalsOf(rated: RatedPeriod) {
    return {
      subtotal: rated.subtotal,
      tax: rated.tax,
      total: rated.total,
      tax_rate: rated.taxRate,
      unapplied_credit: rated.unappliedCredit,
      event_cutoff: rated.cutoff,
    };
  }

  /** Re-rates a draft with what is known now (late events land here until it is final). */
  async function refreshDraft(invoiceId: string): Promise<void> {
    await inTransaction(db, async ({ tx }) => {
      if (!(await claimDraft(tx, invoiceId, clock.now().toISOString()))) return;
      const invoice = (await findInvoice(tx, invoiceId))!;
      if (invoice.kind !== 'closing') return;
      const { subscription, phases } = await subscriptionOf(tx, invoice);
      const rated = await rating.rateClosing(tx, subscription, phases, invoice);
      await replaceLines(tx, invoice.id, toLineRows(invoice.id, rated, await listLines(tx, [invoice.id])));
      await updateInvoice(tx, invoice.id, totalsOf(rated));
    });
  }

  return {
    refreshDraft,

    onInvoiceFinalized(listener: (event: InvoiceFinalizedEvent) => void): void {
      listeners.push(listener);
    },

    /** Creates the draft closing invoice of a period (if no node has yet) and rates it; inside the caller's transaction. */
    async createDraft(tx: Kysely<Database>, subscription: SubscriptionRow, period: BillingPeriod, currency: string): Promise<void> {
      const now = clock.now().toISOString();
      const row: InvoiceRow = {
        id: newId(),
        workspace_id: subscription.workspace_id,
        subscription_id: subscription.id,
        kind: 'closing',
        period_start: period.start,
        period_end: period.end,
        status: 'draft',
        number: null,
        currency,
        subtotal: '0',
        tax: '0',
        total: '0',
        tax_rate: '0',
        unapplied_credit: '0',
        event_cutoff: 0,
        created_at: now,
        updated_at: now,
        finalized_at: null,
      };
      if (!(await insertInvoiceIfAbsent(tx, row))) return;
      // The period closes (and a cancelled subscription ends) with the usage stored so far, read under the ingestion lock.
      await lockIngestion(tx, subscription.workspace_id);
      const phases = await listPhases(tx, subscription.id);
      const rated = await rating.rateClosing(tx, subscription, phases, row);
      await replaceLines(tx, row.id, toLineRows(row.id, rated, []));
      await updateInvoice(tx, row.id, totalsOf(rated));
    },

    /**
     * Finalizes a draft exactly once, whatever the number of nodes trying: the conditional claim lets one
     * transaction through; the number comes from a counter row updated in that same transaction, so a
     * crash rolls both back and numbers never skip. Returns false when another node had it.
     */
    async finalizeDraft(invoiceId: string, finalizedAt: string): Promise<boolean> {
      let event: InvoiceFinalizedEvent | null = null;
      const done = await inTransaction(
        db,
        async ({ tx, afterCommit }) => {
          if (!(await claimDraft(tx, invoiceId, clock.now().toISOString()))) return false;
          const invoice = (await findInvoice(tx, invoiceId))!;
          // Before any usage is read: a batch being stored commits first and is billed here; one checked before this
          // commits, and stored after, finds the invoice final and is refused (a cancelled subscription's last invoice).
          await lockIngestion(tx, invoice.workspace_id);
          const { subscription, phases } = await subscriptionOf(tx, invoice);
          const number = invoiceNumber(await nextCounter(tx, 'invoice'));
          // Rated as the invoice it is about to become (its number orders it after every earlier one).
          const rated = await rating.rateClosing(tx, subscription, phases, { ...invoice, number });
          await replaceLines(tx, invoice.id, toLineRows(invoice.id, rated, await listLines(tx, [invoice.id])));
          await updateInvoice(tx, invoice.id, { ...totalsOf(rated), status: 'finalized', number, finalized_at: finalizedAt, updated_at: finalizedAt });
          event = { type: 'invoice.finalized', invoiceId, workspaceId: invoice.workspace_id, number, total: rated.total, currency: invoice.currency };
          await insertOutboxEvent(tx, {
            id: newId(),
            type: 'invoice.finalized',
            workspace_id: invoice.workspace_id,
            payload: JSON.stringify(event),
            created_at: finalizedAt,
          });
          afterCommit(() => {
            for (const listener of listeners) listener(event!);
          });
          return true;
        },
        (error) => log.error({ err: error }, 'invoice.finalized listener failed'),
      );
      return done;
    },

    /** The opening invoice of an in-advance plan (its first fee), final at once; inside the caller's transaction. */
    async createOpeningInvoice(tx: Kysely<Database>, subscription: SubscriptionRow, plan: PlanView, period: BillingPeriod, taxRate: string, at: string) {
      const rated = await rating.rateOpening(tx, subscription, plan, period, taxRate);
      if (rated.lines.length === 0) return;
      const row: InvoiceRow = {
        id: newId(),
        workspace_id: subscription.workspace_id,
        subscription_id: subscription.id,
        kind: 'opening',
        period_start: period.start,
        period_end: period.end,
        status: 'draft',
        number: null,
        currency: plan.currency,
        ...totalsOf(rated),
        created_at: at,
        updated_at: at,
        finalized_at: null,
      };
      if (!(await insertInvoiceIfAbsent(tx, row))) return;
      await replaceLines(tx, row.id, toLineRows(row.id, rated, []));
      const number = invoiceNumber(await nextCounter(tx, 'invoice'));
      await updateInvoice(tx, row.id, { status: 'finalized', number, finalized_at: at });
      const event = { type: 'invoice.finalized', invoiceId: row.id, workspaceId: row.workspace_id, number, total: rated.total, currency: row.currency };
      await insertOutboxEvent(tx, { id: newId(), type: 'invoice.finalized', workspace_id: row.workspace_id, payload: JSON.stringify(event), created_at: at });
    },

    async getInvoice(userId: string, invoiceId: string): Promise<InvoiceView> {
      let row = await load(invoiceId);
      await access.requireWorkspaceBilling(userId, row.workspace_id).catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'not_found' ? notFound('Invoice') : error;
      });
      if (row.status === 'draft') {
        await refreshDraft(row.id);
        row = await load(invoiceId);
      }
      return viewOf(row);
    },

    async listInvoices(userId: string, workspaceId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<InvoiceView>> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      const after = decodeCursorAs(query.cursor || undefined, invoicesCursor);
      let rows = await listWorkspaceInvoices(db.kysely, workspaceId, after, query.limit + 1);
      // Drafts show what is known now.
      const drafts = rows.filter((row) => row.status === 'draft');
      if (drafts.length > 0) {
        for (const draft of drafts) await refreshDraft(draft.id);
        rows = await listWorkspaceInvoices(db.kysely, workspaceId, after, query.limit + 1);
      }
      const page = rows.slice(0, query.limit);
      const ids = page.map((row) => row.id);
      const [lines, notes, zones] = await Promise.all([
        listLines(db.kysely, ids),
        listCreditNotes(db.kysely, ids),
        listSubscriptionTimezones(db.kysely, [...new Set(page.map((row) => row.subscription_id))]),
      ]);
      const last = page.at(-1);
      return {
        items: page.map((row) =>
          toInvoiceView(
            row,
            lines.filter((line) => line.invoice_id === row.id),
            notes.filter((note) => note.invoice_id === row.id),
            timezoneOf(zones, row),
          ),
        ),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ periodStart: last.period_start, id: last.id }) : null,
      };
    },

    /** The events a line counted: ingested events of its meter and batches, then the activity it read. */
    async listLineEvents(
      userId: string,
      invoiceId: string,
      lineId: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<Page<TraceEventView>> {
      const invoice = await load(invoiceId);
      await access.requireWorkspaceBilling(userId, invoice.workspace_id).catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'not_found' ? notFound('Invoice') : error;
      });
      const line = await findLine(db.kysely, invoiceId, lineId);
      if (!line) throw notFound('Invoice line');
      const trace = line.trace ? (JSON.parse(line.trace) as LineTrace) : null;
      if (!trace || !trace.meter) return { items: [], nextCursor: null };
      const cursor = decodeCursorAs(query.cursor || undefined, traceCursor);
      const items: TraceEventView[] = [];
      let next: ({ source: 'event' | 'activity' } & TraceCursor) | null = null;
      if (!cursor || cursor.source === 'event') {
        const rows = await listTracedEvents(
          db.kysely,
          { workspaceId: invoice.workspace_id, meter: trace.meter, from: trace.from, to: trace.to, seqAfter: trace.seqAfter, seqUntil: trace.seqUntil },
          cursor,
          query.limit + 1,
        );
        for (const row of rows.slice(0, query.limit)) {
          items.push({
            source: 'event',
            id: row.id,
            timestamp: row.timestamp,
            meter: row.meter,
            value: row.value,
            properties: row.properties ? (JSON.parse(row.properties) as Record<string, unknown>) : null,
          });
        }
        if (rows.length > query.limit) next = { source: 'event', timestamp: rows[query.limit - 1]!.timestamp, id: rows[query.limit - 1]!.id };
        else if (trace.activity && trace.seqAfter === 0) next = { source: 'activity', timestamp: '', id: '' };
      }
      const room = query.limit - items.length;
      if (next?.source === 'activity' && cursor?.source !== 'activity' && room > 0) {
        // Fill the rest of this page with activity.
        next = null;
        const rows = await listTracedActivity(db.kysely, invoice.workspace_id, trace.activity!.types, trace.activity!.from, trace.to, null, room + 1);
        for (const row of rows.slice(0, room)) items.push({ source: 'activity', id: row.id, timestamp: row.at, type: row.type, actorId: row.actor_id });
        if (rows.length > room) next = { source: 'activity', timestamp: rows[room - 1]!.at, id: rows[room - 1]!.id };
      } else if (cursor?.source === 'activity' && trace.activity) {
        const after = cursor.timestamp ? cursor : null;
        const rows = await listTracedActivity(db.kysely, invoice.workspace_id, trace.activity.types, trace.activity.from, trace.to, after, query.limit + 1);
        for (const row of rows.slice(0, query.limit)) items.push({ source: 'activity', id: row.id, timestamp: row.at, type: row.type, actorId: row.actor_id });
        if (rows.length > query.limit) next = { source: 'activity', timestamp: rows[query.limit - 1]!.at, id: rows[query.limit - 1]!.id };
      }
      return { items, nextCursor: next ? encodeCursor(next) : null };
    },

    /** A correction of a finalized invoice: never an edit, a numbered credit note (before tax, tax at the invoice's rate). */
    async createCreditNote(userId: string, invoiceId: string, body: { amount: string; reason: string }): Promise<CreditNoteView> {
      await access.requireAdmin(userId);
      return inTransaction(db, async ({ tx }) => {
        // Numbered first (a write before any read); a refusal below rolls the number back with everything else.
        const number = `CN-${String(await nextCounter(tx, 'credit_note')).padStart(8, '0')}`;
        const invoice = await findInvoice(tx, invoiceId);
        if (!invoice) throw notFound('Invoice');
        if (invoice.status !== 'finalized') throw new AppError('unprocessable', 'Only a finalized invoice takes credit notes; a draft is still being rated');
        const amount = roundMoney(body.amount, invoice.currency);
        // Bounded and taxed as a whole: the notes of an invoice credit at most its subtotal, and their tax is the
        // tax of what they credit together, so crediting everything in any number of notes gives back exactly the
        // invoice's tax (each note's tax rounded alone could exceed the subtotal in net, or fall a cent short in tax).
        const notes = await listCreditNotes(tx, [invoice.id]);
        const creditedNet = notes.reduce((sum, note) => sum.plus(note.amount), new Decimal(0));
        const creditedTax = notes.reduce((sum, note) => sum.plus(note.tax), new Decimal(0));
        if (amount.isZero() || creditedNet.plus(amount).gt(invoice.subtotal)) {
          throw new AppError(
            'unprocessable',
            `A credit note can credit at most what is left of the invoice: ${formatMoney(new Decimal(invoice.subtotal).minus(creditedNet), invoice.currency)} before tax`,
            {
              errors: [{ field: 'amount', message: 'is more than the invoice has left to credit' }],
            },
          );
        }
        const tax = Decimal.max(0, roundMoney(creditedNet.plus(amount).times(invoice.tax_rate), invoice.currency).minus(creditedTax));
        const row: CreditNoteRow = {
          id: newId(),
          number,
          invoice_id: invoice.id,
          workspace_id: invoice.workspace_id,
          currency: invoice.currency,
          amount: formatMoney(amount, invoice.currency),
          tax: formatMoney(tax, invoice.currency),
          total: formatMoney(amount.plus(tax), invoice.currency),
          reason: body.reason,
          created_by: userId,
          created_at: await creditNoteTime(tx, invoice),
        };
        await insertCreditNote(tx, row);
        await insertOutboxEvent(tx, {
          id: newId(),
          type: 'credit_note.created',
          workspace_id: invoice.workspace_id,
          payload: JSON.stringify({
            type: 'credit_note.created',
            creditNoteId: row.id,
            invoiceId: invoice.id,
            number,
            total: row.total,
            currency: row.currency,
          }),
          created_at: row.created_at,
        });
        return toCreditNoteView(row);
      });
    },

    async renderInvoice(userId: string, invoiceId: string): Promise<string> {
      const view = await this.getInvoice(userId, invoiceId);
      return renderInvoiceHtml(view, (await findWorkspaceName(db.kysely, view.workspaceId)) ?? '');
    },

    /** Re-rates an invoice from the stored facts, without saving: the same lines as stored unless events arrived late. */
    async rerateInvoice(invoiceId: string): Promise<RatedPeriod> {
      const invoice = await load(invoiceId);
      const { subscription, phases } = await subscriptionOf(db.kysely, invoice);
      if (invoice.kind === 'opening') {
        const plan = await rating.planOf(phases[0]!.plan_code);
        return rating.rateOpening(db.kysely, subscription, plan, await rating.periodAt(subscription, phases, invoice.period_start), invoice.tax_rate);
      }
      return rating.rateClosing(db.kysely, subscription, phases, invoice);
    },
  };
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;

/**
 * Rating on the server: measures each meter over each plan phase of a period (the meters' SQL), then
 * hands quantities to the pure composer in core. Everything an invoice says is recomputed from stored
 * facts — events, activity, immutable plans, phases — so re-rating a period gives the same lines.
 */
import { Decimal } from '../../core/billing/decimal.js';
import type { Kysely } from 'kysely';
import { defaultActivityWindowDays } from '../../core/billing/active-members.js';
import type { ExtraLine } from '../../core/billing/invoice.js';
import { isCumulativeAggregation } from '../../core/billing/aggregations.js';
import { composePeriodInvoice, cumulativeSlice, type InvoiceSegment, type PeriodInvoice, type PeriodInvoiceLine } from '../../core/billing/period-invoice.js';
import { nextPeriod, periodContaining, periodLocalDates, prorationFactor, type BillingPeriod, type SubscriptionSchedule } from '../../core/billing/periods.js';
import type { PlanView } from '../../core/schemas/billing.js';
import type { Database } from '../db/schema.js';
import { findTaxRate } from './billing-settings.repository.js';
import {
  findInvoiceNumbers,
  findPreviousFinalized,
  listAdjustmentsOf,
  listDraftInvoices,
  listLines,
  listRecentFinalizedClosing,
  type InvoiceLineRow,
  type InvoiceRow,
} from './invoice.repository.js';
import type { MeterService } from './meter.service.js';
import type { PlanService } from './plan.service.js';
import type { PhaseRow, SubscriptionRow } from './subscription.repository.js';
import { currentBatchSeq } from './usage.repository.js';

/** Which events a line counted: the meter's ingested events in a range and batches, and activity when it reads the log. */
export interface LineTrace {
  meter: string;
  from: string;
  to: string;
  seqAfter: number;
  seqUntil: number;
  activity: { types: readonly string[] | null; from: string } | null;
  /** For negative lines: the amount asked for before the subtotal floor. */
  requested?: string;
}

export interface RatedLine extends PeriodInvoiceLine {
  trace: LineTrace | null;
  adjustsInvoiceId: string | null;
  adjustsKey: string | null;
}

export interface RatedPeriod extends Omit<PeriodInvoice, 'lines'> {
  lines: RatedLine[];
  period: BillingPeriod;
  quantities: Record<string, string>;
  cutoff: number;
  taxRate: string;
}

export interface PlanSegment {
  plan: PlanView;
  from: string;
  to: string;
  trial: boolean;
}

const dayMs = 86_400_000;
/** Late events are accepted 35 days back: invoices that ended longer ago than this cannot change any more. */
const lateEventHorizonMs = 70 * dayMs;

export function scheduleOf(subscription: SubscriptionRow, interval: SubscriptionSchedule['interval']): SubscriptionSchedule {
  return { startAt: subscription.start_at, interval, anchor: subscription.anchor, timezone: subscription.timezone };
}

export function phaseAt(phases: readonly PhaseRow[], instant: string): PhaseRow | undefined {
  return phases.find((phase) => phase.starts_at <= instant && (phase.ends_at === null || phase.ends_at > instant));
}

/** Invoice number `INV-00000042` from its sequence value, and back. */
export const invoiceNumber = (value: number) => `INV-${String(value).padStart(8, '0')}`;
export const invoiceSequence = (number: string | null) => (number ? Number(number.slice(4)) : Number.POSITIVE_INFINITY);

export function createRatingService(deps: { meters: MeterService; plans: PlanService }) {
  const { meters, plans } = deps;

  /** `db` is the transaction when there is one (see `PlanService.findPlan`). */
  async function planOf(code: string, db?: Kysely<Database>): Promise<PlanView> {
    const plan = await plans.findPlan(code, db);
    if (!plan) throw new Error(`Plan ${code} of a subscription phase is missing`);
    return plan;
  }

  async function intervalOf(phases: readonly PhaseRow[], db?: Kysely<Database>): Promise<SubscriptionSchedule['interval']> {
    const first = phases[0];
    if (!first) throw new Error('A subscription has at least one phase');
    return (await planOf(first.plan_code, db)).interval;
  }

  /** The period of the subscription containing `instant`. */
  async function periodAt(subscription: SubscriptionRow, phases: readonly PhaseRow[], instant: string, db?: Kysely<Database>): Promise<BillingPeriod> {
    return periodContaining(scheduleOf(subscription, await intervalOf(phases, db)), instant);
  }

  /** Phases clipped to the period (and to the subscription's end). */
  async function segmentsOf(subscription: SubscriptionRow, phases: readonly PhaseRow[], period: BillingPeriod, db?: Kysely<Database>): Promise<PlanSegment[]> {
    const segments: PlanSegment[] = [];
    for (const phase of phases) {
      const from = phase.starts_at > period.start ? phase.starts_at : period.start;
      let to = phase.ends_at !== null && phase.ends_at < period.end ? phase.ends_at : period.end;
      if (subscription.ended_at !== null && subscription.ended_at < to) to = subscription.ended_at;
      if (from < to) segments.push({ plan: await planOf(phase.plan_code, db), from, to, trial: phase.trial === 1 });
    }
    return segments;
  }

  /**
   * Quantity of every meter a plan charges, over [from, to) of the period. With `billingFrom` (where billing
   * starts in the period, before `from`), meters that do not add up (`isCumulativeAggregation`) are measured
   * from there, and `billedBefore` says where their tiers continue (`cumulativeSlice`).
   */
  async function measure(db: Kysely<Database>, workspaceId: string, plan: PlanView, period: BillingPeriod, from: string, to: string, billingFrom = from) {
    const quantities: Record<string, Decimal> = {};
    const billedBefore: Record<string, Decimal> = {};
    const names: Record<string, string> = {};
    const traces: Record<string, Omit<LineTrace, 'seqAfter' | 'seqUntil'>> = {};
    for (const charge of plan.charges) {
      const meter = await meters.requireMeter(charge.meter, db);
      const ctx = {
        db,
        workspaceId,
        period,
        from,
        to,
        activeMembersWindowDays: plan.activeMembersWindowDays ?? defaultActivityWindowDays,
      };
      let traced = ctx;
      if (billingFrom < from && isCumulativeAggregation(meter.aggregation)) {
        traced = { ...ctx, from: billingFrom };
        const slice = cumulativeSlice(await meter.quantity({ ...ctx, from: billingFrom, to: from }), await meter.quantity(traced));
        quantities[charge.meter] = slice.quantity;
        billedBefore[charge.meter] = slice.billedBefore;
      } else {
        quantities[charge.meter] = await meter.quantity(ctx);
      }
      names[charge.meter] = meter.name;
      const source = meter.traceSource(traced);
      traces[charge.meter] = { meter: meter.code, from: source.eventsFrom, to, activity: source.activity };
    }
    return { quantities, billedBefore, names, traces };
  }

  interface RateOptions {
    /** Bill the next period's in-advance fee (closing invoices; the live estimate unless cancelling). */
    includeNextAdvance: boolean;
    extraLines: ExtraLine[];
    extraMeta: Map<string, { adjustsInvoiceId: string; adjustsKey: string; trace: LineTrace | null }>;
    taxRate: string;
    cutoff: number;
  }

  /** Rates one period of a subscription: its phases' usage and fees, then the extra lines. */
  async function ratePeriod(
    db: Kysely<Database>,
    subscription: SubscriptionRow,
    phases: readonly PhaseRow[],
    period: BillingPeriod,
    options: RateOptions,
  ): Promise<RatedPeriod> {
    const planSegments = await segmentsOf(subscription, phases, period, db);
    const segments: InvoiceSegment[] = [];
    const segmentTraces: Array<Record<string, Omit<LineTrace, 'seqAfter' | 'seqUntil'>>> = [];
    const meterNames: Record<string, string> = {};
    const totals: Record<string, Decimal> = {};
    // Trial days use none of the period's allowance: billing starts with the first slice after them.
    const billingFrom = planSegments.find((segment) => !segment.trial)?.from;
    for (const segment of planSegments) {
      const measured = segment.trial
        ? { quantities: {}, billedBefore: {}, names: {}, traces: {} }
        : await measure(db, subscription.workspace_id, segment.plan, period, segment.from, segment.to, billingFrom);
      segments.push({
        plan: segment.plan,
        from: segment.from,
        to: segment.to,
        trial: segment.trial,
        quantities: measured.quantities,
        billedBefore: measured.billedBefore,
      });
      segmentTraces.push(measured.traces);
      Object.assign(meterNames, measured.names);
      for (const [meter, quantity] of Object.entries(measured.quantities)) totals[meter] = (totals[meter] ?? new Decimal(0)).plus(quantity);
    }

    const atStart = phaseAt(phases, period.start);
    const startPlan = atStart ? await planOf(atStart.plan_code, db) : null;
    const billedInAdvance =
      atStart && startPlan && atStart.trial === 0 && startPlan.payInAdvance && !(subscription.ended_at !== null && subscription.ended_at <= period.start)
        ? { plan: startPlan, share: prorationFactor(period, period.start) }
        : null;

    let nextAdvance: { plan: PlanView; period: BillingPeriod; share: Decimal } | null = null;
    const continues = subscription.ended_at === null || subscription.ended_at > period.end;
    if (options.includeNextAdvance && continues) {
      const atEnd = phaseAt(phases, period.end);
      const endPlan = atEnd ? await planOf(atEnd.plan_code, db) : null;
      if (atEnd && endPlan && atEnd.trial === 0 && endPlan.payInAdvance) {
        const next = nextPeriod(scheduleOf(subscription, endPlan.interval), period);
        nextAdvance = { plan: endPlan, period: next, share: prorationFactor(next, next.start) };
      }
    }

    const currency = (planSegments[0]?.plan ?? startPlan)?.currency ?? 'USD';
    const composed = composePeriodInvoice({
      period,
      segments,
      billedInAdvance,
      nextAdvance,
      extraLines: options.extraLines,
      currency,
      taxRate: new Decimal(options.taxRate),
      meterNames,
    });

    const lines: RatedLine[] = composed.lines.map((line) => {
      const meta = line.key.startsWith('extra:') ? options.extraMeta.get(line.key.slice('extra:'.length)) : undefined;
      const usageTrace =
        line.kind === 'usage' && line.meter !== undefined && line.segment !== undefined ? segmentTraces[line.segment]?.[line.meter] : undefined;
      let trace: LineTrace | null = meta?.trace ?? (usageTrace ? { ...usageTrace, seqAfter: 0, seqUntil: options.cutoff } : null);
      if (line.requestedAmount !== undefined && line.requestedAmount !== line.amount) {
        trace = { ...(trace ?? { meter: '', from: period.start, to: period.end, seqAfter: 0, seqUntil: 0, activity: null }), requested: line.requestedAmount };
      }
      return { ...line, trace, adjustsInvoiceId: meta?.adjustsInvoiceId ?? null, adjustsKey: meta?.adjustsKey ?? null };
    });
    return {
      ...composed,
      lines,
      period,
      quantities: Object.fromEntries(Object.entries(totals).map(([meter, quantity]) => [meter, quantity.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed()])),
      cutoff: options.cutoff,
      taxRate: options.taxRate,
    };
  }

  /** What a line asked for (negative lines may have been floored at a zero subtotal). */
  const requestedOf = (line: { amount: string; trace: string | LineTrace | null }) => {
    const trace = typeof line.trace === 'string' ? (JSON.parse(line.trace) as LineTrace) : line.trace;
    return new Decimal(trace?.requested ?? line.amount);
  };

  /**
   * Late usage: re-rates the subscription's recent finalized periods with every event received since,
   * and returns one adjustment line per line whose amount changed (net of earlier adjustments).
   * Only adjustments finalized before `invoice` count, so re-rating `invoice` later gives the same lines.
   */
  async function lateUsage(
    db: Kysely<Database>,
    subscription: SubscriptionRow,
    phases: readonly PhaseRow[],
    invoice: Pick<InvoiceRow, 'id' | 'period_start' | 'number'>,
    cutoff: number,
  ) {
    const extraLines: ExtraLine[] = [];
    const extraMeta: RateOptions['extraMeta'] = new Map();
    const horizon = new Date(Date.parse(invoice.period_start) - lateEventHorizonMs).toISOString();
    const sequence = invoiceSequence(invoice.number);
    const prior = (await listRecentFinalizedClosing(db, subscription.id, horizon, invoice.period_start)).filter(
      (row) => row.id !== invoice.id && invoiceSequence(row.number) < sequence,
    );
    if (prior.length === 0) return { extraLines, extraMeta };
    const priorIds = prior.map((row) => row.id);
    const billedLines = await listLines(db, priorIds);
    const adjustmentLines = await listAdjustmentsOf(db, priorIds);
    const adjustingInvoices = new Map<string, number>();
    for (const line of adjustmentLines) adjustingInvoices.set(line.invoice_id, -1);
    // Sequence numbers of the invoices carrying adjustments, to keep only those finalized before this one.
    const carriers = await findInvoiceNumbers(db, [...adjustingInvoices.keys()]);
    for (const carrier of carriers) adjustingInvoices.set(carrier.id, invoiceSequence(carrier.number));

    for (const earlier of prior) {
      const period = await periodAt(subscription, phases, earlier.period_start, db);
      const rerated = await ratePeriod(db, subscription, phases, period, {
        includeNextAdvance: false,
        extraLines: [],
        extraMeta: new Map(),
        taxRate: '0',
        cutoff,
      });
      const billed = new Map<string, Decimal>();
      const lastSeq = new Map<string, number>();
      const descriptions = new Map<string, RatedLine | InvoiceLineRow>();
      for (const line of billedLines) {
        if (line.invoice_id !== earlier.id || line.key.startsWith('extra:') || line.key.startsWith('next:')) continue;
        billed.set(line.key, (billed.get(line.key) ?? new Decimal(0)).plus(requestedOf(line)));
        descriptions.set(line.key, line);
      }
      for (const line of adjustmentLines) {
        if (line.adjusts_invoice_id !== earlier.id || line.adjusts_key === null) continue;
        if ((adjustingInvoices.get(line.invoice_id) ?? Number.POSITIVE_INFINITY) >= sequence) continue;
        billed.set(line.adjusts_key, (billed.get(line.adjusts_key) ?? new Decimal(0)).plus(requestedOf(line)));
        const trace = line.trace ? (JSON.parse(line.trace) as LineTrace) : null;
        if (trace) lastSeq.set(line.adjusts_key, Math.max(lastSeq.get(line.adjusts_key) ?? 0, trace.seqUntil));
      }
      const now = new Map<string, RatedLine>();
      for (const line of rerated.lines) {
        if (line.key.startsWith('extra:') || line.key.startsWith('next:')) continue;
        now.set(line.key, line);
        descriptions.set(line.key, line);
      }
      const dates = periodLocalDates(period);
      for (const key of [...new Set([...billed.keys(), ...now.keys()])].sort()) {
        const line = now.get(key);
        const difference = (line ? requestedOf(line) : new Decimal(0)).minus(billed.get(key) ?? 0);
        if (difference.isZero()) continue;
        const described = descriptions.get(key);
        const meter = described && 'meter' in described ? described.meter : undefined;
        const label = meter ?? key;
        const extraKey = `late:${earlier.number}:${key}`;
        extraLines.push({
          key: extraKey,
          kind: 'adjustment',
          description: `Late usage for ${earlier.number} (${dates[0]} to ${dates.at(-1)}): ${label}`,
          amount: difference.toFixed(),
        });
        const trace = line?.trace ? { ...line.trace, seqAfter: Math.max(Number(earlier.event_cutoff), lastSeq.get(key) ?? 0), seqUntil: cutoff } : null;
        extraMeta.set(extraKey, { adjustsInvoiceId: earlier.id, adjustsKey: key, trace });
      }
    }
    return { extraLines, extraMeta };
  }

  /** Credit the subscription's previous invoice could not use. */
  async function carriedCredit(db: Kysely<Database>, subscription: SubscriptionRow, invoice: Pick<InvoiceRow, 'id' | 'period_start' | 'number'>) {
    const previous = await findPreviousFinalized(db, subscription.id, invoice.period_start);
    if (!previous || previous.id === invoice.id || invoiceSequence(previous.number) >= invoiceSequence(invoice.number)) return null;
    if (new Decimal(previous.unapplied_credit).isZero()) return null;
    return {
      key: `carried:${previous.number}`,
      kind: 'credit' as const,
      description: `Credit carried forward from ${previous.number}`,
      amount: new Decimal(previous.unapplied_credit).negated().toFixed(),
    };
  }

  async function rateClosing(db: Kysely<Database>, subscription: SubscriptionRow, phases: readonly PhaseRow[], invoice: InvoiceRow): Promise<RatedPeriod> {
    const period = await periodAt(subscription, phases, invoice.period_start, db);
    const cutoff = invoice.status === 'finalized' ? Number(invoice.event_cutoff) : await currentBatchSeq(db, subscription.workspace_id);
    const taxRate = invoice.status === 'finalized' ? invoice.tax_rate : await findTaxRate(db, subscription.workspace_id);
    const { extraLines, extraMeta } = await lateUsage(db, subscription, phases, invoice, cutoff);
    const credit = await carriedCredit(db, subscription, invoice);
    if (credit) extraLines.push(credit);
    return ratePeriod(db, subscription, phases, period, { includeNextAdvance: true, extraLines, extraMeta, taxRate, cutoff });
  }

  return {
    periodAt,
    segmentsOf,
    planOf,
    intervalOf,
    measure,
    ratePeriod,

    /**
     * The closing invoice of `period`: its own lines, the next in-advance fee, late usage of earlier
     * periods and credit carried forward. `invoice` is the row being (re-)rated; a finalized one keeps
     * its tax rate, a draft takes the workspace's current one.
     */
    rateClosing,

    /**
     * The live estimate: the open period rated as its closing invoice would be if it closed now — late usage
     * of earlier periods and credit carried forward included — saving nothing. While the previous period's
     * draft waits out its grace time, that draft takes the late usage and the carried credit first; the
     * estimate then carries only the credit the draft leaves.
     */
    async rateEstimate(db: Kysely<Database>, subscription: SubscriptionRow, phases: readonly PhaseRow[]): Promise<RatedPeriod> {
      const period = await periodAt(subscription, phases, subscription.current_period_start, db);
      const cutoff = await currentBatchSeq(db, subscription.workspace_id);
      const taxRate = await findTaxRate(db, subscription.workspace_id);
      const pending = (await listDraftInvoices(db, subscription.id)).filter((draft) => draft.kind === 'closing' && draft.period_start < period.start).at(-1);
      let extraLines: ExtraLine[] = [];
      let extraMeta: RateOptions['extraMeta'] = new Map();
      if (pending) {
        const left = new Decimal((await rateClosing(db, subscription, phases, pending)).unappliedCredit);
        if (!left.isZero()) {
          extraLines.push({
            key: 'carried:pending',
            kind: 'credit',
            description: 'Credit carried forward from the previous invoice',
            amount: left.negated().toFixed(),
          });
        }
      } else {
        // Not yet a row: no number, so it comes after every finalized invoice, as the draft will.
        const estimate = { id: '', period_start: period.start, number: null };
        ({ extraLines, extraMeta } = await lateUsage(db, subscription, phases, estimate, cutoff));
        const credit = await carriedCredit(db, subscription, estimate);
        if (credit) extraLines.push(credit);
      }
      return ratePeriod(db, subscription, phases, period, {
        includeNextAdvance: subscription.cancel_at_period_end === 0,
        extraLines,
        extraMeta,
        taxRate,
        cutoff,
      });
    },

    /** The opening invoice: the first period's in-advance fee. */
    async rateOpening(db: Kysely<Database>, subscription: SubscriptionRow, plan: PlanView, period: BillingPeriod, taxRate: string): Promise<RatedPeriod> {
      const share = prorationFactor(period, subscription.start_at);
      const composed = composePeriodInvoice({
        period,
        segments: [],
        billedInAdvance: null,
        nextAdvance: { plan, period, share },
        currency: plan.currency,
        taxRate: new Decimal(taxRate),
      });
      const lines = composed.lines.map((line) => ({ ...line, key: 'fixed_fee', trace: null, adjustsInvoiceId: null, adjustsKey: null }));
      return { ...composed, lines, period, quantities: {}, cutoff: 0, taxRate };
    },
  };
}

export type RatingService = ReturnType<typeof createRatingService>;

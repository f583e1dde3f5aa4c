import { Decimal } from './decimal.js';
import { describe, expect, it } from 'vitest';
import { composePeriodInvoice, cumulativeSlice, segmentLocalDates, segmentShare, type InvoiceSegment } from './period-invoice.js';
import { nextPeriod, periodContaining } from './periods.js';
import { planSchema, type Plan } from './plan.js';

const schedule = { startAt: '2026-01-01T00:00:00Z', interval: 'month', anchor: 'calendar', timezone: 'UTC' } as const;
const april = periodContaining(schedule, '2026-04-10T00:00:00Z'); // 30 days
const may = nextPeriod(schedule, april);

const plan = (fields: Partial<Plan>): Plan =>
  planSchema.parse({ code: 'basic', name: 'Basic', interval: 'month', currency: 'USD', amount: '30', payInAdvance: true, charges: [], ...fields });
const basic = plan({ charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.10' }] });
const pro = plan({ code: 'pro', name: 'Pro', amount: '60', charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.05' }] });
const change = '2026-04-11T12:00:00.000Z';

const segment = (p: Plan, from: string, to: string, tasks: number, trial = false): InvoiceSegment => ({
  plan: p,
  from,
  to,
  trial,
  quantities: { tasks_created: new Decimal(tasks) },
});
const compose = (input: Partial<Parameters<typeof composePeriodInvoice>[0]>) =>
  composePeriodInvoice({ period: april, segments: [], billedInAdvance: null, nextAdvance: null, currency: 'USD', taxRate: new Decimal(0), ...input });
const linesOf = (invoice: ReturnType<typeof compose>) => invoice.lines.map((line) => [line.key, line.amount]);

describe('segments of a period', () => {
  it('gives the change day to the later slice, in local days', () => {
    expect(segmentShare(april, april.start, change).toFixed()).toBe(new Decimal(10).div(30).toFixed());
    expect(segmentShare(april, change, april.end).toFixed()).toBe(new Decimal(20).div(30).toFixed());
    expect(segmentLocalDates(april, april.start, change)).toHaveLength(10);
    expect(segmentLocalDates(april, change, april.end)[0]).toBe('2026-04-11');
    expect(segmentLocalDates(april, change, april.end).at(-1)).toBe('2026-04-30');
  });
});

describe('a free tier across plan changes', () => {
  // Team: 100 tasks a month free, then 1.00; Business: 1,000 free, then 0.50.
  const team = plan({
    code: 'team',
    name: 'Team',
    amount: '0',
    payInAdvance: false,
    charges: [
      {
        meter: 'tasks_created',
        model: 'graduated',
        tiers: [
          { upTo: 100, unitAmount: '0' },
          { upTo: null, unitAmount: '1' },
        ],
      },
    ],
  });
  const business = plan({
    code: 'business',
    name: 'Business',
    amount: '0',
    payInAdvance: false,
    charges: [
      {
        meter: 'tasks_created',
        model: 'graduated',
        tiers: [
          { upTo: 1000, unitAmount: '0' },
          { upTo: null, unitAmount: '0.50' },
        ],
      },
    ],
  });
  const usage = (invoice: ReturnType<typeof compose>) => invoice.lines.filter((line) => line.kind === 'usage').map((line) => line.amount);

  it("upgrading raises the allowance to the new plan's, minus what the period used", () => {
    const invoice = compose({ segments: [segment(team, april.start, change, 90), segment(business, change, april.end, 1000)] });
    expect(usage(invoice)).toEqual(['0.00', '45.00']); // tasks 91–1,090 on Business: 910 free, 90 × 0.50
  });

  it('downgrading after the smaller allowance is used up bills every later task', () => {
    const invoice = compose({ segments: [segment(business, april.start, change, 800), segment(team, change, april.end, 50)] });
    expect(usage(invoice)).toEqual(['0.00', '50.00']);
  });

  it('trial usage uses none of it', () => {
    const invoice = compose({ segments: [segment(team, april.start, change, 500, true), segment(team, change, april.end, 150)] });
    expect(usage(invoice)).toEqual(['50.00']);
  });
});

describe('a peak across plan changes', () => {
  // 5.00 per started GB of peak storage, on two plans with the same prices.
  const storage = (code: string) =>
    plan({
      code,
      name: code,
      amount: '0',
      payInAdvance: false,
      charges: [{ meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '5' }],
    });
  const gb = (n: number) => new Decimal(n * 1_000_000_000);
  const slice = (p: Plan, from: string, to: string, before: Decimal, through: Decimal): InvoiceSegment => {
    const { quantity, billedBefore } = cumulativeSlice(before, through);
    return { plan: p, from, to, trial: false, quantities: { storage_bytes: quantity }, billedBefore: { storage_bytes: billedBefore } };
  };
  const usage = (invoice: ReturnType<typeof compose>) => invoice.lines.filter((line) => line.kind === 'usage').map((line) => [line.quantity, line.amount]);

  it('bills the peak once: a later slice bills only what the period peak grew by, in the packages that follow', () => {
    // 3 GB held before and after the change, 3.5 GB at the end: 4 packages, as on one plan.
    const invoice = compose({ segments: [slice(storage('a'), april.start, change, gb(0), gb(3)), slice(storage('b'), change, april.end, gb(3), gb(3.5))] });
    expect(usage(invoice)).toEqual([
      ['3000000000', '15.00'],
      ['500000000', '5.00'],
    ]);
    expect(invoice.total).toBe(compose({ segments: [slice(storage('a'), april.start, april.end, gb(0), gb(3.5))] }).total);
  });

  it('a slice whose usage fell bills nothing, never a credit', () => {
    expect(cumulativeSlice(gb(3), gb(2)).quantity.toFixed()).toBe('0');
  });
});

describe('composePeriodInvoice', () => {
  it('bills an in-advance plan for the whole period: usage now, the fee of the next period, nothing for this one', () => {
    const invoice = compose({
      segments: [segment(basic, april.start, april.end, 3)],
      billedInAdvance: { plan: basic, share: new Decimal(1) },
      nextAdvance: { plan: basic, period: may, share: new Decimal(1) },
      taxRate: new Decimal('0.2'),
    });
    expect(linesOf(invoice)).toEqual([
      ['usage:tasks_created', '0.30'],
      ['next:fixed_fee', '30.00'],
    ]);
    expect(invoice.lines[1]!.description).toBe('Basic (monthly fee in advance, 2026-05-01 to 2026-05-31)');
    expect([invoice.subtotal, invoice.tax, invoice.total]).toEqual(['30.30', '6.06', '36.36']);
  });

  it('bills an arrears plan for the period it closes', () => {
    const arrears = plan({ payInAdvance: false });
    const invoice = compose({ segments: [segment(arrears, april.start, april.end, 0)], nextAdvance: null });
    expect(linesOf(invoice)).toEqual([['fixed_fee', '30.00']]);
  });

  it('prorates an upgrade by day: unused days credited, the new plan charged for the rest, each plan rating its own usage', () => {
    const invoice = compose({
      segments: [segment(basic, april.start, change, 2), segment(pro, change, april.end, 4)],
      billedInAdvance: { plan: basic, share: new Decimal(1) },
      nextAdvance: { plan: pro, period: may, share: new Decimal(1) },
    });
    expect(linesOf(invoice)).toEqual([
      ['usage:tasks_created', '0.20'],
      ['phase2:usage:tasks_created', '0.20'],
      ['proration:phase2', '40.00'],
      ['next:fixed_fee', '60.00'],
      ['proration:unused', '-20.00'],
    ]);
    expect(invoice.total).toBe('80.40');
  });

  it('never goes below zero: the rest of a credit is returned to carry forward', () => {
    const free = plan({ code: 'free', name: 'Free', amount: '0', payInAdvance: false });
    const invoice = compose({
      segments: [segment(basic, april.start, change, 0), segment(free, change, april.end, 0)],
      billedInAdvance: { plan: basic, share: new Decimal(1) },
      extraLines: [{ key: 'carried', kind: 'credit', description: 'Credit carried forward', amount: '-5' }],
    });
    expect(invoice.subtotal).toBe('0.00');
    expect(invoice.unappliedCredit).toBe('25.00');
    expect(invoice.lines.find((line) => line.key === 'proration:unused')).toMatchObject({ amount: '0.00', requestedAmount: '-20.00' });
  });

  it('bills nothing for trial days, then the remaining days of an in-advance plan', () => {
    const trialEnd = '2026-04-15T00:00:00.000Z';
    const invoice = compose({ segments: [segment(basic, april.start, trialEnd, 5, true), segment(basic, trialEnd, april.end, 1)] });
    expect(linesOf(invoice)).toEqual([
      ['phase2:usage:tasks_created', '0.10'],
      ['proration:phase2', '16.00'],
    ]);
  });

  it('credits the whole advance fee of a plan that was replaced before the period began', () => {
    const invoice = compose({ segments: [segment(pro, april.start, april.end, 0)], billedInAdvance: { plan: basic, share: new Decimal(1) } });
    expect(linesOf(invoice)).toEqual([
      ['usage:tasks_created', '0.00'],
      ['proration:phase1', '60.00'],
      ['proration:unused', '-30.00'],
    ]);
  });

  it('refuses phases in another currency', () => {
    expect(() => compose({ segments: [segment(plan({ currency: 'EUR' }), april.start, april.end, 0)] })).toThrow(RangeError);
  });
});

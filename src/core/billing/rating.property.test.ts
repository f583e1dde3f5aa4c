/** Invariants of the rating engine, checked on generated plans, tiers and quantities. */
import { Decimal } from './decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeMembersQuantity } from './active-members.js';
import { graduatedModel } from './charge-models/graduated.js';
import { packageModel } from './charge-models/package.js';
import type { Tier } from './charge-models/tiers.js';
import { volumeModel } from './charge-models/volume.js';
import { rateInvoice } from './invoice.js';
import { isoDateOfDayNumber } from './local-dates.js';
import { minorUnits } from './money.js';
import { nextPeriod, periodContaining, prorationFactor } from './periods.js';
import { planSchema } from './plan.js';

/** Money strings with 0 to 4 decimals, as the API accepts them. */
const money = fc
  .tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.constantFrom(0, 2, 4))
  .map(([units, decimals]) => new Decimal(units).div(10 ** decimals).toFixed());

/** Whole or fractional usage, fractions as active-member billing produces them. */
const quantity = fc.oneof(
  fc.integer({ min: 0, max: 50_000 }).map((units) => new Decimal(units)),
  fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 1, max: 31 })).map(([days, length]) => new Decimal(days).div(length)),
);

const tiers: fc.Arbitrary<Tier[]> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 20_000 }), { maxLength: 4 }),
    fc.array(fc.tuple(money, fc.option(money, { nil: undefined })), { minLength: 5, maxLength: 5 }),
  )
  .map(([bounds, prices]) =>
    [...bounds.sort((a, b) => a - b), null].map((upTo, index) => {
      const [unitAmount, flatAmount] = prices[index] as [string, string | undefined];
      return { upTo, unitAmount, ...(flatAmount !== undefined && { flatAmount }) };
    }),
  );

const charge = (meter: string) =>
  fc.oneof(
    money.map((unitAmount) => ({ meter, model: 'standard', unitAmount })),
    tiers.map((tierList) => ({ meter, model: 'graduated', tiers: tierList })),
    tiers.map((tierList) => ({ meter, model: 'volume', tiers: tierList })),
    fc
      .record({ packageSize: fc.integer({ min: 1, max: 1000 }), packageAmount: money, freeUnits: fc.integer({ min: 0, max: 1000 }) })
      .map((settings) => ({ meter, model: 'package', ...settings })),
  );

const meters = ['active_members', 'tasks_created', 'comments'] as const;

const invoiceInput = fc
  .record({
    currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'),
    amount: money,
    minimum: fc.option(money, { nil: undefined }),
    charges: fc.tuple(...meters.map(charge)),
    chargeMinimum: fc.option(money, { nil: undefined }),
    quantities: fc.tuple(quantity, quantity, quantity),
    taxRate: fc.constantFrom('0', '0.055', '0.2', '0.25'),
    proration: fc.option(
      fc.integer({ min: 0, max: 31 }).map((days) => new Decimal(days).div(31)),
      { nil: undefined },
    ),
    credit: fc.option(
      money.map((amount) => `-${amount}`),
      { nil: undefined },
    ),
  })
  .map((generated) => ({
    plan: planSchema.parse({
      code: 'generated',
      name: 'Generated',
      interval: 'month',
      currency: generated.currency,
      amount: generated.amount,
      payInAdvance: false,
      ...(generated.minimum !== undefined && { minimum: generated.minimum }),
      charges: generated.charges.map((item, index) =>
        index === 0 && generated.chargeMinimum !== undefined ? { ...item, minimum: generated.chargeMinimum } : item,
      ),
    }),
    period: periodContaining({ startAt: '2026-01-01T00:00:00Z', interval: 'month', anchor: 'calendar', timezone: 'UTC' }, '2026-03-10T00:00:00Z'),
    quantities: Object.fromEntries(meters.map((meter, index) => [meter, generated.quantities[index] as Decimal])),
    taxRate: new Decimal(generated.taxRate),
    ...(generated.proration !== undefined && { proration: generated.proration }),
    extraLines: generated.credit === undefined ? [] : [{ key: 'credit', kind: 'credit' as const, description: 'Credit', amount: generated.credit }],
  }));

describe('rating invariants', () => {
  it('graduated: the amount never decreases as usage grows', () => {
    fc.assert(
      fc.property(tiers, quantity, quantity, (tierList, a, b) => {
        const [lower, higher] = a.lte(b) ? [a, b] : [b, a];
        const config = { tiers: tierList };
        expect(graduatedModel.rate(lower, config).amount.lte(graduatedModel.rate(higher, config).amount)).toBe(true);
      }),
    );
  });

  it('graduated: the breakdown adds up to the amount and covers the quantity', () => {
    fc.assert(
      fc.property(tiers, quantity, (tierList, used) => {
        const { amount, breakdown } = graduatedModel.rate(used, { tiers: tierList });
        expect(breakdown.reduce((sum, step) => sum.plus(step.amount), new Decimal(0)).eq(amount)).toBe(true);
        expect(breakdown.reduce((sum, step) => sum.plus(step.quantity), new Decimal(0)).eq(used)).toBe(true);
      }),
    );
  });

  it('graduated and package: usage split over plan changes costs what the period would at once (a free tier is granted once)', () => {
    const packages = fc.record({ packageSize: fc.integer({ min: 1, max: 1000 }), packageAmount: money, freeUnits: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(tiers, packages, fc.array(quantity, { minLength: 1, maxLength: 4 }), (tierList, settings, slices) => {
        const total = slices.reduce((sum, slice) => sum.plus(slice), new Decimal(0));
        for (const [model, config] of [
          [graduatedModel, { tiers: tierList }],
          [packageModel, settings],
        ] as const) {
          let from = new Decimal(0);
          let billed = new Decimal(0);
          for (const slice of slices) {
            billed = billed.plus((model.rate as (q: Decimal, c: typeof config, f: Decimal) => { amount: Decimal })(slice, config, from).amount);
            from = from.plus(slice);
          }
          const atOnce = (model.rate as (q: Decimal, c: typeof config) => { amount: Decimal })(total, config).amount;
          // Exact but for the 64th digit of fractions such as 1/3, far below any minor unit.
          expect(billed.toDecimalPlaces(40).toFixed(), model.model).toBe(atOnce.toDecimalPlaces(40).toFixed());
        }
      }),
    );
  });

  it('volume: usage after a plan change is priced at the tier the period reaches, its flat fee once', () => {
    fc.assert(
      fc.property(tiers, quantity, quantity, (tierList, before, after) => {
        const config = { tiers: tierList };
        const continued = volumeModel.rate(after, config, before);
        const total = before.plus(after);
        const atOnce = volumeModel.rate(total, config);
        if (after.isZero()) {
          expect(continued.amount.isZero()).toBe(true);
          return;
        }
        const unit = atOnce.breakdown[0]!.unitAmount;
        const flat = atOnce.breakdown[0]!.flatAmount;
        const reachedBefore = volumeModel.rate(before, config).breakdown[0]?.label === atOnce.breakdown[0]!.label;
        expect(continued.amount.toFixed()).toBe(
          after
            .times(unit)
            .plus(reachedBefore ? 0 : flat)
            .toFixed(),
        );
      }),
    );
  });

  it('volume and graduated agree on a single tier', () => {
    fc.assert(
      fc.property(money, fc.option(money, { nil: undefined }), quantity, (unitAmount, flatAmount, used) => {
        const config = { tiers: [{ upTo: null, unitAmount, ...(flatAmount !== undefined && { flatAmount }) }] };
        expect(volumeModel.rate(used, config).amount.eq(graduatedModel.rate(used, config).amount)).toBe(true);
      }),
    );
  });

  it('invoice: lines add up exactly to the subtotal, and subtotal plus tax to the total', () => {
    fc.assert(
      fc.property(invoiceInput, (input) => {
        const invoice = rateInvoice(input);
        const decimals = minorUnits(invoice.currency);
        const amounts = [...invoice.lines.map((line) => line.amount), invoice.subtotal, invoice.tax, invoice.total];
        for (const amount of amounts) expect(new Decimal(amount).decimalPlaces()).toBeLessThanOrEqual(decimals);
        const sumOfLines = invoice.lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
        expect(sumOfLines.eq(invoice.subtotal)).toBe(true);
        expect(new Decimal(invoice.subtotal).plus(invoice.tax).eq(invoice.total)).toBe(true);
        expect(new Decimal(invoice.subtotal).gte(0)).toBe(true);
      }),
    );
  });

  it('invoice: the plan minimum is always met before credits', () => {
    fc.assert(
      fc.property(invoiceInput, (input) => {
        const invoice = rateInvoice({ ...input, extraLines: [] });
        if (input.plan.minimum === undefined) return;
        const dueMinimum = new Decimal(input.plan.minimum).times(input.proration ?? 1).toDecimalPlaces(minorUnits(invoice.currency), Decimal.ROUND_HALF_UP);
        expect(new Decimal(invoice.subtotal).gte(dueMinimum)).toBe(true);
      }),
    );
  });

  it('invoice: rating the same inputs again gives identical output, leaving the inputs untouched', () => {
    fc.assert(
      fc.property(invoiceInput, (input) => {
        const inputBefore = JSON.stringify(input);
        const first = rateInvoice(input);
        const copy = { ...JSON.parse(inputBefore), quantities: input.quantities, taxRate: input.taxRate, proration: input.proration };
        expect(rateInvoice(copy)).toEqual(first);
        expect(rateInvoice(input)).toEqual(first);
        expect(JSON.stringify(input)).toBe(inputBefore);
      }),
    );
  });
});

describe('period invariants', () => {
  const schedule = fc.record({
    startAt: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(ms).toISOString()),
    interval: fc.constantFrom('month' as const, 'year' as const),
    anchor: fc.constantFrom('calendar' as const, 'anniversary' as const),
    timezone: fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Santiago'),
  });

  it('periods contain their instant, chain without gaps and prorate within [0, 1]', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 4 * 366 * 86_400_000 }), (subscription, offset) => {
        const instant = new Date(Date.parse(subscription.startAt) + offset).toISOString();
        const period = periodContaining(subscription, instant);
        expect(period.start <= instant && instant < period.end).toBe(true);
        expect(period.days).toBeGreaterThan(0);
        expect(period.days).toBeLessThanOrEqual(period.fullDays);
        const next = nextPeriod(subscription, period);
        expect(next.start).toBe(period.end);
        const factor = prorationFactor(period, instant);
        expect(factor.gte(0) && factor.lte(1)).toBe(true);
      }),
    );
  });
});

describe('active member invariants', () => {
  it('bills between zero and one seat per member', () => {
    const activity = fc.array(fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 10 }), { maxLength: 20 });
    fc.assert(
      fc.property(activity, fc.integer({ min: 1, max: 60 }), (members, windowDays) => {
        const periodDates = Array.from({ length: 30 }, (_, day) => isoDateOfDayNumber(20_000 + day));
        const activityByMember = Object.fromEntries(members.map((days, index) => [`m${index}`, days.map((day) => isoDateOfDayNumber(20_000 + day))]));
        const { quantity: seats } = activeMembersQuantity({ periodDates, activityByMember, windowDays });
        expect(seats.gte(0) && seats.lte(members.length)).toBe(true);
      }),
    );
  });
});

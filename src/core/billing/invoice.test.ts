import { Decimal } from './decimal.js';
import { describe, expect, it } from 'vitest';
import { extraLineSchema, rateInvoice, type RateInvoiceInput } from './invoice.js';
import { periodContaining } from './periods.js';
import { planSchema, type Plan } from './plan.js';

const april = periodContaining({ startAt: '2026-01-01T00:00:00Z', interval: 'month', anchor: 'calendar', timezone: 'Europe/Paris' }, '2026-04-15T00:00:00Z');

function plan(fields: Partial<Plan>): Plan {
  return planSchema.parse({ code: 'team', name: 'Team', interval: 'month', currency: 'USD', amount: '0', payInAdvance: false, charges: [], ...fields });
}

function rate(input: Partial<RateInvoiceInput> & Pick<RateInvoiceInput, 'plan'>) {
  return rateInvoice({ period: april, quantities: {}, taxRate: new Decimal(0), ...input });
}

const linesOf = (invoice: ReturnType<typeof rate>) => invoice.lines.map((line) => [line.key, line.amount]);

describe('rateInvoice', () => {
  it('bills the fixed fee and one line per charge, then tax', () => {
    const invoice = rate({
      plan: plan({
        currency: 'EUR',
        amount: '20',
        charges: [
          { meter: 'active_members', model: 'standard', unitAmount: '8' },
          {
            meter: 'tasks_created',
            model: 'graduated',
            tiers: [
              { upTo: 5, unitAmount: '7' },
              { upTo: 10, unitAmount: '6.50' },
              { upTo: null, unitAmount: '6' },
            ],
          },
        ],
      }),
      quantities: { active_members: new Decimal(20).div(30), tasks_created: new Decimal(6) },
      taxRate: new Decimal('0.20'),
      meterNames: { active_members: 'Active members', tasks_created: 'Tasks created' },
    });
    expect(invoice.lines).toEqual([
      { key: 'fixed_fee', kind: 'fixed_fee', description: 'Team (monthly fee, 2026-04-01 to 2026-04-30)', quantity: '1', unitAmount: '20.00', amount: '20.00' },
      {
        key: 'usage:active_members',
        kind: 'usage',
        description: 'Active members — 0.666667 × 8.00',
        meter: 'active_members',
        quantity: '0.666667',
        unitAmount: '8.00',
        amount: '5.33',
      },
      {
        key: 'usage:tasks_created',
        kind: 'usage',
        description: 'Tasks created — 1–5: 5 × 7.00; 6–10: 1 × 6.50',
        meter: 'tasks_created',
        quantity: '6',
        amount: '41.50',
      },
    ]);
    expect([invoice.currency, invoice.subtotal, invoice.tax, invoice.total]).toEqual(['EUR', '66.83', '13.37', '80.20']);
  });

  it('rounds each line half-up, then sums the rounded lines', () => {
    const invoice = rate({
      plan: plan({
        charges: [
          { meter: 'comments', model: 'standard', unitAmount: '0.001' },
          { meter: 'tasks_created', model: 'standard', unitAmount: '0.001' },
        ],
      }),
      quantities: { comments: new Decimal(5), tasks_created: new Decimal(5) },
      taxRate: new Decimal('0.5'),
    });
    // 0.005 rounds up to 0.01 on each line: 0.02, not round(0.010) = 0.01.
    expect(linesOf(invoice)).toEqual([
      ['usage:comments', '0.01'],
      ['usage:tasks_created', '0.01'],
    ]);
    expect([invoice.subtotal, invoice.tax, invoice.total]).toEqual(['0.02', '0.01', '0.03']);
  });

  it('uses the currency’s minor unit', () => {
    const invoice = rate({
      plan: plan({ currency: 'JPY', amount: '1000', charges: [{ meter: 'comments', model: 'standard', unitAmount: '0.5' }] }),
      quantities: { comments: new Decimal(399) },
      taxRate: new Decimal('0.10'),
    });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '1000'],
      ['usage:comments', '200'],
    ]);
    expect([invoice.subtotal, invoice.tax, invoice.total]).toEqual(['1200', '120', '1320']);
  });

  it('prorates the fixed fee', () => {
    const invoice = rate({ plan: plan({ amount: '30' }), proration: new Decimal(20).div(30) });
    expect(invoice.lines[0]).toMatchObject({ quantity: '0.666667', unitAmount: '30.00', amount: '20.00' });
    expect(invoice.lines[0]?.description).toContain('prorated');
  });

  it('requires a quantity for every charged meter', () => {
    expect(() => rate({ plan: plan({ charges: [{ meter: 'comments', model: 'standard', unitAmount: '1' }] }) })).toThrow(RangeError);
  });

  it('describes a charge without usage', () => {
    const invoice = rate({
      plan: plan({ charges: [{ meter: 'comments', model: 'volume', tiers: [{ upTo: null, unitAmount: '1', flatAmount: '5' }] }] }),
      quantities: { comments: new Decimal(0) },
    });
    expect(invoice.lines[0]).toMatchObject({ description: 'comments — no usage', quantity: '0', amount: '0.00' });
  });
});

describe('minimum spend', () => {
  // https://github.com/getlago/lago-api/pull/1787 and https://getlago.com/docs/guide/plans/commitment:
  // the plan minimum covers the subscription fee and usage: 50 + 3 × 10 = 80, so a 20 true-up makes 100.
  it('tops the plan up to its minimum commitment, fixed fee included', () => {
    const invoice = rate({
      plan: plan({ amount: '50', minimum: '100', charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '10' }] }),
      quantities: { tasks_created: new Decimal(3) },
    });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '50.00'],
      ['usage:tasks_created', '30.00'],
      ['minimum_commitment', '20.00'],
    ]);
    expect(invoice.lines.at(-1)?.description).toBe('Minimum spend top-up');
    expect(invoice.subtotal).toBe('100.00');
  });

  // https://getlago.com/docs/guide/lago-cloud/contract-billing (1,000 monthly minimum: 800 of usage → 200 true-up; 1,300 → none)
  it.each([
    [800, '200.00', '1000.00'],
    [1300, undefined, '1300.00'],
    [1000, undefined, '1000.00'],
  ])('with %i of usage against 1,000, tops up %s', (usage, topUp, subtotal) => {
    const invoice = rate({
      plan: plan({ minimum: '1000', charges: [{ meter: 'comments', model: 'standard', unitAmount: '1' }] }),
      quantities: { comments: new Decimal(usage) },
    });
    expect(invoice.lines.find((line) => line.kind === 'minimum_commitment')?.amount).toBe(topUp);
    expect(invoice.subtotal).toBe(subtotal);
  });

  // https://getlago.com/docs/guide/plans/charges/spending-minimum (0.010 per MTU, 100 minimum, 50 consumed → 50 true-up)
  it('tops a charge up to its spending minimum, on its own line', () => {
    const invoice = rate({
      plan: plan({ charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.010', minimum: '100' }] }),
      quantities: { tasks_created: new Decimal(5000) },
      meterNames: { tasks_created: 'Tracked users' },
    });
    expect(invoice.lines.map((line) => [line.key, line.kind, line.description, line.amount])).toEqual([
      ['usage:tasks_created', 'usage', 'Tracked users — 5000 × 0.01', '50.00'],
      ['minimum:tasks_created', 'charge_minimum', 'Minimum spend top-up: Tracked users', '50.00'],
    ]);
  });

  it('counts charge true-ups towards the plan minimum', () => {
    const invoice = rate({
      plan: plan({ minimum: '120', charges: [{ meter: 'comments', model: 'standard', unitAmount: '1', minimum: '100' }] }),
      quantities: { comments: new Decimal(10) },
    });
    expect(linesOf(invoice)).toEqual([
      ['usage:comments', '10.00'],
      ['minimum:comments', '90.00'],
      ['minimum_commitment', '20.00'],
    ]);
  });

  it('prorates minimums with the fixed fee', () => {
    const invoice = rate({ plan: plan({ amount: '30', minimum: '90' }), proration: new Decimal(1).div(3) });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '10.00'],
      ['minimum_commitment', '20.00'],
    ]);
  });

  it('compares before credits, which apply after the minimum', () => {
    const invoice = rate({
      plan: plan({ amount: '50', minimum: '60' }),
      extraLines: [{ key: 'goodwill', kind: 'credit', description: 'Goodwill credit', amount: '-15' }],
    });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '50.00'],
      ['minimum_commitment', '10.00'],
      ['extra:goodwill', '-15.00'],
    ]);
    expect(invoice.subtotal).toBe('45.00');
  });
});

describe('adjustments and credits', () => {
  it('adds adjustments of either sign', () => {
    const invoice = rate({
      plan: plan({ amount: '10' }),
      extraLines: [
        { key: 'setup', kind: 'adjustment', description: 'Onboarding session', amount: '25' },
        { key: 'discount', kind: 'adjustment', description: 'Loyalty discount', amount: '-5.005' },
      ],
      taxRate: new Decimal('0.2'),
    });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '10.00'],
      ['extra:setup', '25.00'],
      ['extra:discount', '-5.01'],
    ]);
    expect([invoice.subtotal, invoice.tax, invoice.total, invoice.unappliedCredit]).toEqual(['29.99', '6.00', '35.99', '0.00']);
  });

  it('never takes the subtotal below zero and reports the credit left over', () => {
    const invoice = rate({
      plan: plan({ amount: '30' }),
      extraLines: [
        { key: 'credit-1', kind: 'credit', description: 'Referral credit', amount: '-25' },
        { key: 'credit-2', kind: 'credit', description: 'Service credit', amount: '-10' },
      ],
      taxRate: new Decimal('0.2'),
    });
    expect(linesOf(invoice)).toEqual([
      ['fixed_fee', '30.00'],
      ['extra:credit-1', '-25.00'],
      ['extra:credit-2', '-5.00'],
    ]);
    expect([invoice.subtotal, invoice.tax, invoice.total, invoice.unappliedCredit]).toEqual(['0.00', '0.00', '0.00', '5.00']);
  });

  it('validates extra lines', () => {
    expect(extraLineSchema.safeParse({ key: 'c', kind: 'credit', description: 'Credit', amount: '-5.00' }).success).toBe(true);
    expect(extraLineSchema.safeParse({ key: 'c', kind: 'credit', description: 'Credit', amount: '5.00' }).success).toBe(false);
    expect(extraLineSchema.safeParse({ key: 'c', kind: 'adjustment', description: 'Fee', amount: '5.00' }).success).toBe(true);
    expect(extraLineSchema.safeParse({ key: 'c', kind: 'refund', description: 'Fee', amount: '5.00' }).success).toBe(false);
  });
});

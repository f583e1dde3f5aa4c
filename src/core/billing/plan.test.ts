import { describe, expect, it } from 'vitest';
import { builtInMeterCodes, meterSchema, planSchema } from './plan.js';

const team = {
  code: 'team',
  name: 'Team',
  interval: 'month',
  currency: 'EUR',
  amount: '20.00',
  payInAdvance: true,
  trialDays: 14,
  minimum: '50',
  charges: [
    { meter: 'active_members', model: 'standard', unitAmount: '6.50' },
    { meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '0.25', freeUnits: 10_000_000_000 },
  ],
};

describe('planSchema', () => {
  it('accepts a plan with charges of several models', () => {
    expect(planSchema.parse(team)).toEqual(team);
  });

  it.each([
    ['a lowercase currency', { currency: 'eur' }],
    ['a code with spaces', { code: 'team plan' }],
    ['a number amount', { amount: 20 }],
    ['a negative minimum', { minimum: '-1' }],
    ['negative trial days', { trialDays: -1 }],
    ['a weekly interval', { interval: 'week' }],
    ['two charges on one meter', { charges: [team.charges[0], team.charges[0]] }],
  ])('rejects %s', (_, change) => {
    expect(planSchema.safeParse({ ...team, ...change }).success).toBe(false);
  });
});

describe('meterSchema', () => {
  it('accepts every aggregation with a property and a filter', () => {
    for (const aggregation of ['count', 'sum', 'unique_count', 'max', 'latest']) {
      const meter = { code: 'm', name: 'M', aggregation, property: 'bytes', filter: { kind: 'task', done: true, priority: 2 } };
      expect(meterSchema.parse(meter)).toEqual(meter);
    }
  });

  it('rejects filters on objects and unknown aggregations', () => {
    expect(meterSchema.safeParse({ code: 'm', name: 'M', aggregation: 'count', filter: { kind: { in: ['a'] } } }).success).toBe(false);
    expect(meterSchema.safeParse({ code: 'm', name: 'M', aggregation: 'avg' }).success).toBe(false);
  });

  it('lists the built-in meters, each a valid code', () => {
    expect(builtInMeterCodes).toEqual(['active_members', 'tasks_created', 'tasks_completed', 'comments', 'storage_bytes']);
    for (const code of builtInMeterCodes) expect(meterSchema.shape.code.safeParse(code).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { aggregate, createAggregator, readQuantity, type AggregationSpec, type UsageEvent } from './aggregations.js';
import { meterSchema } from './plan.js';

let sequence = 0;
function event(fields: Partial<UsageEvent> = {}): UsageEvent {
  sequence += 1;
  return { id: `evt_${String(sequence).padStart(4, '0')}`, timestamp: '2026-03-10T12:00:00Z', ...fields };
}

const events: UsageEvent[] = [
  event({ value: 3, properties: { listId: 'a', userId: 'u1', kind: 'task', priority: 1 } }),
  event({ value: '2.5', properties: { listId: 'a', userId: 'u2', kind: 'task', priority: 2 } }),
  event({ value: 10, properties: { listId: 'b', userId: 'u1', kind: 'comment', bytes: '1500' } }),
  event({ properties: { listId: 'b', userId: 'u3', kind: 'task', bytes: 700 } }),
  event({ value: 'n/a', properties: { listId: 'c', userId: 1, kind: 'task' } }),
  event({ value: 1, properties: { listId: 'c', userId: '1', kind: 'task', archived: true } }),
];

function quantity(spec: AggregationSpec): string {
  return aggregate(spec, events).toFixed();
}

describe('aggregations', () => {
  it('counts matching events', () => {
    expect(quantity({ aggregation: 'count' })).toBe('6');
    expect(quantity({ aggregation: 'count', filter: { kind: 'task' } })).toBe('5');
    expect(quantity({ aggregation: 'count', filter: { kind: 'task', listId: 'a' } })).toBe('2');
    expect(quantity({ aggregation: 'count', filter: { archived: true } })).toBe('1');
  });

  it('filters on exact values: 1 does not match "1"', () => {
    expect(quantity({ aggregation: 'count', filter: { priority: 1 } })).toBe('1');
    expect(quantity({ aggregation: 'count', filter: { priority: '1' } })).toBe('0');
  });

  it('sums value, or a property, skipping events without a number', () => {
    expect(quantity({ aggregation: 'sum' })).toBe('16.5');
    expect(quantity({ aggregation: 'sum', filter: { listId: 'a' } })).toBe('5.5');
    expect(quantity({ aggregation: 'sum', property: 'bytes' })).toBe('2200');
    expect(quantity({ aggregation: 'sum', property: 'bytes', filter: { kind: 'task' } })).toBe('700');
  });

  it('sums decimals exactly', () => {
    const cents = [event({ value: 0.1 }), event({ value: '0.2' })];
    expect(aggregate({ aggregation: 'sum' }, cents).toFixed()).toBe('0.3');
  });

  it('counts distinct values of a property, keeping types apart', () => {
    expect(quantity({ aggregation: 'unique_count', property: 'userId' })).toBe('5');
    expect(quantity({ aggregation: 'unique_count', property: 'userId', filter: { kind: 'task' } })).toBe('5');
    expect(quantity({ aggregation: 'unique_count', property: 'userId', filter: { listId: 'a' } })).toBe('2');
    expect(quantity({ aggregation: 'unique_count', property: 'listId' })).toBe('3');
  });

  it('needs a property to count distinct values', () => {
    expect(() => createAggregator({ aggregation: 'unique_count' })).toThrow(RangeError);
    expect(meterSchema.safeParse({ code: 'x', name: 'X', aggregation: 'unique_count' }).success).toBe(false);
    expect(meterSchema.safeParse({ code: 'x', name: 'X', aggregation: 'unique_count', property: 'userId' }).success).toBe(true);
  });

  it('takes the maximum', () => {
    expect(quantity({ aggregation: 'max' })).toBe('10');
    expect(quantity({ aggregation: 'max', filter: { kind: 'task' } })).toBe('3');
    expect(quantity({ aggregation: 'max', property: 'bytes' })).toBe('1500');
    expect(quantity({ aggregation: 'max', filter: { listId: 'nowhere' } })).toBe('0');
  });

  it('takes the latest value by timestamp, whatever the order events arrive in', () => {
    const storage = [
      event({ id: 'b', timestamp: '2026-03-10T12:00:00+01:00', value: 300 }),
      event({ id: 'c', timestamp: '2026-03-10T10:30:00Z', value: 500 }),
      event({ id: 'a', timestamp: '2026-03-10T11:00:00Z', value: 400 }),
      event({ id: 'd', timestamp: '2026-03-09T23:00:00Z', value: 100 }),
    ];
    // 12:00+01:00 and 11:00Z are the same instant: the greater id, "b", wins.
    expect(aggregate({ aggregation: 'latest' }, storage).toFixed()).toBe('300');
    expect(aggregate({ aggregation: 'latest' }, [...storage].reverse()).toFixed()).toBe('300');
    expect(aggregate({ aggregation: 'latest', property: 'bytes' }, storage).toFixed()).toBe('0');
  });

  it('folds incrementally: batches give the same result as one pass', () => {
    for (const spec of [
      { aggregation: 'count' },
      { aggregation: 'sum', filter: { kind: 'task' } },
      { aggregation: 'unique_count', property: 'userId' },
      { aggregation: 'max', property: 'bytes' },
      { aggregation: 'latest' },
    ] satisfies AggregationSpec[]) {
      const aggregator = createAggregator(spec);
      let state = aggregator.init();
      for (const batch of [events.slice(0, 2), events.slice(2, 5), events.slice(5)]) {
        for (const item of batch) state = aggregator.add(state, item);
      }
      expect(aggregator.result(state).toFixed()).toBe(aggregate(spec, events).toFixed());
    }
  });
});

describe('readQuantity', () => {
  it('reads plain decimals within 18 integer and 12 fraction digits, and nothing else', () => {
    expect(readQuantity('12.5')?.toFixed()).toBe('12.5');
    expect(readQuantity(0.25)?.toFixed()).toBe('0.25');
    expect(readQuantity('-3')?.toFixed()).toBe('-3');
    expect(readQuantity('999999999999999999.999999999999')?.toFixed()).toBe('999999999999999999.999999999999');
    for (const bad of [
      '1e9000000000000000',
      '1e3',
      ' 5',
      '5\n',
      '+5',
      '.5',
      '5.',
      '1234567890123456789',
      '0.0000000000001',
      'Infinity',
      'NaN',
      '',
      1e18,
      1e300,
      5e-324,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(readQuantity(bad), JSON.stringify(String(bad))).toBeUndefined();
    }
  });
});

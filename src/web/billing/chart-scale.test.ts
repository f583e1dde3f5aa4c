import { describe, expect, it } from 'vitest';
import { barFractions, chartSummary, layoutBars, niceCeiling } from './chart-scale.js';

describe('niceCeiling', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeiling('0')).toBe('1');
    expect(niceCeiling('-3')).toBe('1');
    expect(niceCeiling('1')).toBe('1');
    expect(niceCeiling('1.2')).toBe('2');
    expect(niceCeiling('2.2')).toBe('2.5');
    expect(niceCeiling('37')).toBe('50');
    expect(niceCeiling('80')).toBe('100');
    expect(niceCeiling('0.034')).toBe('0.05');
    expect(niceCeiling('1000')).toBe('1000');
  });
  it('keeps large money values exact', () => {
    expect(niceCeiling('999999999999.99')).toBe('1000000000000');
  });
});

describe('barFractions', () => {
  it('scales decimal strings against the nice maximum', () => {
    expect(barFractions(['25', '50', '12.5'])).toEqual({ fractions: [0.5, 1, 0.25], scaleMax: '50' });
  });
  it('draws credits, zeros and unreadable values as empty bars', () => {
    expect(barFractions(['-10.00', '0', 'abc', '4']).fractions).toEqual([0, 0, 0, 0.8]);
  });
  it('handles all zeros without dividing by zero', () => {
    expect(barFractions(['0', '0'])).toEqual({ fractions: [0, 0], scaleMax: '1' });
  });
});

describe('layoutBars', () => {
  it('puts one row per datum, bars proportional within the space after the labels', () => {
    const layout = layoutBars(
      [
        { label: 'a', value: '10' },
        { label: 'b', value: '5', display: '5.00 EUR' },
      ],
      { width: 500, labelWidth: 100, valueWidth: 100, rowHeight: 30 },
    );
    expect(layout.barSpace).toBe(300);
    expect(layout.height).toBe(60);
    expect(layout.bars).toEqual([
      { label: 'a', display: '10', y: 0, width: 300 },
      { label: 'b', display: '5.00 EUR', y: 30, width: 150 },
    ]);
  });
  it('has a height even without data', () => {
    expect(layoutBars([]).height).toBeGreaterThan(0);
  });
});

describe('chartSummary', () => {
  it('reads the title and each value', () => {
    expect(
      chartSummary('Revenue', [
        { label: 'pro', value: '12.5', display: '12.50 EUR' },
        { label: 'basic', value: '3' },
      ]),
    ).toBe('Revenue: pro 12.50 EUR, basic 3');
    expect(chartSummary('Usage', [])).toBe('Usage: no data');
  });
});

import { Decimal } from './decimal.js';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatUnitAmount, minorUnits, moneyString, roundMoney, signedMoneyString } from './money.js';

describe('minorUnits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['CAD', 2],
    ['AUD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['XYZ', 2],
    ['eur', 2],
    ['jpy', 0],
  ])('%s has %i decimals', (currency, decimals) => {
    expect(minorUnits(currency)).toBe(decimals);
  });
});

describe('roundMoney', () => {
  it.each([
    ['0.125', 'EUR', '0.13'],
    ['0.124999', 'EUR', '0.12'],
    ['-0.125', 'EUR', '-0.13'],
    ['1199.5', 'JPY', '1200'],
    ['1199.49', 'JPY', '1199'],
    ['1.0005', 'KWD', '1.001'],
    ['-0.001', 'USD', '0'],
  ])('%s %s rounds half-up to %s', (amount, currency, expected) => {
    expect(roundMoney(new Decimal(amount), currency).toFixed()).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each([
    ['6.5', 'USD', '6.50'],
    ['1200', 'JPY', '1200'],
    ['1199.6', 'JPY', '1200'],
    ['2', 'KWD', '2.000'],
    ['-0.004', 'EUR', '0.00'],
    ['-10', 'EUR', '-10.00'],
  ])('%s %s → %s', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it('keeps a unit price’s extra decimals', () => {
    expect(formatUnitAmount('0.0006', 'USD')).toBe('0.0006');
    expect(formatUnitAmount('7', 'USD')).toBe('7.00');
    expect(formatUnitAmount('150', 'JPY')).toBe('150');
  });
});

describe('moneyString', () => {
  it.each(['0', '6.50', '0.000001', '999999999999.999999', '12'])('accepts %s', (value) => {
    expect(moneyString.safeParse(value).success).toBe(true);
  });

  it.each(['', '-1', '1.', '.5', '01', '1e3', '1.1234567', '1000000000000', ' 1', 'NaN'])('rejects %j', (value) => {
    expect(moneyString.safeParse(value).success).toBe(false);
  });

  it('accepts negative amounts only in the signed variant', () => {
    expect(signedMoneyString.safeParse('-10.00').success).toBe(true);
    expect(signedMoneyString.safeParse('--1').success).toBe(false);
    expect(moneyString.safeParse('-10.00').success).toBe(false);
  });
});

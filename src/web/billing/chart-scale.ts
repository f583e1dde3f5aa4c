/**
 * Geometry of the billing bar charts. Values arrive as decimal strings (money, quantities); they are
 * compared with billing's Decimal (64 digits, as the invoices are computed) and only the resulting bar
 * lengths become numbers (pixels, not money).
 */
import { Decimal } from '../../core/billing/decimal.js';

export interface ChartDatum {
  label: string;
  /** A decimal string as the API gave it, e.g. `"12.50"` or `"1042"`. */
  value: string;
  /** What to print next to the bar; defaults to `value`. */
  display?: string;
}

export interface BarGeometry {
  label: string;
  display: string;
  /** Top edge of the bar's row, in px. */
  y: number;
  /** Bar length in px (0 for zero, negative or unreadable values). */
  width: number;
}

export interface BarLayout {
  bars: BarGeometry[];
  width: number;
  height: number;
  /** Left edge of the bars (room for the labels). */
  barX: number;
  /** Longest a bar can be. */
  barSpace: number;
  rowHeight: number;
  barHeight: number;
  /** The value a full-length bar stands for, as a decimal string. */
  scaleMax: string;
}

function toDecimal(value: string): Decimal | null {
  try {
    const decimal = new Decimal(value);
    return decimal.isFinite() ? decimal : null;
  } catch {
    return null;
  }
}

/**
 * The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at least `max`, so a chart's
 * full length reads as a round value. Zero and negatives give 1.
 */
export function niceCeiling(max: string): string {
  const value = toDecimal(max);
  if (!value || value.lte(0)) return '1';
  const exponent = Math.floor(Decimal.log10(value).toNumber());
  const power = new Decimal(10).pow(exponent);
  for (const step of ['1', '2', '2.5', '5', '10']) {
    const candidate = power.times(step);
    if (candidate.gte(value)) return candidate.toString();
  }
  return power.times(10).toString();
}

/**
 * Each value's share of the scale (0…1): `value / niceCeiling(max of values)`. Negative or unreadable
 * values count as 0 (a credit is not drawn as a bar).
 */
export function barFractions(values: readonly string[]): { fractions: number[]; scaleMax: string } {
  const decimals = values.map((value) => {
    const decimal = toDecimal(value);
    return decimal && decimal.gt(0) ? decimal : new Decimal(0);
  });
  const max = decimals.reduce((a, b) => Decimal.max(a, b), new Decimal(0));
  const scaleMax = niceCeiling(max.toString());
  const scale = new Decimal(scaleMax);
  return { fractions: decimals.map((value) => value.div(scale).toNumber()), scaleMax };
}

/** Horizontal bars, one row per datum, labels on the left and values after each bar. */
export function layoutBars(
  data: readonly ChartDatum[],
  options: { width?: number; labelWidth?: number; valueWidth?: number; rowHeight?: number; barHeight?: number } = {},
): BarLayout {
  const width = options.width ?? 560;
  const labelWidth = options.labelWidth ?? 150;
  const valueWidth = options.valueWidth ?? 110;
  const rowHeight = options.rowHeight ?? 34;
  const barHeight = options.barHeight ?? 20;
  const barSpace = Math.max(0, width - labelWidth - valueWidth);
  const { fractions, scaleMax } = barFractions(data.map((datum) => datum.value));
  const bars = data.map((datum, index) => ({
    label: datum.label,
    display: datum.display ?? datum.value,
    y: index * rowHeight,
    width: Math.round((fractions[index] ?? 0) * barSpace * 10) / 10,
  }));
  return { bars, width, height: Math.max(rowHeight, data.length * rowHeight), barX: labelWidth, barSpace, rowHeight, barHeight, scaleMax };
}

/** A sentence for a chart's `aria-label`: its title, then each label and value. */
export function chartSummary(title: string, data: readonly ChartDatum[]): string {
  if (data.length === 0) return `${title}: no data`;
  return `${title}: ${data.map((datum) => `${datum.label} ${datum.display ?? datum.value}`).join(', ')}`;
}

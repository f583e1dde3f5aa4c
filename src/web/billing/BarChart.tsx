import { useId } from 'react';
import { chartSummary, layoutBars, type ChartDatum } from './chart-scale.js';

export interface BarChartProps {
  /** Names the chart (its `aria-label` starts with it) and the hidden data table. */
  title: string;
  data: readonly ChartDatum[];
  /** Column headings of the hidden data table. */
  labelHeading?: string;
  valueHeading?: string;
  className?: string;
}

/**
 * A horizontal bar chart in plain SVG. Screen readers get the `aria-label` summary and a visually
 * hidden table with the same numbers; the drawing itself is hidden from them.
 */
export function BarChart({ title, data, labelHeading = 'Item', valueHeading = 'Value', className }: BarChartProps) {
  const layout = layoutBars(data);
  const titleId = useId();
  const padding = 6;
  return (
    <figure className={`bar-chart${className ? ` ${className}` : ''}`}>
      <svg
        role="img"
        aria-label={chartSummary(title, data)}
        viewBox={`0 0 ${layout.width} ${layout.height + padding * 2}`}
        width={layout.width}
        height={layout.height + padding * 2}
        preserveAspectRatio="xMinYMin meet"
        data-chart={title}
      >
        <g transform={`translate(0 ${padding})`} aria-hidden="true">
          <line className="bar-chart-axis" x1={layout.barX} x2={layout.barX} y1={0} y2={layout.height} />
          {layout.bars.map((bar) => {
            const middle = bar.y + layout.rowHeight / 2;
            return (
              <g key={bar.label} className="bar-chart-row" data-label={bar.label}>
                <text className="bar-chart-label" x={layout.barX - 8} y={middle} textAnchor="end" dominantBaseline="middle">
                  {bar.label}
                </text>
                <rect
                  className="bar-chart-bar"
                  x={layout.barX}
                  y={middle - layout.barHeight / 2}
                  width={Math.max(bar.width, 0)}
                  height={layout.barHeight}
                  rx={3}
                />
                <text className="bar-chart-value" x={layout.barX + bar.width + 6} y={middle} dominantBaseline="middle">
                  {bar.display}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      <table className="visually-hidden" aria-labelledby={titleId}>
        <caption id={titleId}>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            <th scope="col">{valueHeading}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((datum) => (
            <tr key={datum.label}>
              <th scope="row">{datum.label}</th>
              <td>{datum.display ?? datum.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

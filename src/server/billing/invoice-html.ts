/** The printable HTML view of an invoice: self-contained (inline CSS, no script), every value escaped. */
import { describePeriodDays, periodDays } from '../../core/billing/period-dates.js';
import { localDateOf } from '../../core/billing/periods.js';
import type { InvoiceView } from '../../core/schemas/billing.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/**
 * Renders `invoice`. Dates are local dates of the billing time zone (`invoice.timezone`), as on the
 * invoice's lines and in the web app (`periodDays`): the period reads as the first and last day it bills
 * (its end is exclusive, so a period ending at local midnight on April 1 is "to March 31"), never the
 * UTC dates of its instants.
 */
export function renderInvoiceHtml(invoice: InvoiceView, workspaceName: string): string {
  const dateOf = (instant: string) => localDateOf(instant, invoice.timezone);
  const periodText = describePeriodDays(periodDays(invoice.periodStart, invoice.periodEnd, invoice.timezone));
  const title = invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice';
  const rows = invoice.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description)}</td><td class="num">${escapeHtml(line.quantity)}</td><td class="num">${escapeHtml(line.unitAmount ?? '')}</td><td class="num">${escapeHtml(line.amount)}</td></tr>`,
    )
    .join('\n');
  const notes = invoice.creditNotes
    .map(
      (note) =>
        `<li>${escapeHtml(note.number)} (${escapeHtml(dateOf(note.createdAt))}): −${escapeHtml(note.total)} ${escapeHtml(note.currency)} — ${escapeHtml(note.reason)}</li>`,
    )
    .join('\n');
  const taxPercent = (Number(invoice.taxRate) * 100).toLocaleString('en', { maximumFractionDigits: 4 });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  .meta { color: #555; margin-bottom: 1.5rem; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: .4rem .5rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  tfoot td { border: 0; }
  tfoot tr.total td { font-weight: 700; border-top: 2px solid #111; }
  .draft { color: #b45309; font-weight: 600; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}${invoice.status === 'draft' ? ' <span class="draft">(draft — not final)</span>' : ''}</h1>
<div class="meta">
  <div>${escapeHtml(workspaceName)}</div>
  <div>Period: ${escapeHtml(periodText)}</div>
  ${invoice.finalizedAt ? `<div>Issued: ${escapeHtml(dateOf(invoice.finalizedAt))}</div>` : ''}
  <div>Currency: ${escapeHtml(invoice.currency)}</div>
</div>
<table>
<thead><tr><th>Description</th><th class="num">Quantity</th><th class="num">Unit price</th><th class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><td colspan="3" class="num">Subtotal</td><td class="num">${escapeHtml(invoice.subtotal)}</td></tr>
<tr><td colspan="3" class="num">Tax (${escapeHtml(taxPercent)} %)</td><td class="num">${escapeHtml(invoice.tax)}</td></tr>
<tr class="total"><td colspan="3" class="num">Total (${escapeHtml(invoice.currency)})</td><td class="num">${escapeHtml(invoice.total)}</td></tr>
</tfoot>
</table>
${notes ? `<h2>Credit notes</h2>\n<ul>\n${notes}\n</ul>` : ''}
</body>
</html>
`;
}

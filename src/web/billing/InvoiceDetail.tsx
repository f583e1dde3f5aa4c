import { billingApi } from './billing-api.js';
import { formatDate, formatPeriod, moneyLabel } from './billing-format.js';
import { BillTotals } from './BillTotals.js';
import { LinesTable } from './LinesTable.js';
import { useLoad } from './useLoad.js';

/** One invoice read fresh from the API (a draft is re-rated on read): its lines, totals, credit notes, the printable view. */
export function InvoiceDetail({ invoiceId }: { invoiceId: string }) {
  const invoice = useLoad(invoiceId, () => billingApi.getInvoice(invoiceId));
  if (invoice.status === 'loading') return <p className="placeholder">Loading the invoice…</p>;
  if (invoice.status === 'error') {
    return (
      <div className="placeholder" role="alert">
        <p>{invoice.error.detail}</p>
        <button type="button" className="button" onClick={invoice.reload}>
          Try again
        </button>
      </div>
    );
  }
  const value = invoice.value;
  const name = value.number ?? 'Draft invoice';
  return (
    <article className="billing-invoice" aria-labelledby={`invoice-${value.id}`}>
      <h3 id={`invoice-${value.id}`}>{name}</h3>
      <p className="billing-note">
        {/* Days and dates in the billing time zone, as on the lines and the printable invoice. */}
        {formatPeriod(value.periodStart, value.periodEnd, value.timezone)} ({value.timezone}) ·{' '}
        {value.kind === 'opening' ? 'Opening invoice' : 'Closing invoice'}
        {value.finalizedAt ? ` · finalized ${formatDate(value.finalizedAt, value.timezone)}` : ' · draft, updated as usage arrives'}
      </p>
      <LinesTable lines={value.lines} currency={value.currency} caption={`Lines of ${name}`} />
      <BillTotals subtotal={value.subtotal} tax={value.tax} total={value.total} currency={value.currency} label="Total" />
      {!/^0(\.0+)?$/.test(value.unappliedCredit) ? (
        <p className="billing-note">Credit carried to the next invoice: {moneyLabel(value.unappliedCredit, value.currency)}</p>
      ) : null}
      {value.creditNotes.length > 0 ? (
        <>
          <h4>Credit notes</h4>
          <ul>
            {value.creditNotes.map((note) => (
              <li key={note.id}>
                {note.number}: {moneyLabel(note.total, note.currency)} — {note.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href={billingApi.invoiceHtmlUrl(value.id)} target="_blank" rel="noopener">
          Printable invoice<span className="visually-hidden"> {name}</span> (opens in a new tab)
        </a>
      </p>
    </article>
  );
}

import { moneyLabel } from './billing-format.js';

/** Subtotal, tax and total of an invoice or estimate. */
export function BillTotals({ subtotal, tax, total, currency, label }: { subtotal: string; tax: string; total: string; currency: string; label: string }) {
  return (
    <dl className="billing-totals">
      <div>
        <dt>Subtotal</dt>
        <dd>{moneyLabel(subtotal, currency)}</dd>
      </div>
      <div>
        <dt>Tax</dt>
        <dd>{moneyLabel(tax, currency)}</dd>
      </div>
      <div className="billing-total">
        <dt>{label}</dt>
        <dd data-testid="billing-total">{moneyLabel(total, currency)}</dd>
      </div>
    </dl>
  );
}

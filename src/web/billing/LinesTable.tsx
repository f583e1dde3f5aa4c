import { formatQuantity } from './billing-format.js';

/** Invoice or estimate lines; amounts exactly as the API gave them. */
export function LinesTable({
  lines,
  currency,
  caption,
}: {
  lines: readonly { description: string; quantity: string; unitAmount?: string | undefined; amount: string; meter?: string | undefined }[];
  currency: string;
  caption: string;
}) {
  if (lines.length === 0) return <p className="billing-empty">No lines.</p>;
  return (
    <table className="billing-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Description</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Unit price
          </th>
          <th scope="col" className="num">
            Amount ({currency})
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, index) => (
          <tr key={index}>
            <td>{line.description}</td>
            <td className="num">{line.meter ? formatQuantity(line.meter, line.quantity) : line.quantity}</td>
            <td className="num">{line.unitAmount ?? '—'}</td>
            <td className="num">{line.amount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

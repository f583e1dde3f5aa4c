import { useState } from 'react';
import type { InvoiceView, PlanView, SubscriptionView, UsageView } from '../../core/schemas/billing.js';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { BarChart } from './BarChart.js';
import { billingApi } from './billing-api.js';
import { formatDate, formatPeriod, formatQuantity, meterLabel, moneyLabel } from './billing-format.js';
import { BillTotals } from './BillTotals.js';
import { InvoiceDetail } from './InvoiceDetail.js';
import { LinesTable } from './LinesTable.js';
import { useLoad } from './useLoad.js';

interface WorkspaceBillingData {
  subscription: SubscriptionView | null;
  /** The plan in force, for its name and price. */
  plan: PlanView | null;
  usage: UsageView | null;
  invoices: InvoiceView[];
}

/** A workspace's plan, usage this period (chart), estimated bill and invoices. */
export function WorkspaceBilling({ workspaces, initialWorkspaceId }: { workspaces: readonly WorkspaceSummary[]; initialWorkspaceId: string | null }) {
  const [chosenId, setWorkspaceId] = useState<string | null>(null);
  // The chosen one, else the sidebar's workspace when it is billable, else the first (workspaces may arrive later).
  const isBillable = (id: string | null) => id !== null && workspaces.some((workspace) => workspace.id === id);
  const workspaceId = isBillable(chosenId) ? chosenId : isBillable(initialWorkspaceId) ? initialWorkspaceId : (workspaces[0]?.id ?? null);
  const [openInvoiceId, setOpenInvoiceId] = useState<string | null>(null);
  const data = useLoad<WorkspaceBillingData>(workspaceId, async (signal) => {
    const [subscription, invoices] = await Promise.all([billingApi.getSubscription(workspaceId!, signal), billingApi.listInvoices(workspaceId!, signal)]);
    const [usage, plan] = subscription
      ? await Promise.all([billingApi.getUsage(workspaceId!, signal), billingApi.getPlan(subscription.plan, signal)])
      : [null, null];
    return { subscription, plan, usage, invoices };
  });

  if (workspaces.length === 0) {
    return <p className="placeholder">You are not an admin of any workspace, so there is no billing to show.</p>;
  }

  return (
    <div className="billing-workspace">
      {workspaces.length > 1 ? (
        <div className="field billing-workspace-picker">
          <label htmlFor="billing-workspace">Workspace</label>
          <select
            id="billing-workspace"
            value={workspaceId ?? ''}
            onChange={(event) => {
              setWorkspaceId(event.target.value);
              setOpenInvoiceId(null);
            }}
          >
            {workspaces.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {data.status === 'loading' ? <p className="placeholder">Loading billing…</p> : null}
      {data.status === 'error' ? (
        <div className="placeholder" role="alert">
          <p>{data.error.detail}</p>
          <button type="button" className="button" onClick={data.reload}>
            Try again
          </button>
        </div>
      ) : null}
      {data.status === 'ready' ? (
        <>
          <PlanSection subscription={data.value.subscription} plan={data.value.plan} />
          {data.value.usage ? <UsageSection usage={data.value.usage} timezone={data.value.subscription?.timezone ?? 'UTC'} /> : null}
          <InvoicesSection invoices={data.value.invoices} openInvoiceId={openInvoiceId} onOpen={setOpenInvoiceId} />
        </>
      ) : null}
    </div>
  );
}

function PlanSection({ subscription, plan }: { subscription: SubscriptionView | null; plan: PlanView | null }) {
  if (!subscription) {
    return (
      <section className="billing-card" aria-labelledby="billing-plan-heading">
        <h2 id="billing-plan-heading">Plan</h2>
        <p className="billing-empty">This workspace has no subscription, so nothing is billed. Usage and estimates appear once it subscribes to a plan.</p>
      </section>
    );
  }
  const trial = subscription.phases.at(-1)?.trial ?? false;
  return (
    <section className="billing-card" aria-labelledby="billing-plan-heading">
      <h2 id="billing-plan-heading">Plan</h2>
      <dl className="billing-facts">
        <div>
          <dt>Plan</dt>
          <dd className="billing-plan-name">
            {plan?.name ?? subscription.plan} <code>{subscription.plan}</code>
          </dd>
        </div>
        {plan ? (
          <div>
            <dt>Fixed fee</dt>
            <dd>
              {moneyLabel(plan.amount, plan.currency)} per {plan.interval}
              {plan.payInAdvance ? ', in advance' : ''}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Status</dt>
          <dd>
            {subscription.status === 'canceled' ? 'Canceled' : subscription.cancelAtPeriodEnd ? 'Ends at the end of this period' : trial ? 'Trial' : 'Active'}
          </dd>
        </div>
        <div>
          <dt>Current period</dt>
          <dd>{formatPeriod(subscription.currentPeriodStart, subscription.currentPeriodEnd, subscription.timezone)}</dd>
        </div>
        <div>
          <dt>Since</dt>
          <dd>{formatDate(subscription.startAt, subscription.timezone)}</dd>
        </div>
        {subscription.trialEnd ? (
          <div>
            <dt>Trial ends</dt>
            <dd>{formatDate(subscription.trialEnd, subscription.timezone)}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

function UsageSection({ usage, timezone }: { usage: UsageView; timezone: string }) {
  const meters = Object.entries(usage.quantities);
  const chart = meters.map(([meter, quantity]) => ({ label: meterLabel(meter), value: quantity, display: formatQuantity(meter, quantity) }));
  return (
    <>
      <section className="billing-card" aria-labelledby="billing-usage-heading">
        <h2 id="billing-usage-heading">Usage this period</h2>
        <p className="billing-note">
          {formatPeriod(usage.periodStart, usage.periodEnd, timezone)}, as of {formatDate(usage.asOf, timezone)}
        </p>
        {meters.length === 0 ? (
          <p className="billing-empty">This plan meters nothing.</p>
        ) : (
          <BarChart title="Usage this period by meter" data={chart} labelHeading="Meter" valueHeading="Quantity" />
        )}
      </section>
      <section className="billing-card" aria-labelledby="billing-estimate-heading">
        <h2 id="billing-estimate-heading">Estimated bill</h2>
        <p className="billing-note">What this period would cost if it ended now; the invoice is computed the same way.</p>
        <LinesTable lines={usage.lines} currency={usage.currency} caption="Estimated bill lines" />
        <BillTotals subtotal={usage.subtotal} tax={usage.tax} total={usage.total} currency={usage.currency} label="Estimated total" />
      </section>
    </>
  );
}

function InvoicesSection({
  invoices,
  openInvoiceId,
  onOpen,
}: {
  invoices: readonly InvoiceView[];
  openInvoiceId: string | null;
  onOpen: (id: string | null) => void;
}) {
  return (
    <section className="billing-card" aria-labelledby="billing-invoices-heading">
      <h2 id="billing-invoices-heading">Invoices</h2>
      {invoices.length === 0 ? (
        <p className="billing-empty">No invoices yet. The first one is drafted when the current period ends.</p>
      ) : (
        <table className="billing-table">
          <caption className="visually-hidden">Invoices</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => {
              const name = invoice.number ?? `Draft (${invoice.kind})`;
              return (
                <tr key={invoice.id} aria-current={invoice.id === openInvoiceId ? 'true' : undefined}>
                  <td>{name}</td>
                  <td>{formatPeriod(invoice.periodStart, invoice.periodEnd, invoice.timezone)}</td>
                  <td>{invoice.status === 'draft' ? 'Draft' : 'Finalized'}</td>
                  <td className="num">{moneyLabel(invoice.total, invoice.currency)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-expanded={invoice.id === openInvoiceId}
                      onClick={() => onOpen(invoice.id === openInvoiceId ? null : invoice.id)}
                    >
                      {invoice.id === openInvoiceId ? 'Hide' : 'Details'}
                      <span className="visually-hidden"> of {name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {openInvoiceId ? <InvoiceDetail invoiceId={openInvoiceId} /> : null}
    </section>
  );
}

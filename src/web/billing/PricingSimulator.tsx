import { useId, useState, type FormEvent } from 'react';
import type { SimulateResult } from '../../core/schemas/billing.js';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { BarChart } from './BarChart.js';
import { billingApi } from './billing-api.js';
import { dateInputToIso, distributionSentence, isoToDateInput, moneyLabel } from './billing-format.js';
import { useLoad } from './useLoad.js';

const day = 24 * 60 * 60 * 1000;

/** Operators: replays recorded engagement under candidate plans and compares with today's bills. */
export function PricingSimulator({ knownWorkspaces }: { knownWorkspaces: readonly WorkspaceSummary[] }) {
  const plans = useLoad('plans', () => billingApi.listPlans());
  const [from, setFrom] = useState(() => isoToDateInput(new Date(Date.now() - 30 * day)));
  const [to, setTo] = useState(() => isoToDateInput(new Date(Date.now() + day)));
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SimulateResult | null>(null);
  const fromId = useId();
  const toId = useId();

  async function run(event: FormEvent) {
    event.preventDefault();
    const fromIso = dateInputToIso(from);
    const toIso = dateInputToIso(to);
    if (!fromIso || !toIso) return setError('Enter both dates.');
    if (fromIso >= toIso) return setError('The end date must be after the start date.');
    if (chosen.size === 0) return setError('Choose at least one plan.');
    setError(null);
    setBusy(true);
    try {
      setResult(await billingApi.simulate({ from: fromIso, to: toIso, plans: [...chosen] }));
    } catch (failure) {
      setError(toApiError(failure).detail);
    } finally {
      setBusy(false);
    }
  }

  function toggle(code: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(code);
    else next.delete(code);
    setChosen(next);
  }

  return (
    <div className="billing-simulator">
      <section className="billing-card" aria-labelledby="billing-simulator-heading">
        <h2 id="billing-simulator-heading">Run a simulation</h2>
        <p className="billing-note">
          Replays the recorded engagement of every active workspace under the chosen plans, at list prices, and compares with what their current plan bills.
        </p>
        <form onSubmit={(event) => void run(event)} className="billing-simulator-form" noValidate>
          <div className="billing-dates">
            <div className="field">
              <label htmlFor={fromId}>From</label>
              <input id={fromId} type="date" value={from} onChange={(event) => setFrom(event.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor={toId}>To (exclusive)</label>
              <input id={toId} type="date" value={to} onChange={(event) => setTo(event.target.value)} required />
            </div>
          </div>
          <fieldset className="billing-plan-choice">
            <legend>Plans to simulate</legend>
            {plans.status === 'loading' ? <p className="billing-note">Loading plans…</p> : null}
            {plans.status === 'error' ? <p role="alert">{plans.error.detail}</p> : null}
            {plans.status === 'ready' && plans.value.length === 0 ? <p className="billing-empty">No plans yet: create one first.</p> : null}
            {plans.status === 'ready'
              ? plans.value.map((plan) => (
                  <label key={plan.code} className="billing-check">
                    <input type="checkbox" checked={chosen.has(plan.code)} onChange={(event) => toggle(plan.code, event.target.checked)} />
                    {plan.name} <code>{plan.code}</code>
                  </label>
                ))
              : null}
          </fieldset>
          {error ? (
            <p role="alert" className="field-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Simulating…' : 'Run simulation'}
          </button>
        </form>
      </section>
      {result ? <SimulationResult result={result} knownWorkspaces={knownWorkspaces} /> : null}
    </div>
  );
}

function SimulationResult({ result, knownWorkspaces }: { result: SimulateResult; knownWorkspaces: readonly WorkspaceSummary[] }) {
  // Revenue in different currencies is not comparable: one chart per currency.
  const currencies = [...new Set(result.plans.map((plan) => plan.currency))];
  const nameOf = (workspaceId: string) => knownWorkspaces.find((workspace) => workspace.id === workspaceId)?.name;
  const planCodes = result.plans.map((plan) => plan.plan);
  return (
    <>
      <section className="billing-card" aria-labelledby="billing-revenue-heading">
        <h2 id="billing-revenue-heading">Revenue per plan</h2>
        <p className="billing-note">
          Before tax, over {result.workspaces.length} {result.workspaces.length === 1 ? 'workspace' : 'workspaces'}.
        </p>
        {currencies.map((currency) => (
          <BarChart
            key={currency}
            title={currencies.length > 1 ? `Simulated revenue per plan in ${currency}` : 'Simulated revenue per plan'}
            data={result.plans
              .filter((plan) => plan.currency === currency)
              .map((plan) => ({ label: plan.plan, value: plan.revenue, display: moneyLabel(plan.revenue, plan.currency) }))}
            labelHeading="Plan"
            valueHeading="Revenue"
          />
        ))}
      </section>
      <section className="billing-card" aria-labelledby="billing-distribution-heading">
        <h2 id="billing-distribution-heading">Compared with today</h2>
        <table className="billing-table">
          <caption className="visually-hidden">How many workspaces would pay more or less than under their current plan</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Pay more
              </th>
              <th scope="col" className="num">
                Pay less
              </th>
              <th scope="col" className="num">
                Same
              </th>
              <th scope="col" className="num">
                Not comparable
              </th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {result.plans.map((plan) => (
              <tr key={plan.plan}>
                <th scope="row">{plan.plan}</th>
                <td className="num">{plan.distribution.more}</td>
                <td className="num">{plan.distribution.less}</td>
                <td className="num">{plan.distribution.same}</td>
                <td className="num">{plan.distribution.notComparable}</td>
                <td>{distributionSentence(plan.distribution)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="billing-note">Not comparable: no current plan, or one in another currency.</p>
      </section>
      <section className="billing-card" aria-labelledby="billing-per-workspace-heading">
        <h2 id="billing-per-workspace-heading">Per workspace</h2>
        {result.workspaces.length === 0 ? (
          <p className="billing-empty">No workspace had any engagement in this range.</p>
        ) : (
          <div className="billing-table-scroll">
            <table className="billing-table">
              <caption className="visually-hidden">Simulated bill of each workspace</caption>
              <thead>
                <tr>
                  <th scope="col">Workspace</th>
                  <th scope="col">Current plan</th>
                  <th scope="col" className="num">
                    Today
                  </th>
                  {planCodes.map((code) => (
                    <th scope="col" className="num" key={code}>
                      {code}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.workspaces.map((workspace) => (
                  <tr key={workspace.workspaceId}>
                    <th scope="row">{nameOf(workspace.workspaceId) ?? <code>{workspace.workspaceId}</code>}</th>
                    <td>{workspace.currentPlan ?? '—'}</td>
                    <td className="num">{workspace.current ? moneyLabel(workspace.current.amount, workspace.current.currency) : '—'}</td>
                    {result.plans.map((plan) => (
                      <td className="num" key={plan.plan}>
                        {workspace.byPlan[plan.plan] !== undefined ? moneyLabel(workspace.byPlan[plan.plan]!, plan.currency) : '—'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

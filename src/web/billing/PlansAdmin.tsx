import { useId, useState, type FormEvent } from 'react';
import type { PlanView } from '../../core/schemas/billing.js';
import { toApiError } from '../api/client.js';
import { billingApi } from './billing-api.js';
import { meterLabel, parsePlanJson, planTemplate, type FieldProblem } from './billing-format.js';
import { useLoad } from './useLoad.js';

/** Operators: every plan, and a form creating one (plans are immutable once created). */
export function PlansAdmin() {
  const plans = useLoad('plans', () => billingApi.listPlans());
  return (
    <div className="billing-plans">
      <section className="billing-card" aria-labelledby="billing-plans-heading">
        <h2 id="billing-plans-heading">Plans</h2>
        {plans.status === 'loading' ? <p className="placeholder">Loading plans…</p> : null}
        {plans.status === 'error' ? (
          <div className="placeholder" role="alert">
            <p>{plans.error.detail}</p>
            <button type="button" className="button" onClick={plans.reload}>
              Try again
            </button>
          </div>
        ) : null}
        {plans.status === 'ready' ? <PlansTable plans={plans.value} /> : null}
      </section>
      <CreatePlanForm onCreated={plans.reload} />
    </div>
  );
}

function describeCharge(charge: PlanView['charges'][number]): string {
  const price = 'unitAmount' in charge ? ` at ${String(charge.unitAmount)} per unit` : '';
  return `${meterLabel(charge.meter)} (${charge.model}${price})`;
}

function PlansTable({ plans }: { plans: readonly PlanView[] }) {
  if (plans.length === 0) return <p className="billing-empty">No plans yet: create the first one below.</p>;
  return (
    <table className="billing-table">
      <caption className="visually-hidden">Plans</caption>
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Name</th>
          <th scope="col">Interval</th>
          <th scope="col" className="num">
            Fee
          </th>
          <th scope="col">Charges</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((plan) => (
          <tr key={plan.code}>
            <td>
              <code>{plan.code}</code>
            </td>
            <td>{plan.name}</td>
            <td>
              {plan.interval}
              {plan.payInAdvance ? ', in advance' : ''}
              {plan.trialDays ? `, ${plan.trialDays}-day trial` : ''}
            </td>
            <td className="num">
              {plan.amount} {plan.currency}
            </td>
            <td>{plan.charges.length === 0 ? '—' : plan.charges.map(describeCharge).join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreatePlanForm({ onCreated }: { onCreated: () => void }) {
  const [text, setText] = useState(planTemplate);
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const textareaId = useId();
  const hintId = useId();
  const errorsId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const parsed = parsePlanJson(text);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const plan = await billingApi.createPlan(parsed.plan);
      setMessage(`Created plan “${plan.name}” (${plan.code}).`);
      onCreated();
    } catch (error) {
      const apiError = toApiError(error);
      setErrors(
        apiError.errors.length > 0 ? apiError.errors.map((e) => ({ field: e.field, message: e.message })) : [{ field: '(plan)', message: apiError.detail }],
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="billing-card" aria-labelledby="billing-create-plan-heading">
      <h2 id="billing-create-plan-heading">Create a plan</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={textareaId}>Plan (JSON)</label>
          <textarea
            id={textareaId}
            className="billing-json"
            rows={14}
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={errors.length > 0 ? true : undefined}
            aria-describedby={`${hintId}${errors.length > 0 ? ` ${errorsId}` : ''}`}
          />
          <p id={hintId} className="field-hint">
            Fields: code, name, interval (month or year), currency, amount, payInAdvance, optional trialDays, minimum and activeMembersWindowDays, and charges
            (meter, model: standard, graduated, volume or package, and the model’s prices). Money is a decimal string such as "10.00".
          </p>
          {errors.length > 0 ? (
            <ul id={errorsId} className="field-error billing-errors" role="alert">
              {errors.map((error, index) => (
                <li key={index}>
                  <code>{error.field}</code>: {error.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create plan'}
        </button>
        {message ? (
          <p role="status" className="billing-note">
            {message}
          </p>
        ) : null}
      </form>
    </section>
  );
}

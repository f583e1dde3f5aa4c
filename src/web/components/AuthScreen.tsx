import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { loginBody, signupBody } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import type { Session } from '../hooks/useSession.js';
import { Icon } from './Icon.js';

type Mode = 'signIn' | 'signUp';
type Field = 'name' | 'email' | 'password';

/** Sign in, or create an account; checks fields with the API's own schemas before sending. */
export function AuthScreen({ session }: { session: Session }) {
  const [mode, setMode] = useState<Mode>('signIn');
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The form whose first invalid field takes the focus once the errors are on screen (after the render that shows
  // them: a timer or an animation frame can come before it when the errors come from the server's answer).
  const focusInvalidIn = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    const form = focusInvalidIn.current;
    focusInvalidIn.current = null;
    form?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);
  const id = useId();
  const signingUp = mode === 'signUp';

  function switchMode(next: Mode) {
    setMode(next);
    setFieldErrors({});
    setFormError(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read now: React clears `currentTarget` once the event is handled, before the server answers.
    const form = event.currentTarget;
    const input = signingUp ? values : { email: values.email, password: values.password };
    const parsed = (signingUp ? signupBody : loginBody).safeParse(input);
    if (!parsed.success) {
      const errors: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Field;
        errors[field] ??= values[field].trim() === '' ? `${labels[field]} is required.` : sentence(field, issue.message);
      }
      setFieldErrors(errors);
      setFormError(null);
      focusInvalidIn.current = form;
      return;
    }
    setBusy(true);
    setFieldErrors({});
    setFormError(null);
    try {
      if (signingUp) await session.signUp(signupBody.parse(values));
      else await session.signIn(loginBody.parse(input));
    } catch (error) {
      const apiError = toApiError(error);
      const errors: Partial<Record<Field, string>> = {};
      for (const { field, message } of apiError.errors) {
        if (field === 'name' || field === 'email' || field === 'password') errors[field] ??= sentence(field, message);
      }
      if (apiError.code === 'email_taken') errors.email = apiError.detail;
      setFieldErrors(errors);
      setFormError(Object.keys(errors).length > 0 ? null : apiError.detail);
      // The server's word on a field ("already taken") is announced like the form's own checks: the field takes the focus.
      if (Object.keys(errors).length > 0) focusInvalidIn.current = form;
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field, label: string, type: string, autoComplete: string, extra: { hint?: string; maxLength: number; first?: boolean }) => {
    const error = fieldErrors[name];
    // The hint gives way to the error: describe the field by what is shown.
    const describedBy = error ? `${id}-${name}-error` : extra.hint ? `${id}-${name}-hint` : '';
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          name={name}
          type={type}
          autoComplete={autoComplete}
          maxLength={extra.maxLength}
          value={values[name]}
          onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          // The form is the whole screen: the cursor starts in its first field.
          autoFocus={extra.first}
          required
        />
        {extra.hint && !error ? (
          <p className="field-hint" id={`${id}-${name}-hint`}>
            {extra.hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={`${id}-${name}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <main className="auth">
      <div className="auth-card">
        <p className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="check" size={20} />
          </span>
          Listo
        </p>
        <h1>{signingUp ? 'Create your account' : 'Welcome back'}</h1>
        <p className="auth-lede">{signingUp ? 'Shared to-do lists that keep everyone in step.' : 'Sign in to see your lists.'}</p>
        <form onSubmit={submit} noValidate aria-describedby={formError ? `${id}-form-error` : undefined}>
          {signingUp ? field('name', 'Name', 'text', 'name', { maxLength: limits.nameMax, first: true }) : null}
          {field('email', 'Email', 'email', 'email', { maxLength: limits.emailMax, first: !signingUp })}
          {field('password', 'Password', 'password', signingUp ? 'new-password' : 'current-password', {
            maxLength: limits.passwordMax,
            ...(signingUp ? { hint: `At least ${limits.passwordMin} characters.` } : {}),
          })}
          {formError ? (
            <p className="form-error" role="alert" id={`${id}-form-error`}>
              {formError}
            </p>
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? (signingUp ? 'Creating account…' : 'Signing in…') : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="auth-switch">
          {signingUp ? 'Already have an account?' : 'New to Listo?'}{' '}
          <button type="button" className="link-button" onClick={() => switchMode(signingUp ? 'signIn' : 'signUp')}>
            {signingUp ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </div>
    </main>
  );
}

const labels: Record<Field, string> = { name: 'Name', email: 'Email', password: 'Password' };

/** "must be at least 8 characters" → "Password must be at least 8 characters." */
function sentence(field: Field, message: string): string {
  const text = /^[a-z]/.test(message) ? `${labels[field]} ${message}` : message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

import { useId, useRef, useState } from 'react';

/** A link to hand on: shown in a read-only field with a Copy button that says when it worked. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('Copied');
    } catch {
      // No clipboard access (plain http, permissions): select it so Ctrl/⌘+C works.
      input.current?.select();
      setStatus('Press Ctrl+C (⌘C on a Mac) to copy');
    }
  }

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field-row">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        <button type="button" className="button button-small" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <p className="copy-status" role="status">
        {status}
      </p>
    </div>
  );
}

import { useId, useState } from 'react';
import { link } from '../../core/content-types/link.js';

/** A new link block: the address (http or https) and an optional title, checked with core's schema. */
export function LinkBlockForm({ onAdd, onCancel }: { onAdd: (block: { type: 'link'; url: string; title?: string }) => void; onCancel: () => void }) {
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  return (
    <form
      className="block-link-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = link.payloadSchema.safeParse({ type: 'link', url: url.trim(), ...(title.trim() ? { title } : {}) });
        if (!parsed.success) {
          setError(parsed.error.issues.map((issue) => `${issue.path.join('.') === 'url' ? 'The address' : 'The title'} ${issue.message}`).join('. '));
          return;
        }
        onAdd(parsed.data);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={`${id}-url`}>Link address</label>
      <input
        id={`${id}-url`}
        className="text-input"
        type="url"
        inputMode="url"
        placeholder="https://…"
        value={url}
        data-autofocus
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          setUrl(event.target.value);
          setError(null);
        }}
      />
      <label htmlFor={`${id}-title`}>Title (optional)</label>
      <input id={`${id}-title`} className="text-input" type="text" value={title} maxLength={link.limits.maxTitle} onChange={(event) => setTitle(event.target.value)} />
      {error ? (
        <p id={`${id}-error`} className="block-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="block-form-actions">
        <button type="submit" className="button button-primary button-small">
          Add link
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

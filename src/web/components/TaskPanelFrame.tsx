import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api/client.js';
import { focusIsLost } from '../lib/focus.js';

/**
 * The frame of a panel of tasks gathered from many lists ("Upcoming", "Assigned to me"): its heading with a one-line
 * summary and Refresh, and the loading, failed and empty states, around what the panel shows once loaded.
 */
export function TaskPanelFrame(props: {
  id: string;
  className: string;
  title: string;
  summary: string;
  status: 'loading' | 'ready' | 'error';
  /** Why the last load failed; once loaded, a failed refresh says so above what is still shown. */
  error: ApiError | null;
  /** A load is on its way (Refresh and Try again look and are inactive meanwhile). */
  busy: boolean;
  loadingText: string;
  /** Shown when loaded with nothing to show. */
  emptyText: string | null;
  onRefresh: () => void;
  children: ReactNode;
}) {
  const titleId = `${props.id}-title`;
  const heading = useRef<HTMLHeadingElement>(null);
  // "Try again" worked and went away with the failure, with the focus it had: the heading takes it.
  const lastStatus = useRef(props.status);
  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = props.status;
    if (was === 'error' && props.status !== 'error' && focusIsLost()) heading.current?.focus();
  }, [props.status]);
  const refresh = () => {
    if (!props.busy) props.onRefresh();
  };
  return (
    <section className={`list-panel ${props.className}`} aria-labelledby={titleId} aria-busy={props.busy}>
      <header className="list-header">
        <div className="list-heading">
          {/* Focusable by script: the panel gives it the focus when what had it went away. */}
          <h1 id={titleId} ref={heading} tabIndex={-1}>
            {props.title}
          </h1>
          <p className="list-progress">
            <span>{props.status === 'ready' && props.summary ? props.summary : ' '}</span>
          </p>
        </div>
        <div className="list-actions">
          {/* aria-disabled, not disabled: the button keeps the focus while it works. */}
          <button type="button" className="button button-small" aria-disabled={props.busy} onClick={refresh}>
            {props.busy && props.status === 'ready' ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </header>
      {props.status === 'loading' ? (
        <p className="placeholder" aria-busy="true">
          {props.loadingText}
        </p>
      ) : null}
      {props.status === 'error' ? (
        <div className="placeholder" role="alert">
          <p>{props.error?.detail ?? 'Your tasks could not be loaded.'}</p>
          <button type="button" className="button" aria-disabled={props.busy} onClick={refresh}>
            {props.busy ? 'Trying again…' : 'Try again'}
          </button>
        </div>
      ) : null}
      {props.status === 'ready' && props.error ? (
        <p className="panel-refresh-error" role="alert">
          Could not refresh: {props.error.detail} What is shown may be out of date.
        </p>
      ) : null}
      {props.status === 'ready' && props.emptyText !== null ? <p className="placeholder">{props.emptyText}</p> : null}
      {props.children}
    </section>
  );
}

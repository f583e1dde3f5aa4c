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
  error: ApiError | null;
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
  return (
    <section className={`list-panel ${props.className}`} aria-labelledby={titleId}>
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
          <button type="button" className="button button-small" onClick={props.onRefresh}>
            Refresh
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
          <button type="button" className="button" onClick={props.onRefresh}>
            Try again
          </button>
        </div>
      ) : null}
      {props.status === 'ready' && props.emptyText !== null ? <p className="placeholder">{props.emptyText}</p> : null}
      {props.children}
    </section>
  );
}

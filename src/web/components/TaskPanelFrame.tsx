import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.js';

/**
 * The frame of a panel of tasks gathered from many lists ("Upcoming", "Assigned to me"): its heading with a one-line
 * summary and Refresh, and the loading, failed and empty states, around what the panel shows once loaded.
 */
export function TaskPanelFrame(props: {
  id: string;
  className: string;
  title: string;
  /** Focusable, so the panel can give its heading the focus when it opens. */
  focusableTitle?: boolean;
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
  return (
    <section className={`list-panel ${props.className}`} aria-labelledby={titleId}>
      <header className="list-header">
        <div className="list-heading">
          <h1 id={titleId} tabIndex={props.focusableTitle ? -1 : undefined}>
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

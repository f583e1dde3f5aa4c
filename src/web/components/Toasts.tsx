import { useToasts } from '../hooks/useToasts.js';
import { toastStore } from '../state/toasts.store.js';
import { Icon } from './Icon.js';

/** The toast stack; a live region that exists before any toast, so screen readers read each new one. */
export function Toasts() {
  const toasts = useToasts();
  return (
    <section className="toasts" aria-label="Notifications">
      <ol aria-live="polite" aria-relevant="additions text">
        {toasts.map((toast) => (
          <li
            key={toast.id}
            className={`toast toast-${toast.tone}`}
            onMouseEnter={() => toastStore.hold(toast.id, true)}
            onMouseLeave={() => toastStore.hold(toast.id, false)}
            onFocus={() => toastStore.hold(toast.id, true)}
            onBlur={() => toastStore.hold(toast.id, false)}
          >
            <span className="toast-message">{toast.message}</span>
            {toast.action ? (
              <button type="button" className="toast-action" onClick={toast.action.run}>
                {toast.action.label}
              </button>
            ) : null}
            <button type="button" className="icon-button toast-close" aria-label="Dismiss notification" onClick={() => toastStore.dismiss(toast.id)}>
              <Icon name="close" size={16} />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

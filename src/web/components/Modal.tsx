import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon.js';

export interface ModalProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** `center`: a dialog; `side`: a panel on the right; `popover`: a small panel near the sidebar's top. */
  variant?: 'center' | 'side' | 'popover';
  /** Extra class on the `<dialog>`. */
  className?: string;
  /** Beside the title (e.g. "Mark all read"). */
  headerActions?: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>`: the rest of the page is inert while it is open (focus stays
 * inside), Escape and the backdrop close it, and focus goes back to where it was. Focus starts on the
 * first element marked `data-autofocus`, else the first focusable one after the title's close button.
 */
export function Modal({ title, onClose, children, variant = 'center', className, headerActions }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latestOnClose = useRef(onClose);
  useEffect(() => {
    latestOnClose.current = onClose;
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    const first =
      element.querySelector<HTMLElement>('[data-autofocus]') ??
      [
        ...element.querySelectorAll<HTMLElement>(
          '.modal-body button, .modal-body input, .modal-body select, .modal-body textarea, .modal-body a[href], .modal-body [tabindex]',
        ),
      ].find((candidate) => !candidate.hasAttribute('disabled') && candidate.tabIndex >= 0);
    first?.focus();
    return () => {
      element.close();
      // Back to the control that opened the dialog (if it is still there), as the WAI-ARIA dialog pattern asks.
      if (opener?.isConnected) requestAnimationFrame(() => opener.focus());
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className={['dialog', 'modal', `modal-${variant}`, className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // `cancel` of a dialog opened from this one reaches here through React's tree: only our own.
        if (event.target !== event.currentTarget) return;
        event.preventDefault();
        latestOnClose.current();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) latestOnClose.current(); // a click on the backdrop
      }}
      // Escape is this dialog's (native cancel): not also for the drawer or panel around it.
      onKeyDown={(event) => {
        if (event.key === 'Escape') event.stopPropagation();
      }}
    >
      <div className="modal-inner">
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          {headerActions}
          <button type="button" className="icon-button" aria-label="Close" onClick={() => latestOnClose.current()}>
            <Icon name="close" />
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </dialog>
  );
}

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { focusIsLost } from '../lib/focus.js';
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
  /** Where the focus starts (unless an element is marked `data-autofocus`): the first control of the body, or Close. */
  initialFocus?: 'content' | 'close';
  /** Where the focus goes on closing when the opener is gone (a search result, a notification): e.g. the task's row. */
  returnFocus?: () => HTMLElement | null;
}

/**
 * A modal dialog on the native `<dialog>`: the rest of the page is inert while it is open (focus stays
 * inside), Escape and the backdrop close it, and focus goes back to where it was (or to `returnFocus()` when that is
 * gone). Focus starts on the first element marked `data-autofocus`, else the first focusable one of the dialog's own
 * body (not of a dialog it sits in), or its Close button with `initialFocus="close"` or an empty body.
 */
export function Modal({ title, onClose, children, variant = 'center', className, headerActions, initialFocus = 'content', returnFocus }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latestOnClose = useRef(onClose);
  const latestReturnFocus = useRef(returnFocus);
  const initialFocusRef = useRef(initialFocus);
  useEffect(() => {
    latestOnClose.current = onClose;
    latestReturnFocus.current = returnFocus;
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (!element.open) element.showModal();
    // `:scope >`: this dialog's own body. A dialog opened inside another's body (a lightbox in a task's details) is
    // itself within a `.modal-body`, and a plain `.modal-body button` would match its header's Close button.
    const body = ':scope > .modal-inner > .modal-body';
    const content =
      initialFocusRef.current === 'content'
        ? [
            ...element.querySelectorAll<HTMLElement>(
              ['button', 'input', 'select', 'textarea', 'a[href]', '[tabindex]'].map((what) => `${body} ${what}`).join(', '),
            ),
          ].find((candidate) => !candidate.hasAttribute('disabled') && candidate.tabIndex >= 0)
        : undefined;
    const first =
      element.querySelector<HTMLElement>('[data-autofocus]') ??
      content ??
      element.querySelector<HTMLElement>(':scope > .modal-inner > .modal-header > .close-button');
    first?.focus();
    return () => {
      if (element.open) element.close();
      // Back to the control that opened the dialog (if it is still there), as the WAI-ARIA dialog pattern asks; when it
      // is gone (a search result, a notification), where the caller says, unless something else took the focus.
      requestAnimationFrame(() => {
        if (opener?.isConnected) opener.focus();
        else if (focusIsLost()) latestReturnFocus.current?.()?.focus();
      });
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
          {/* Titles carry what people wrote (a task's title, a list's name): right to left when that is Hebrew or Arabic. */}
          <h2 id={titleId} dir="auto">
            {title}
          </h2>
          {headerActions}
          <button type="button" className="icon-button close-button" aria-label="Close" onClick={() => latestOnClose.current()}>
            <Icon name="close" />
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </dialog>
  );
}

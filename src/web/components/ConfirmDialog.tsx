import { useEffect, useRef, type ReactNode } from 'react';
import { focusIsLost } from '../lib/focus.js';

/**
 * A modal question (native `<dialog>`: focus stays inside, Escape cancels); Cancel has focus first. Once it is gone,
 * the focus goes back to where it was (if that is still there and nothing else took it), as `Modal` does.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  cancelLabel?: string;
  /** `danger` (the default) for what cannot be undone; `primary` for a choice that is not a loss. */
  tone?: 'danger' | 'primary';
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (element && !element.open) element.showModal();
    return () => {
      // Unmounted, the dialog is already out of the page (which does not move the focus back): the opener is focused here.
      if (element?.open) element.close();
      requestAnimationFrame(() => {
        if (opener?.isConnected && focusIsLost()) opener.focus();
      });
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) props.onCancel(); // outside .dialog-inner: the backdrop
      }}
    >
      <div className="dialog-inner">
        <h2 id="confirm-title">{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-actions">
          <button type="button" className="button" autoFocus onClick={props.onCancel}>
            {props.cancelLabel ?? 'Cancel'}
          </button>
          <button type="button" className={`button ${props.tone === 'primary' ? 'button-primary' : 'button-danger'}`} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}

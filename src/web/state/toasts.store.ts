/** Short messages at the bottom of the screen: errors, and confirmations with an action such as Undo. */

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  action?: ToastAction;
}

export interface ShowToast {
  message: string;
  tone?: Toast['tone'];
  action?: ToastAction;
  /** Milliseconds before it goes away by itself; 0 keeps it until dismissed. */
  timeoutMs?: number;
}

const defaultTimeoutMs = { info: 6000, error: 8000 } as const;
const maxToasts = 4;

export function createToastStore() {
  let toasts: readonly Toast[] = [];
  let nextId = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((listener) => listener());

  function dismiss(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    if (!toasts.some((toast) => toast.id === id)) return;
    toasts = toasts.filter((toast) => toast.id !== id);
    emit();
  }

  function show({ message, tone = 'info', action, timeoutMs }: ShowToast): number {
    const id = nextId++;
    const toast: Toast = action ? { id, message, tone, action } : { id, message, tone };
    const kept = toasts.slice(-(maxToasts - 1));
    for (const dropped of toasts.slice(0, toasts.length - kept.length)) clearTimeout(timers.get(dropped.id));
    toasts = [...kept, toast];
    const timeout = timeoutMs ?? defaultTimeoutMs[tone];
    if (timeout > 0)
      timers.set(
        id,
        setTimeout(() => dismiss(id), timeout),
      );
    emit();
    return id;
  }

  /** Changes what a toast says (its action goes unless given again); one already gone is shown again. */
  function update(id: number, { message, action }: { message: string; action?: ToastAction }): number {
    const current = toasts.find((toast) => toast.id === id);
    if (!current) return show({ message, tone: 'info', ...(action ? { action } : {}) });
    const { action: _old, ...rest } = current;
    toasts = toasts.map((toast) => (toast.id === id ? { ...rest, message, ...(action ? { action } : {}) } : toast));
    emit();
    return id;
  }

  return {
    show,
    dismiss,
    update,
    error: (message: string) => show({ message, tone: 'error' }),
    /** Keeps a toast on screen while the pointer or focus is on it, then gives it `ms` more. */
    hold(id: number, held: boolean, ms = 4000): void {
      clearTimeout(timers.get(id));
      timers.delete(id);
      if (!held && toasts.some((toast) => toast.id === id))
        timers.set(
          id,
          setTimeout(() => dismiss(id), ms),
        );
    },
    getSnapshot: () => toasts,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ToastStore = ReturnType<typeof createToastStore>;

/** The app's one toast stack. */
export const toastStore = createToastStore();

import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/client.js';

export type Load<T> = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; value: T };

/** Runs `load` whenever `key` changes (aborting the previous run); `reload` runs it again. */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Load<T> & { reload: () => void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (value) => !controller.signal.aborted && setState({ status: 'ready', value }),
      (error: unknown) => !controller.signal.aborted && setState({ status: 'error', error: toApiError(error) }),
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key, round]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

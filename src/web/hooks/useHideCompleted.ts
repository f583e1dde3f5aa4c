import { useCallback, useState } from 'react';

const keyOf = (listId: string) => `listo:hide-completed:${listId}`;

function read(listId: string): boolean {
  try {
    return localStorage.getItem(keyOf(listId)) === '1';
  } catch {
    return false;
  }
}

/** Whether a list's completed tasks are hidden, remembered per list on this device (shown by default). */
export function useHideCompleted(listId: string): [boolean, (hide: boolean) => void] {
  const [hidden, setHidden] = useState(() => read(listId));
  const set = useCallback(
    (hide: boolean) => {
      setHidden(hide);
      try {
        if (hide) localStorage.setItem(keyOf(listId), '1');
        else localStorage.removeItem(keyOf(listId));
      } catch {
        // storage off: remembered for this visit only
      }
    },
    [listId],
  );
  return [hidden, set];
}

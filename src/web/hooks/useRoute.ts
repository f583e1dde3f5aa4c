import { useCallback, useEffect, useState } from 'react';

/** The open list, kept in the address (`/lists/:id`) so reloads and the Back button work. */
export function useRoute(): { listId: string | null; openList: (listId: string | null, options?: { replace?: boolean }) => void } {
  const [listId, setListId] = useState(() => listIdOf(window.location.pathname));

  useEffect(() => {
    const onPopState = () => setListId(listIdOf(window.location.pathname));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const openList = useCallback((next: string | null, options: { replace?: boolean } = {}) => {
    const path = next ? `/lists/${encodeURIComponent(next)}` : '/';
    if (window.location.pathname !== path) {
      if (options.replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    setListId(next);
  }, []);

  return { listId, openList };
}

function listIdOf(pathname: string): string | null {
  const match = /^\/lists\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

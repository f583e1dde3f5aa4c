import { useCallback, useEffect, useState } from 'react';
import { billingPath, billingViewOf, type BillingView } from '../billing/billing-route.js';

export interface Route {
  listId: string | null;
  openList: (listId: string | null, options?: { replace?: boolean }) => void;
  /** The "Assigned to me" view (`/assigned`) is open. */
  assigned: boolean;
  openAssigned: () => void;
  /** The "Upcoming" view (`/upcoming`) is open: what is due in the next days, overdue first. */
  upcoming: boolean;
  openUpcoming: () => void;
  /** The billing page open (`/billing`, `/billing/plans`, `/billing/simulator`), or null. */
  billing: BillingView | null;
  openBilling: (view: BillingView) => void;
  /** The search results (`/search?q=…`) open: the query, or null. */
  search: string | null;
  /** Shows results for `query`; typing replaces the address rather than adding a history entry per letter. */
  openSearch: (query: string) => void;
}

/** The address of a list. */
export const listPath = (listId: string): string => `/lists/${encodeURIComponent(listId)}`;

/** The open list (`/lists/:id`) or view (`/assigned`, `/upcoming`), kept in the address so reloads and the Back button work. */
export function useRoute(): Route {
  const [listId, setListId] = useState(() => listIdOf(window.location.pathname));
  const [assigned, setAssigned] = useState(() => isAssignedPath(window.location.pathname));
  const [upcoming, setUpcoming] = useState(() => isUpcomingPath(window.location.pathname));
  const [billing, setBilling] = useState(() => billingViewOf(window.location.pathname));
  const [search, setSearch] = useState(() => searchOf(window.location));

  useEffect(() => {
    const onPopState = () => {
      setListId(listIdOf(window.location.pathname));
      setAssigned(isAssignedPath(window.location.pathname));
      setUpcoming(isUpcomingPath(window.location.pathname));
      setBilling(billingViewOf(window.location.pathname));
      setSearch(searchOf(window.location));
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const openList = useCallback((next: string | null, options: { replace?: boolean } = {}) => {
    const path = next ? listPath(next) : '/';
    if (window.location.pathname !== path) {
      if (options.replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    setListId(next);
    setAssigned(false);
    setUpcoming(false);
    setBilling(null);
    setSearch(null);
  }, []);

  const openAssigned = useCallback(() => {
    if (window.location.pathname !== '/assigned') window.history.pushState(null, '', '/assigned');
    setListId(null);
    setAssigned(true);
    setUpcoming(false);
    setBilling(null);
    setSearch(null);
  }, []);

  const openUpcoming = useCallback(() => {
    if (window.location.pathname !== '/upcoming') window.history.pushState(null, '', '/upcoming');
    setListId(null);
    setAssigned(false);
    setUpcoming(true);
    setBilling(null);
    setSearch(null);
  }, []);

  const openBilling = useCallback((view: BillingView) => {
    const path = billingPath(view);
    if (window.location.pathname !== path) window.history.pushState(null, '', path);
    setListId(null);
    setAssigned(false);
    setUpcoming(false);
    setBilling(view);
    setSearch(null);
  }, []);

  const openSearch = useCallback((query: string) => {
    const path = `/search?q=${encodeURIComponent(query)}`;
    if (isSearchPath(window.location.pathname)) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    setListId(null);
    setAssigned(false);
    setUpcoming(false);
    setBilling(null);
    setSearch(query);
  }, []);

  return { listId, openList, assigned, openAssigned, upcoming, openUpcoming, billing, openBilling, search, openSearch };
}

const isSearchPath = (pathname: string) => /^\/search\/?$/.test(pathname);
const searchOf = (location: Location): string | null => (isSearchPath(location.pathname) ? (new URLSearchParams(location.search).get('q') ?? '') : null);

const isAssignedPath = (pathname: string) => /^\/assigned\/?$/.test(pathname);
const isUpcomingPath = (pathname: string) => /^\/upcoming\/?$/.test(pathname);

function listIdOf(pathname: string): string | null {
  const match = /^\/lists\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

import { useCallback, useEffect, useState } from 'react';
import type { LoginBody, Me, SignupBody } from '../../core/schemas/index.js';
import { ApiError, setUnauthenticatedHandler, toApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';

export type SessionState = { status: 'loading' } | { status: 'signedOut' } | { status: 'error'; error: ApiError } | { status: 'signedIn'; me: Me };

export interface Session {
  state: SessionState;
  /** Throws the `ApiError` (e.g. invalid_credentials) for the form to show. */
  signIn(body: LoginBody): Promise<void>;
  signUp(body: SignupBody): Promise<void>;
  signOut(): Promise<void>;
  retry(): void;
  /** Asks whether the session still holds (the socket was closed for policy: logged out elsewhere); signs out if not. */
  recheck(): Promise<void>;
}

/** Who is signed in: asks on start (`/auth/session`), and notices when the session ends. */
export function useSession(): Session {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await api.getSession();
      setState(me ? { status: 'signedIn', me } : { status: 'signedOut' });
    } catch (error) {
      const apiError = toApiError(error);
      setState(apiError.status === 401 ? { status: 'signedOut' } : { status: 'error', error: apiError });
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => setState({ status: 'signedOut' }));
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const signIn = useCallback(
    async (body: LoginBody) => {
      await api.login(body);
      await refresh();
    },
    [refresh],
  );

  const signUp = useCallback(
    async (body: SignupBody) => {
      await api.signup(body);
      await refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setState({ status: 'signedOut' });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    void refresh();
  }, [refresh]);

  const recheck = useCallback(async () => {
    try {
      const me = await api.getSession();
      // Signed out elsewhere, or signed in elsewhere as someone else (the cookie is shared by every tab): this tab
      // follows, and a different user gets fresh stores (they are made per user id).
      setState((current) => {
        if (!me) return { status: 'signedOut' };
        return current.status === 'signedIn' && current.me.user.id === me.user.id ? current : { status: 'signedIn', me };
      });
    } catch {
      // Unreachable: still signed in as far as anyone knows; the next request will tell.
    }
  }, []);

  return { state, signIn, signUp, signOut, retry, recheck };
}

import { useMemo } from 'react';
import { api } from './api/endpoints.js';
import { AuthScreen } from './components/AuthScreen.js';
import { MainScreen } from './components/MainScreen.js';
import { Toasts } from './components/Toasts.js';
import { useSession } from './hooks/useSession.js';
import { StoresContext } from './hooks/useStores.js';
import { createSessionStores } from './state/session-stores.js';
import { toastStore } from './state/toasts.store.js';

/** Signed out: the sign-in screen. Signed in: the app, with fresh stores for that user. */
export function App() {
  const session = useSession();
  const userId = session.state.status === 'signedIn' ? session.state.me.user.id : null;
  // Every failed change was already reverted; say why, in the API's own words.
  const stores = useMemo(() => (userId ? createSessionStores(api, (error) => toastStore.error(error.detail)) : null), [userId]);

  let screen;
  switch (session.state.status) {
    case 'loading':
      screen = (
        <main className="splash" aria-busy="true">
          <p>Loading Listo…</p>
        </main>
      );
      break;
    case 'error':
      screen = (
        <main className="splash">
          <div role="alert">
            <p>{session.state.error.detail}</p>
            <button type="button" className="button" onClick={session.retry}>
              Try again
            </button>
          </div>
        </main>
      );
      break;
    case 'signedOut':
      screen = <AuthScreen session={session} />;
      break;
    case 'signedIn':
      screen = (
        <StoresContext.Provider value={stores}>
          <MainScreen me={session.state.me} onSignOut={() => void session.signOut()} />
        </StoresContext.Provider>
      );
      break;
  }

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}

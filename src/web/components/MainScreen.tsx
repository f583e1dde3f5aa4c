import { Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Me, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { canSeeBilling } from '../billing/billing-route.js';
import { collaborationApi } from '../api/collaboration.js';
import { useNotifications, useWorkspaces } from '../hooks/useCollaboration.js';
import { useLists } from '../hooks/useLists.js';
import { usePendingJoin } from '../hooks/usePendingJoin.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { listPath, useRoute } from '../hooks/useRoute.js';
import { useStores } from '../hooks/useStores.js';
import { useWorkspaceLists } from '../hooks/useWorkspaceLists.js';
import { focusIsLost, mainHeading, workspaceSwitcher } from '../lib/focus.js';
import type { JoinLinkKind } from '../lib/join-links.js';
import { isLocalId } from '../state/list-tasks.store.js';
import { toastStore } from '../state/toasts.store.js';
import { AssignedPanel } from './AssignedPanel.js';
import { Icon } from './Icon.js';
import { LoadFailure } from './LoadFailure.js';
import { ListPanel } from './ListPanel.js';
import { NewListForm } from './NewListForm.js';
import { SearchPanel } from './SearchPanel.js';
import { Sidebar } from './Sidebar.js';
import { UpcomingPanel } from './UpcomingPanel.js';

// Billing is for admins and operators, and brings its charts and time-zone arithmetic (luxon): loaded when opened.
const BillingScreen = lazy(() => import('../billing/BillingScreen.js').then((module) => ({ default: module.BillingScreen })));

/** The question asked before using a link opened while signed in (`usePendingJoin`). */
const joinQuestions: Record<JoinLinkKind, { title: string; confirm: string; body: string }> = {
  invite: { title: 'Accept this invitation?', confirm: 'Accept', body: 'You opened an invitation to a shared list.' },
  join: { title: 'Join this shared list?', confirm: 'Join list', body: 'You opened a link to a list someone shared.' },
  'workspace-invite': { title: 'Join this team workspace?', confirm: 'Join workspace', body: 'You opened an invitation to a team workspace.' },
};

/** A list created in this screen: its local id, and the server's id once it has answered. */
interface CreatedList {
  localId: string;
  serverId: string | null;
}

/** The signed-in app: lists in the sidebar (a drawer on phones), the open list in the main area. */
export function MainScreen({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const stores = useStores();
  const { lists, status, error, store } = useLists();
  const { listId, openList, assigned, openAssigned, upcoming, openUpcoming, billing, openBilling, search, openSearch } = useRoute();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [focusNewTask, setFocusNewTask] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const listBeforeSearch = useRef<string | null>(null);
  const [created, setCreated] = useState<CreatedList | null>(null);
  const openedList = useMemo(() => {
    const shown = lists.find((list) => list.id === listId);
    if (shown || !listId || created?.serverId !== null || listId !== created.localId) return shown ?? null;
    // Between the store swapping the local copy for the server's list and the route following, that list stays open, as
    // the store shows it now (renamed meanwhile; or gone, deleted before the server had created it), under its server id:
    // its tasks, those added while it was being created included, are in the tasks store of that id already.
    return store.find(listId) ?? null;
  }, [lists, listId, created, store]);
  const workspaceLists = useWorkspaceLists(lists);
  const { store: workspaces } = useWorkspaces();
  // On a phone the bell and the invitations are in the closed drawer: the menu button says there is news.
  const { unreadCount, invitations, workspaceInvitations } = useNotifications();
  const news = menuNews(unreadCount, invitations.length + workspaceInvitations.length);
  const pendingJoin = usePendingJoin({ onJoinedList: (list) => openList(list.id), onJoinedWorkspace: (workspace) => void openJoinedWorkspace(workspace) });

  // The list last shown: when it goes (deleted, left, access lost) that was already said; an address
  // naming a list that was never here (a stale link, a typo, someone else's list) was not.
  const shownListId = useRef<string | null>(null);
  useEffect(() => {
    if (openedList) shownListId.current = openedList.id;
  }, [openedList]);

  // No list in the address, or one that is gone: open the first list of the chosen workspace.
  useEffect(() => {
    if (status !== 'ready' || openedList || assigned || upcoming || billing || search !== null) return;
    if (listId && listId !== shownListId.current && !listId.startsWith('local:')) {
      toastStore.show({ message: 'This list doesn’t exist, or you no longer have access to it.' });
    }
    const first = workspaceLists.inWorkspace.find((list) => !list.archived) ?? workspaceLists.visible.find((list) => !list.archived);
    openList(first?.id ?? null, { replace: true });
  }, [status, listId, openedList, assigned, upcoming, billing, search, workspaceLists, openList]);

  // A list of another of the user's workspaces was opened (link, Back, notification): show that workspace.
  const openedWorkspaceId = openedList?.workspaceId;
  useEffect(() => {
    if (openedWorkspaceId && workspaces.isMine(openedWorkspaceId)) workspaces.select(openedWorkspaceId);
  }, [openedWorkspaceId, listId, workspaces]);

  function switchWorkspace(workspaceId: string) {
    // Leave the open list first, so it does not switch the workspace back; then its first list opens.
    openList(null);
    workspaces.select(workspaceId);
  }

  /**
   * A workspace invitation was accepted (in the sidebar, or with its link): the workspace joins the switcher at once
   * and is shown, its lists loaded first (so its first list opens, not a shared one meanwhile). The Accept button that
   * had the focus is gone: the switcher, which now names the workspace, takes it.
   */
  async function openJoinedWorkspace(workspace: WorkspaceSummary) {
    workspaces.applyJoined(workspace);
    // The socket's `list.added` reloads them too; this does not wait for it, nor count on a connected socket.
    await store.load().catch(() => undefined);
    switchWorkspace(workspace.id);
    requestAnimationFrame(() => {
      if (focusIsLost()) workspaceSwitcher()?.focus();
    });
  }

  // Closing the tab with changes still on their way would lose them. A draft still being typed (a title, notes) is
  // no change yet, and the field keeps the focus (it saves on blur): it is saved first, so it counts, and goes out now.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      stores.drafts.saveAll();
      if (!stores.hasUnsavedChanges()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [stores]);

  function closeDrawer() {
    if (!drawerOpen) return;
    // Rendered at once, so the page is no longer inert when the focus goes back to "Show lists".
    flushSync(() => setDrawerOpen(false));
    menuButton.current?.focus();
  }

  /**
   * Somewhere was chosen in the phone drawer (a list, Upcoming, Assigned to me, billing): the link that had the focus
   * is hidden with the drawer, so the panel it opened takes the focus (its heading), not the page's <body>. On a wide
   * screen the sidebar stays, and so does the focus.
   */
  function leaveDrawer() {
    if (!drawerOpen) return;
    flushSync(() => setDrawerOpen(false));
    if (document.getElementById('sidebar')?.contains(document.activeElement) || focusIsLost()) mainHeading()?.focus();
  }

  // Another panel was shown (Back, Forward, a link) and what had the focus went with the one before: the new one's
  // heading takes it. Not on the first screen, where nothing had it yet.
  const routeKey = `${listId ?? ''} ${upcoming} ${assigned} ${billing ?? ''} ${search ?? ''}`;
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      if (focusIsLost()) mainHeading()?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [routeKey]);

  // The phone drawer is modal while open: focus goes into it (it is visible at once when opening; see
  // `.sidebar.is-open` in styles.css), the page behind is inert, and Escape anywhere closes it — except
  // in a dialog of its own, or the search box's first Escape, which clears its text and stops there.
  const closeDrawerRef = useRef(closeDrawer);
  useEffect(() => {
    closeDrawerRef.current = closeDrawer;
  });
  useEffect(() => {
    if (!drawerOpen) return;
    const sidebar = document.getElementById('sidebar');
    // The current list rather than the search box, which would bring up a phone's on-screen keyboard.
    const first = sidebar?.querySelector<HTMLElement>(".nav-link[aria-current='page']") ?? sidebar?.querySelector<HTMLElement>('.nav-link, input, button');
    first?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      closeDrawerRef.current();
    };
    // Grown past the phone layout, the sidebar is no drawer any more: nothing stays inert.
    const phoneLayout = window.matchMedia('(max-width: 760px)');
    const onLayoutChange = () => {
      if (!phoneLayout.matches) setDrawerOpen(false);
    };
    document.addEventListener('keydown', onKeyDown);
    phoneLayout.addEventListener('change', onLayoutChange);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      phoneLayout.removeEventListener('change', onLayoutChange);
    };
  }, [drawerOpen]);

  async function createList(name: string) {
    const workspace = workspaceLists.selected;
    if (workspace?.kind === 'team') {
      try {
        const list = await createTeamList(workspace.id, name);
        setFocusNewTask(true);
        openList(list.id);
        setDrawerOpen(false);
      } catch {
        // already reported in a toast
      }
      return;
    }
    // The store shows the list at once, under a local id: it opens then, and its "Add a task" takes typing at once.
    const before = new Set(store.getSnapshot().lists.map((list) => list.id));
    const creating = store.createList(name);
    const shown = store.getSnapshot().lists.find((list) => isLocalId(list.id) && !before.has(list.id)) ?? null;
    if (shown) {
      setCreated({ localId: shown.id, serverId: null });
      setFocusNewTask(true);
      openList(shown.id);
      setDrawerOpen(false);
    }
    let list;
    try {
      list = await creating;
    } catch {
      // Already reported in a toast; the local copy is gone, and the first list opens instead.
      setCreated((current) => (current?.localId === shown?.id ? null : current));
      return;
    }
    if (!shown) {
      setFocusNewTask(true);
      openList(list.id);
      setDrawerOpen(false);
      return;
    }
    setCreated({ localId: shown.id, serverId: list.id });
    // Still open (the user did not go elsewhere meanwhile): the address takes the server's id, in place of the local one.
    if (window.location.pathname === listPath(shown.id)) openList(list.id, { replace: true });
  }

  /** The lists store creates in the personal workspace; a team's lists are created here, then shown. */
  async function createTeamList(workspaceId: string, name: string) {
    try {
      const list = await collaborationApi.createListIn(workspaceId, name);
      store.applyServerList(list);
      return list;
    } catch (error) {
      toastStore.error(toApiError(error).detail);
      throw error;
    }
  }

  async function archive(listId: string, name: string, archived: boolean) {
    if (!(await store.setArchived(listId, archived)) || !archived) return;
    const toastId = toastStore.show({
      message: `Archived “${name}”`,
      action: {
        label: 'Undo',
        run: () => {
          toastStore.dismiss(toastId);
          void store.setArchived(listId, false);
        },
      },
    });
  }

  async function remove(listId: string, name: string) {
    if (await store.deleteList(listId)) toastStore.show({ message: `Deleted list “${name}”` });
  }

  function searchFor(query: string, submitted: boolean) {
    // Emptying the box leaves the results for the list that was open before, or the first one.
    if (query.trim() === '' && !submitted) {
      if (search !== null) openList(listBeforeSearch.current && lists.some((list) => list.id === listBeforeSearch.current) ? listBeforeSearch.current : null);
      return;
    }
    if (search === null) listBeforeSearch.current = openedList?.id ?? null;
    openSearch(query);
    if (submitted) setDrawerOpen(false);
  }

  /** A list opened from a task in a panel (search, assigned, upcoming): the task's details open, not "Add a task". */
  function openListFromPanel(id: string) {
    setFocusNewTask(false);
    openList(id);
  }

  let content;
  if (search !== null) {
    content = <SearchPanel query={search} lists={lists} onOpenList={openListFromPanel} />;
  } else if (billing) {
    content = (
      <LoadFailure
        fallback={
          <p className="placeholder" role="alert">
            Billing could not be loaded. <a href={window.location.pathname}>Reload the page</a>
          </p>
        }
      >
        <Suspense fallback={<p className="placeholder">Loading billing…</p>}>
          <BillingScreen me={me} view={billing} onNavigate={openBilling} />
        </Suspense>
      </LoadFailure>
    );
  } else if (assigned) {
    content = <AssignedPanel lists={lists} onOpenList={openListFromPanel} />;
  } else if (upcoming) {
    content = <UpcomingPanel lists={lists} onOpenList={openListFromPanel} />;
  } else if (openedList) {
    content = (
      <ListPanel
        // A list created here keeps its panel when it gets the server's id: what was typed meanwhile, and the focus, stay.
        key={created && (created.serverId === openedList.id || created.localId === listId) ? created.localId : openedList.id}
        list={openedList}
        focusNewTask={focusNewTask}
        onRename={(name) => void store.renameList(openedList.id, name)}
        onArchive={(archived) => void archive(openedList.id, openedList.name, archived)}
        onDelete={() => void remove(openedList.id, openedList.name)}
      />
    );
  } else if (status === 'loading') {
    content = <p className="placeholder">Loading your lists…</p>;
  } else if (status === 'error') {
    content = (
      <div className="placeholder" role="alert">
        <p>{error?.detail ?? 'Your lists could not be loaded.'}</p>
        <button type="button" className="button" onClick={() => void store.load()}>
          Try again
        </button>
      </div>
    );
  } else {
    content = (
      <div className="empty-state">
        <h1>Make your first list</h1>
        <p>Groceries, a trip, a project: give it a name and start adding tasks.</p>
        <NewListForm onCreate={(name) => void createList(name)} label="Name of your first list" />
      </div>
    );
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main" inert={drawerOpen}>
        Skip to content
      </a>
      {pendingJoin.pending ? (
        <ConfirmDialog
          title={joinQuestions[pendingJoin.pending].title}
          confirmLabel={joinQuestions[pendingJoin.pending].confirm}
          cancelLabel="Not now"
          tone="primary"
          onConfirm={() => pendingJoin.answer(true)}
          onCancel={() => pendingJoin.answer(false)}
        >
          <p>{joinQuestions[pendingJoin.pending].body} Its members will see your name and email address.</p>
        </ConfirmDialog>
      ) : null}
      <Sidebar
        me={me}
        lists={lists}
        status={status}
        openListId={openedList?.id ?? null}
        open={drawerOpen}
        onOpenList={(id) => {
          setFocusNewTask(false);
          openList(id);
          leaveDrawer();
        }}
        onCreateList={(name) => void createList(name)}
        onClose={closeDrawer}
        onSignOut={onSignOut}
        upcomingOpen={upcoming}
        onOpenUpcoming={() => {
          openUpcoming();
          leaveDrawer();
        }}
        assignedOpen={assigned}
        onOpenAssigned={() => {
          openAssigned();
          leaveDrawer();
        }}
        onSwitchWorkspace={switchWorkspace}
        onJoinedWorkspace={(workspace) => void openJoinedWorkspace(workspace)}
        search={search}
        onSearch={searchFor}
        billingOpen={billing !== null}
        onOpenBilling={
          canSeeBilling(me)
            ? () => {
                openBilling('workspace');
                leaveDrawer();
              }
            : undefined
        }
      />
      {drawerOpen ? <div className="scrim" aria-hidden="true" onClick={closeDrawer} /> : null}
      <div className="content" inert={drawerOpen}>
        <header className="topbar">
          <button
            ref={menuButton}
            type="button"
            className="icon-button"
            aria-label={news ? `Show lists (${news})` : 'Show lists'}
            title={news ?? undefined}
            aria-expanded={drawerOpen}
            aria-controls="sidebar"
            onClick={() => setDrawerOpen(true)}
          >
            <Icon name="menu" />
            {news ? <span className="menu-news-dot" aria-hidden="true" /> : null}
          </button>
          <p className="brand">
            <span className="brand-mark" aria-hidden="true">
              <Icon name="check" size={16} />
            </span>
            Listo
          </p>
        </header>
        <main id="main" className="main" tabIndex={-1}>
          {content}
        </main>
      </div>
    </div>
  );
}

/** What waits in the drawer, for the phone's menu button: "2 unread notifications, 1 invitation"; null for nothing. */
function menuNews(unread: number, invitations: number): string | null {
  const parts: string[] = [];
  if (unread > 0) parts.push(`${unread} unread ${unread === 1 ? 'notification' : 'notifications'}`);
  if (invitations > 0) parts.push(`${invitations} ${invitations === 1 ? 'invitation' : 'invitations'}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

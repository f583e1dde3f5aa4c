import type { MouseEvent } from 'react';
import { canInWorkspace } from '../../core/permissions.js';
import type { Me, WorkspaceSummary } from '../../core/schemas/index.js';
import { useWorkspaceLists } from '../hooks/useWorkspaceLists.js';
import { initials } from '../lib/initials.js';
import type { ListView } from '../state/lists.store.js';
import { Icon } from './Icon.js';
import { InvitationsSection } from './InvitationsSection.js';
import { NewListForm } from './NewListForm.js';
import { NotificationBell } from './NotificationBell.js';
import { SearchBox } from './SearchBox.js';
import { WorkspaceSwitcher } from './WorkspaceSwitcher.js';

export interface SidebarProps {
  me: Me;
  lists: readonly ListView[];
  status: 'loading' | 'ready' | 'error';
  openListId: string | null;
  /** On phones the sidebar is a drawer (its owner closes it on Escape while open). */
  open: boolean;
  onOpenList: (listId: string) => void;
  onCreateList: (name: string) => void;
  onClose: () => void;
  onSignOut: () => void;
  /** The "Upcoming" view is open. */
  upcomingOpen?: boolean;
  onOpenUpcoming?: () => void;
  /** The "Assigned to me" view is open. */
  assignedOpen?: boolean;
  onOpenAssigned?: () => void;
  onSwitchWorkspace?: (workspaceId: string) => void;
  /** A workspace invitation was accepted: show the workspace (it is the user's now). */
  onJoinedWorkspace: (workspace: WorkspaceSummary) => void;
  /** The billing pages are open; `onOpenBilling` is given only to those who may see billing. */
  billingOpen?: boolean;
  onOpenBilling?: (() => void) | undefined;
  /** The search box's text while results are shown (null: not searching), and what typing or submitting it does. */
  search?: string | null;
  onSearch?: (query: string, submitted: boolean) => void;
}

/** Navigation between lists, creating one, and the account. */
export function Sidebar(props: SidebarProps) {
  const {
    me,
    lists,
    status,
    openListId,
    open,
    onOpenList,
    onCreateList,
    onClose,
    onSignOut,
    upcomingOpen,
    onOpenUpcoming,
    assignedOpen,
    onOpenAssigned,
    onSwitchWorkspace,
    onJoinedWorkspace,
    billingOpen,
    onOpenBilling,
    search,
    onSearch,
  } = props;
  // The chosen workspace's lists, and those shared from other people's personal workspaces.
  const { inWorkspace, shared, selected } = useWorkspaceLists(lists);
  const active = inWorkspace.filter((list) => !list.archived);
  const sharedActive = shared.filter((list) => !list.archived);
  const archived = [...inWorkspace, ...shared].filter((list) => list.archived);
  const canCreate = !selected || canInWorkspace(selected.role, 'list.create');

  const link = (list: ListView) => (
    <li key={list.id}>
      <a
        href={`/lists/${list.id}`}
        className="nav-link"
        aria-current={list.id === openListId ? 'page' : undefined}
        aria-disabled={list.pending && list.id.startsWith('local:') ? true : undefined}
        onClick={(event: MouseEvent<HTMLAnchorElement>) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return; // new tab or window
          event.preventDefault();
          if (!list.id.startsWith('local:')) onOpenList(list.id);
        }}
      >
        <Icon name="list" size={16} />
        <span className="nav-link-name" dir="auto">
          {list.name}
        </span>
      </a>
    </li>
  );

  return (
    <aside id="sidebar" className={`sidebar${open ? ' is-open' : ''}`}>
      <div className="sidebar-top">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="check" size={16} />
          </span>
          Listo
        </p>
        <NotificationBell onOpenList={onOpenList} onJoinedWorkspace={onJoinedWorkspace} />
        <button type="button" className="icon-button sidebar-close" aria-label="Close menu" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <nav aria-label="Lists" className="sidebar-nav">
        {onSearch ? <SearchBox query={search ?? null} onSearch={onSearch} /> : null}
        {onSwitchWorkspace ? <WorkspaceSwitcher onSwitch={onSwitchWorkspace} /> : null}
        {onOpenUpcoming ? (
          <a
            href="/upcoming"
            className="nav-link nav-link-upcoming"
            aria-current={upcomingOpen ? 'page' : undefined}
            onClick={(event: MouseEvent<HTMLAnchorElement>) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onOpenUpcoming();
            }}
          >
            <Icon name="calendar" size={16} />
            <span className="nav-link-name">Upcoming</span>
          </a>
        ) : null}
        {onOpenAssigned ? (
          <a
            href="/assigned"
            className="nav-link nav-link-assigned"
            aria-current={assignedOpen ? 'page' : undefined}
            onClick={(event: MouseEvent<HTMLAnchorElement>) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onOpenAssigned();
            }}
          >
            <Icon name="user" size={16} />
            <span className="nav-link-name">Assigned to me</span>
          </a>
        ) : null}
        {onOpenBilling ? (
          <a
            href="/billing"
            className="nav-link nav-link-billing"
            aria-current={billingOpen ? 'page' : undefined}
            onClick={(event: MouseEvent<HTMLAnchorElement>) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onOpenBilling();
            }}
          >
            <Icon name="calendar" size={16} />
            <span className="nav-link-name">Billing</span>
          </a>
        ) : null}
        <InvitationsSection onOpenList={onOpenList} onJoinedWorkspace={onJoinedWorkspace} />
        <h2 className="sidebar-heading">My lists</h2>
        {status === 'loading' ? <p className="sidebar-note">Loading…</p> : null}
        {status === 'error' ? <p className="sidebar-note">Lists could not be loaded.</p> : null}
        {status === 'ready' && active.length === 0 ? <p className="sidebar-note">No lists yet.</p> : null}
        <ul className="nav-list">{active.map(link)}</ul>
        {canCreate ? <NewListForm onCreate={onCreateList} /> : null}
        {sharedActive.length > 0 ? (
          <>
            <h2 className="sidebar-heading sidebar-heading-spaced">Shared with me</h2>
            <ul className="nav-list">{sharedActive.map(link)}</ul>
          </>
        ) : null}
        {archived.length > 0 ? (
          <details className="archived">
            <summary>Archived ({archived.length})</summary>
            <ul className="nav-list">{archived.map(link)}</ul>
          </details>
        ) : null}
      </nav>
      <div className="account">
        <span className="avatar" aria-hidden="true">
          {initials(me.user.name)}
        </span>
        <span className="account-who">
          <span className="account-name">{me.user.name}</span>
          <span className="account-email">{me.user.email}</span>
        </span>
        <button type="button" className="icon-button" aria-label="Sign out" title="Sign out" onClick={onSignOut}>
          <Icon name="logout" />
        </button>
      </div>
    </aside>
  );
}

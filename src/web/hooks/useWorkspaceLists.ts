import { useEffect, useMemo } from 'react';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import type { ListView } from '../state/lists.store.js';
import { useWorkspaces } from './useCollaboration.js';

export interface WorkspaceLists {
  selected: WorkspaceSummary | null;
  /** The lists of the chosen workspace. */
  inWorkspace: readonly ListView[];
  /** Lists shared with the user from other people's personal workspaces (shown in every workspace). */
  shared: readonly ListView[];
  /** Both: what the sidebar shows. */
  visible: readonly ListView[];
}

/**
 * The lists store holds every list the user can open; the sidebar shows those of the chosen
 * workspace. Filtering here (rather than `GET /lists?workspaceId=`) keeps one store for the real-time
 * layer to update, and lists shared from someone's personal workspace — which belongs to none of the
 * user's workspaces — still have a place ("Shared with me").
 */
export function useWorkspaceLists(lists: readonly ListView[]): WorkspaceLists {
  const { selected, workspaces, store } = useWorkspaces();
  const result = useMemo(() => {
    const mine = new Set(workspaces.map((workspace) => workspace.id));
    // A list being created has no workspace yet: the lists store creates in the personal one.
    const inSelected = (list: ListView) => list.workspaceId === selected?.id || (list.workspaceId === '' && selected?.kind === 'personal');
    const inWorkspace = lists.filter(inSelected);
    const shared = lists.filter((list) => list.workspaceId !== '' && !mine.has(list.workspaceId));
    return { selected, inWorkspace, shared, visible: [...inWorkspace, ...shared] };
  }, [lists, selected, workspaces]);
  useEffect(() => {
    for (const list of result.shared) store.noticeWorkspace(list.workspaceId);
  }, [result.shared, store]);
  return result;
}

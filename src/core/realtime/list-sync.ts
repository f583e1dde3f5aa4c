/**
 * A client's copy of one list kept in step with the server's change stream: applies changes in
 * version order, ignores duplicates, and reports gaps to be replayed. Pure: used by the web app and tests.
 */
import type { ChangeMessage } from './protocol.js';

export interface SyncedTask {
  id: string;
  position: string;
  deletedAt: string | null;
  [field: string]: unknown;
}

export interface ListSyncState {
  version: number;
  tasks: Map<string, SyncedTask>;
  /** Changes that arrived ahead of a gap, waiting for the missing versions. */
  pending: Map<number, ChangeMessage>;
}

export type ApplyResult = { kind: 'applied' } | { kind: 'duplicate' } | { kind: 'gap'; missingFrom: number; missingTo: number };

export function createListSync(version: number, tasks: SyncedTask[]): ListSyncState {
  return { version, tasks: new Map(tasks.map((task) => [task.id, task])), pending: new Map() };
}

/** Applies one change's effect on the task map (the server sends the whole changed task). */
function applyOne(state: ListSyncState, change: ChangeMessage): void {
  const task = change.data.task as SyncedTask | undefined;
  if (!task) return;
  const leftThisList = change.change === 'task.moved' && change.data.removed === true;
  if (leftThisList || task.deletedAt) state.tasks.delete(task.id);
  else state.tasks.set(task.id, task);
}

export function applyChange(state: ListSyncState, change: ChangeMessage): ApplyResult {
  if (change.version <= state.version || state.pending.has(change.version)) return { kind: 'duplicate' };
  if (change.version > state.version + 1) {
    state.pending.set(change.version, change);
    return { kind: 'gap', missingFrom: state.version + 1, missingTo: change.version - 1 };
  }
  applyOne(state, change);
  state.version = change.version;
  // Drain whatever was waiting behind the gap just filled.
  for (let next = state.pending.get(state.version + 1); next; next = state.pending.get(state.version + 1)) {
    state.pending.delete(next.version);
    applyOne(state, next);
    state.version = next.version;
  }
  return { kind: 'applied' };
}

/** Live tasks in display order. */
export function orderedTasks(state: ListSyncState): SyncedTask[] {
  return [...state.tasks.values()].sort((a, b) => (a.position === b.position ? (a.id < b.id ? -1 : 1) : a.position < b.position ? -1 : 1));
}

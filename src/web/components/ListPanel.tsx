import { useSyncExternalStore } from 'react';
import { can } from '../../core/permissions.js';
import { useListTasks } from '../hooks/useListTasks.js';
import { useConnectionStatus, usePresence, useWatchList } from '../hooks/useRealtime.js';
import { useStores } from '../hooks/useStores.js';
import { isLocalId } from '../state/list-tasks.store.js';
import type { ListView } from '../state/lists.store.js';
import { useHideCompleted } from '../hooks/useHideCompleted.js';
import { ListHeader, type SyncState } from './ListHeader.js';
import { NewTaskInput } from './NewTaskInput.js';
import { listHeading } from '../lib/focus.js';
import { TaskDetailsHost } from './TaskDetailsHost.js';
import { TaskList } from './TaskList.js';
import { WaitingTasks } from './WaitingTasks.js';

export interface ListPanelProps {
  list: ListView;
  /** Put the cursor in "Add a task" (right after creating the list). */
  focusNewTask: boolean;
  onRename: (name: string) => void;
  onArchive: (archived: boolean) => void;
  onDelete: () => void;
}

/**
 * The open list: its header, the "Add a task" field and its tasks. A list still being created (a local id) takes tasks
 * at once: the server knows no list to add them to yet, so they wait in the lists store (shown here, and still there if
 * the user opens another list meanwhile), which adds them in order once the list has its server id. MainScreen keeps
 * this panel mounted across that change of id, so the draft and the focus of "Add a task" carry over.
 */
export function ListPanel({ list, focusNewTask, onRename, onArchive, onDelete }: ListPanelProps) {
  const tasks = useListTasks(list.id);
  useWatchList(list.id);
  const connection = useConnectionStatus();
  const viewers = usePresence(list.id);
  const { lists: listsStore } = useStores();
  const waiting = list.waitingTasks ?? [];

  function add(title: string) {
    if (isLocalId(list.id)) listsStore.addTask(list.id, { title });
    else tasks.addTask({ title });
  }

  const doneCount = tasks.tasks.filter((task) => task.done).length;
  // Not "No tasks yet" above a failed load or while loading: unknown. A list being created counts the tasks waiting for it.
  const taskCount =
    waiting.length > 0 ? waiting.length : tasks.status === 'error' || (tasks.status === 'loading' && tasks.tasks.length === 0) ? null : tasks.tasks.length;
  const [hideCompleted, setHideCompleted] = useHideCompleted(list.id);
  // The list's own rename or archiving, while unsaved, counts like its tasks' changes.
  const listsStalledBy = useSyncExternalStore(listsStore.subscribe, () => listsStore.getSnapshot().stalledBy);
  const listStalledBy = list.pending ? listsStalledBy : null;
  // Offline wins: "Saving…" would promise more than can happen until the connection is back.
  const syncState: SyncState =
    connection === 'offline' || tasks.stalledBy === 'network' || listStalledBy === 'network'
      ? 'offline'
      : tasks.stalledBy === 'server' || listStalledBy === 'server'
        ? 'retrying'
        : tasks.saving || list.pending
          ? 'saving'
          : 'saved';

  return (
    <section className="list-panel" aria-labelledby="list-title">
      <ListHeader
        list={list}
        taskCount={taskCount}
        doneCount={doneCount}
        syncState={syncState}
        viewers={viewers}
        onRename={onRename}
        onArchive={onArchive}
        onDelete={onDelete}
      />
      {list.archived ? (
        <p className="banner">
          This list is archived.{' '}
          <button type="button" className="link-button" onClick={() => onArchive(false)}>
            Unarchive
          </button>
        </p>
      ) : null}
      {can(list.role, 'task.create') ? <NewTaskInput onAdd={add} autoFocus={focusNewTask} /> : null}
      {waiting.length > 0 ? (
        <WaitingTasks titles={waiting.map((task) => task.title)} label={`Tasks of ${list.name}`} />
      ) : tasks.status === 'loading' && tasks.tasks.length === 0 ? (
        <p className="placeholder" aria-busy="true">
          Loading tasks…
        </p>
      ) : tasks.status === 'error' ? (
        <div className="placeholder" role="alert">
          <p>{tasks.error?.detail ?? 'The tasks could not be loaded.'}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              // The button goes while the tasks load: the focus waits on the list's heading, not on the page.
              listHeading()?.focus();
              void tasks.reload();
            }}
          >
            Try again
          </button>
        </div>
      ) : tasks.tasks.length === 0 ? (
        <p className="placeholder">Nothing here yet. Type a task above and press Enter.</p>
      ) : (
        <>
          <TaskList
            tasks={tasks}
            hideCompleted={hideCompleted}
            label={`Tasks of ${list.name}`}
            canEdit={can(list.role, 'task.update')}
            canComplete={can(list.role, 'task.complete')}
          />
          {hideCompleted && doneCount === tasks.tasks.length ? <p className="placeholder">Every task here is done.</p> : null}
          {doneCount > 0 ? (
            <button type="button" className="link-button completed-toggle" aria-pressed={!hideCompleted} onClick={() => setHideCompleted(!hideCompleted)}>
              {hideCompleted ? `Show ${doneCount} completed ${doneCount === 1 ? 'task' : 'tasks'}` : 'Hide completed tasks'}
            </button>
          ) : null}
        </>
      )}
      <TaskDetailsHost list={list} tasks={tasks} />
    </section>
  );
}

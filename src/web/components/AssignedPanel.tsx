import { useCallback, useEffect, useRef, useState } from 'react';
import { canCompleteTask } from '../../core/permissions.js';
import type { Task } from '../../core/schemas/index.js';
import { toApiError, type ApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useRovingFocus } from '../hooks/useRovingFocus.js';
import { useStores } from '../hooks/useStores.js';
import { describeDueDate } from '../lib/due-dates.js';
import { recurrenceOf } from '../lib/repeat-rules.js';
import { completeFromPanel } from '../lib/panel-completion.js';
import type { ListView } from '../state/lists.store.js';
import { Icon } from './Icon.js';
import { TaskPanelFrame } from './TaskPanelFrame.js';
import { RepeatMark } from './RepeatMark.js';

/** "Assigned to me": the user's open tasks across every list they can see, grouped by list. */
export function AssignedPanel({ lists, onOpenList }: { lists: readonly ListView[]; onOpenList: (listId: string) => void }) {
  const stores = useStores();
  const { taskDetails } = useCollaboration();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setBusy(true);
    try {
      const all: Task[] = [];
      let cursor: string | null = null;
      do {
        const page = await collaborationApi.listAssignedToMe(cursor);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      setTasks(all);
      setStatus('ready');
      setError(null);
    } catch (caught) {
      setError(toApiError(caught));
      setStatus((current) => (current === 'ready' ? current : 'error'));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const show = (shown: Task) => setTasks((current) => current.map((candidate) => (candidate.id === shown.id ? shown : candidate)));
  const toggle = (task: Task, done: boolean) => completeFromPanel(task, done, { show, stores });

  const byList = new Map<string, Task[]>();
  for (const task of tasks) byList.set(task.listId, [...(byList.get(task.listId) ?? []), task]);
  const listOf = (listId: string) => lists.find((list) => list.id === listId);
  const now = new Date();
  const openCount = tasks.filter((task) => !task.done).length;

  return (
    <TaskPanelFrame
      id="assigned"
      className="assigned-panel"
      title="Assigned to me"
      summary={`${openCount} open ${openCount === 1 ? 'task' : 'tasks'}`}
      status={status}
      error={error}
      busy={busy}
      loadingText="Loading your tasks…"
      emptyText={tasks.length === 0 ? 'Nothing is assigned to you. Enjoy the calm.' : null}
      onRefresh={() => void load()}
    >
      {[...byList.entries()].map(([listId, listTasks]) => {
        const list = listOf(listId);
        return (
          <section key={listId} className="assigned-group" aria-label={list?.name ?? 'A list'}>
            <h2 className="assigned-list-name">
              <a
                href={`/lists/${listId}`}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  onOpenList(listId);
                }}
              >
                <Icon name="list" size={16} />
                <bdi>{list?.name ?? 'A list'}</bdi>
              </a>
            </h2>
            <AssignedTasks
              tasks={listTasks}
              mayComplete={canCompleteTask(list?.role, true)}
              now={now}
              onToggle={(task, done) => void toggle(task, done)}
              onOpen={(task) => {
                onOpenList(listId);
                taskDetails.open(listId, task.id);
              }}
            />
          </section>
        );
      })}
    </TaskPanelFrame>
  );
}

const primaryCells = ['check', 'title'] as const;

/**
 * One list's tasks in the panel: one Tab stop, like a task list (`useRovingFocus`): ↑/↓ or j/k from task to task,
 * ←/→ between a task's checkbox and title. A task whose list does not let the user complete it lands on its title.
 */
function AssignedTasks(props: {
  tasks: readonly Task[];
  mayComplete: boolean;
  now: Date;
  onToggle: (task: Task, done: boolean) => void;
  onOpen: (task: Task) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  const onListKeyDown = useRovingFocus(list, { primaryCells });
  return (
    <ul className="tasks" ref={list} onKeyDown={onListKeyDown}>
      {props.tasks.map((task) => {
        const due = task.dueDate ? describeDueDate(task.dueDate, props.now) : null;
        return (
          <li key={task.id} data-key={task.id} className={`task assigned-task${task.done ? ' is-done' : ''}`}>
            <span className="task-handle" aria-hidden="true" />
            <input
              type="checkbox"
              className="task-check"
              data-cell="check"
              aria-label={`Complete “${task.title}”`}
              checked={task.done}
              disabled={!props.mayComplete}
              onChange={(event) => props.onToggle(task, event.target.checked)}
            />
            <button type="button" className="assigned-title" data-cell="title" dir="auto" onClick={() => props.onOpen(task)}>
              {task.title}
            </button>
            <span className="task-meta">
              <RepeatMark rule={recurrenceOf(task)} />
              {due ? <span className={`due-text${due.overdue && !task.done ? ' is-overdue' : ''}`}>{due.short}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

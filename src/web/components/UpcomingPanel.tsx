import { useCallback, useEffect, useRef, useState } from 'react';
import { canCompleteTask } from '../../core/permissions.js';
import type { Task } from '../../core/schemas/index.js';
import { toApiError, type ApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useRovingFocus } from '../hooks/useRovingFocus.js';
import { useStores } from '../hooks/useStores.js';
import { describeDueDate, localDateString } from '../lib/due-dates.js';
import { nextDueOnCompletion, recurrenceOf } from '../lib/repeat-rules.js';
import { completeFromPanel } from '../lib/panel-completion.js';
import { dueDayOf, dueTimeOf, formatDay, groupByDueDay, sectionTitle, upcomingDays, upcomingThrough, type DueDaySection } from '../lib/due-days.js';
import type { ListView } from '../state/lists.store.js';
import { AssigneeAvatar } from './AssigneeAvatar.js';
import { Icon } from './Icon.js';
import { TaskPanelFrame } from './TaskPanelFrame.js';
import { RepeatMark } from './RepeatMark.js';
import { priorityNames } from './TaskItem.js';

/** The week, or every dated task (`GET /api/v1/tasks/due` without `through`). */
type Horizon = 'week' | 'all';

/**
 * "Upcoming": the user's open tasks with a due date across every list they can see, by day: Overdue, Today,
 * Tomorrow, then each day of the week ahead (or every later day, after "Show later tasks").
 *
 * Fetched when opened, when the window gets the focus back, when the lists the user sees change (joined, left,
 * archived: the user channel tells the lists store), at midnight, and with Refresh. A task completed here stays shown,
 * done, until the next of those refreshes, so the row under the pointer or the keyboard's focus does not jump away
 * and a mistaken click is undone in place.
 */
export function UpcomingPanel({ lists, onOpenList }: { lists: readonly ListView[]; onOpenList: (listId: string) => void }) {
  const stores = useStores();
  const { taskDetails, me } = useCollaboration();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [horizon, setHorizon] = useState<Horizon>('week');
  const [today, setToday] = useState(() => localDateString(new Date()));

  // One load at a time; one asked for meanwhile runs after it. An answer read while a completion was on its way, or
  // settled since it was sent, may not hold it: it is asked again rather than shown.
  const loading = useRef(false);
  const again = useRef(false);
  const writing = useRef(0);
  const afterWrites = useRef(false);
  const writesSettled = useRef(0);
  const latest = useRef({ horizon, today });
  latest.current = { horizon, today };

  const load = useCallback(async () => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    setBusy(true);
    try {
      for (;;) {
        again.current = false;
        const { horizon: asked, today: day } = latest.current;
        const settledBefore = writesSettled.current;
        try {
          const all: Task[] = [];
          let cursor: string | null = null;
          do {
            const page = await collaborationApi.listDueTasks(asked === 'week' ? upcomingThrough(day) : null, cursor);
            all.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor);
          if (writing.current > 0) afterWrites.current = true;
          else if (writesSettled.current !== settledBefore || latest.current.horizon !== asked || latest.current.today !== day) again.current = true;
          else {
            setTasks(all);
            setStatus('ready');
            setError(null);
          }
        } catch (caught) {
          setError(toApiError(caught));
          setStatus((current) => (current === 'ready' ? current : 'error'));
        }
        if (!again.current) break;
      }
    } finally {
      loading.current = false;
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, horizon, today]);

  // Back to the window (or its tab): what changed meanwhile, elsewhere or by others; and the day may have turned.
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState !== 'visible') return;
      setToday(localDateString(new Date()));
      // Focus and visibility come together; a load already on its way is fresh enough.
      if (!loading.current) void load();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [load]);

  // At midnight, today's tasks become overdue and the next day comes into the week.
  useEffect(() => {
    const now = new Date();
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    const timer = setTimeout(() => setToday(localDateString(new Date())), midnight.getTime() - now.getTime());
    return () => clearTimeout(timer);
  }, [today]);

  // A list joined, left, archived or deleted (here, or told by the user channel) adds or takes away its tasks.
  const seenLists = lists
    .filter((list) => !list.archived && !list.id.startsWith('local:'))
    .map((list) => list.id)
    .sort()
    .join(' ');
  const firstLists = useRef(seenLists);
  useEffect(() => {
    if (seenLists === firstLists.current) return;
    firstLists.current = seenLists;
    void load();
  }, [seenLists, load]);

  async function toggle(task: Task, done: boolean) {
    writing.current++;
    // A repeating task moves to its next day's section (or out of the week) at once: the focus follows it when it is
    // still shown.
    if (done && nextDueOnCompletion(task, today) && document.activeElement?.closest(`li[data-key="${CSS.escape(task.id)}"]`)) refocus.current = task.id;
    const show = (shown: Task) => setTasks((current) => current.map((candidate) => (candidate.id === shown.id ? shown : candidate)));
    try {
      await completeFromPanel(task, done, { show, stores, today });
    } finally {
      writing.current--;
      writesSettled.current++;
      if (writing.current === 0 && afterWrites.current) {
        afterWrites.current = false;
        void load();
      }
    }
  }

  // After completing a repeating task its row is elsewhere (another day's list): its checkbox keeps the focus; a
  // task moved past the week leaves the focus on the panel's heading.
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    const taskId = refocus.current;
    if (taskId === null) return;
    refocus.current = null;
    const check = document.querySelector<HTMLElement>(`.upcoming-panel li[data-key="${CSS.escape(taskId)}"] .task-check`);
    (check ?? document.getElementById('upcoming-title'))?.focus();
  }, [tasks]);

  // A repeating task completed here may have moved past the week it shows.
  const through = horizon === 'week' ? upcomingThrough(today) : null;
  const shownTasks = through === null ? tasks : tasks.filter((task) => task.dueDate === null || dueDayOf(task.dueDate) <= through);
  const sections = groupByDueDay(shownTasks, today);
  const listOf = (listId: string) => lists.find((list) => list.id === listId);
  const now = new Date();
  const open = shownTasks.filter((task) => !task.done);
  const dueNow = open.filter((task) => task.dueDate && dueDayOf(task.dueDate) <= today);
  const summary =
    open.length === 0
      ? 'Nothing left to do'
      : `${open.length} open ${open.length === 1 ? 'task' : 'tasks'}${dueNow.length > 0 ? `, ${dueNow.length} due today or overdue` : ''}`;

  return (
    <TaskPanelFrame
      id="upcoming"
      className="upcoming-panel"
      title="Upcoming"
      summary={shownTasks.length > 0 ? summary : ''}
      status={status}
      error={error}
      busy={busy}
      loadingText="Loading what is due…"
      emptyText={shownTasks.length > 0 ? null : horizon === 'week' ? 'Nothing due this week.' : 'Nothing has a due date. Enjoy the calm.'}
      onRefresh={() => void load()}
    >
      {sections.map((section) => (
        <UpcomingSection
          key={section.key}
          section={section}
          today={today}
          now={now}
          listOf={listOf}
          meId={me.user.id}
          onToggle={(task, done) => void toggle(task, done)}
          onOpen={(task) => {
            onOpenList(task.listId);
            taskDetails.open(task.listId, task.id);
          }}
        />
      ))}
      {status === 'ready' ? (
        <button type="button" className="button upcoming-horizon" onClick={() => setHorizon(horizon === 'week' ? 'all' : 'week')}>
          {horizon === 'week' ? 'Show later tasks' : `Show only the next ${upcomingDays} days`}
        </button>
      ) : null}
    </TaskPanelFrame>
  );
}

const primaryCells = ['check', 'title'] as const;

/**
 * One day's tasks (or the overdue ones): one Tab stop, as a task list (`useRovingFocus`): ↑/↓ or j/k from task to
 * task, ←/→ between a task's checkbox and title. A task whose list does not let the user complete it lands on its title.
 */
function UpcomingSection(props: {
  section: DueDaySection<Task>;
  today: string;
  now: Date;
  listOf: (listId: string) => ListView | undefined;
  meId: string;
  onToggle: (task: Task, done: boolean) => void;
  onOpen: (task: Task) => void;
}) {
  const { section, today } = props;
  const list = useRef<HTMLUListElement>(null);
  const onListKeyDown = useRovingFocus(list, { primaryCells });
  const title = sectionTitle(section, today);
  const headingId = `upcoming-${section.key}`;
  return (
    <section className={`upcoming-group upcoming-${section.kind}`} aria-labelledby={headingId}>
      <h2 className="upcoming-day" id={headingId}>
        {title}
        {section.kind === 'today' || section.kind === 'tomorrow' ? <span className="upcoming-date"> · {formatDay(section.date!, today)}</span> : null}
      </h2>
      <ul className="tasks" ref={list} onKeyDown={onListKeyDown} aria-labelledby={headingId}>
        {section.tasks.map((task) => {
          const taskList = props.listOf(task.listId);
          const due = task.dueDate ? describeDueDate(task.dueDate, props.now) : null;
          const time = task.dueDate ? dueTimeOf(task.dueDate) : null;
          // The overdue section spans days: its rows say which; a day's rows only say the time, if any.
          const when = section.kind === 'overdue' ? due?.short : time;
          return (
            <li key={task.id} data-key={task.id} className={`task upcoming-task${task.done ? ' is-done' : ''}`}>
              <span className="task-handle" aria-hidden="true" />
              <input
                type="checkbox"
                className="task-check"
                data-cell="check"
                aria-label={`Complete “${task.title}”`}
                checked={task.done}
                disabled={!canCompleteTask(taskList?.role, task.assigneeId === props.meId)}
                onChange={(event) => props.onToggle(task, event.target.checked)}
              />
              <button type="button" className="assigned-title" data-cell="title" dir="auto" onClick={() => props.onOpen(task)}>
                {task.title}
              </button>
              <span className="task-meta">
                {task.assigneeId ? <AssigneeAvatar listId={task.listId} assigneeId={task.assigneeId} /> : null}
                <RepeatMark rule={recurrenceOf(task)} />
                <span className="search-result-list upcoming-list" dir="auto" title={taskList?.name}>
                  <Icon name="list" size={14} />
                  <bdi>{taskList?.name ?? 'A list'}</bdi>
                </span>
                {task.priority < 4 ? (
                  <span className={`upcoming-priority priority-${task.priority}`} title={`Priority: ${priorityNames[task.priority]}`}>
                    <Icon name="flag" size={14} />P{task.priority}
                  </span>
                ) : null}
                {when ? (
                  <span className={`due-text${section.kind === 'overdue' && !task.done ? ' is-overdue' : ''}`} title={due?.long}>
                    {when}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

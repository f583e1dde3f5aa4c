import { useEffect, useRef, useState } from 'react';
import type { Task } from '../../core/schemas/index.js';
import { searchLimits, searchTerms } from '../../core/search.js';
import { toApiError, type ApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { describeDueDate } from '../lib/due-dates.js';
import type { ListView } from '../state/lists.store.js';
import { Icon } from './Icon.js';

/** How long typing must pause before the query goes to the server. */
const typingPauseMs = 200;

/** Search results: tasks of every list the user can see holding every word typed, newest first. */
export function SearchPanel({ query, lists, onOpenList }: { query: string; lists: readonly ListView[]; onOpenList: (listId: string) => void }) {
  const { taskDetails } = useCollaboration();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  // Answers can arrive out of order: only the newest search's answer is shown.
  const latest = useRef(0);
  const terms = searchTerms(query).length;
  // More words than the server searches for would be refused (400): said here, before anything is sent.
  const tooManyWords = terms > searchLimits.termsMax;
  const searchable = terms > 0 && !tooManyWords;

  async function load(cursor: string | null) {
    const request = ++latest.current;
    setStatus('loading');
    try {
      const page = await collaborationApi.searchTasks(query, cursor);
      if (request !== latest.current) return;
      setTasks((current) => (cursor ? [...current, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setStatus('ready');
    } catch (caught) {
      if (request !== latest.current) return;
      setError(toApiError(caught));
      setStatus('error');
    }
  }

  useEffect(() => {
    if (!searchable) {
      latest.current++;
      setTasks([]);
      setNextCursor(null);
      setStatus('idle');
      return;
    }
    const timer = setTimeout(() => void load(null), typingPauseMs);
    return () => clearTimeout(timer);
    // `load` reads the query it was made with; a new query makes a new effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, searchable]);

  const listOf = (listId: string) => lists.find((list) => list.id === listId);
  const now = new Date();
  const count = tasks.length === 1 ? '1 task' : `${tasks.length}${nextCursor ? '+' : ''} tasks`;

  return (
    <section className="list-panel search-panel" aria-labelledby="search-title">
      <header className="list-header">
        <div className="list-heading">
          <h1 id="search-title">{searchable ? `Search: “${query.trim()}”` : 'Search'}</h1>
          <p className="list-progress" aria-live="polite">
            <span>{status === 'ready' ? count : status === 'loading' ? 'Searching…' : ' '}</span>
          </p>
        </div>
      </header>
      {tooManyWords ? (
        <p className="placeholder" role="status">
          Search for at most {searchLimits.termsMax} words at a time (a word longer than {searchLimits.termMax} characters counts as one per{' '}
          {searchLimits.termMax} characters).
        </p>
      ) : !searchable ? (
        <p className="placeholder">Type in the search box to find tasks in all your lists by their title, notes or content.</p>
      ) : null}
      {status === 'error' ? (
        <div className="placeholder" role="alert">
          <p>{error?.detail ?? 'The search failed.'}</p>
          <button type="button" className="button" onClick={() => void load(null)}>
            Try again
          </button>
        </div>
      ) : null}
      {status === 'ready' && tasks.length === 0 ? <p className="placeholder">No task matches “{query.trim()}”.</p> : null}
      {tasks.length > 0 ? (
        <ul className="tasks search-results" aria-label="Matching tasks">
          {tasks.map((task) => {
            const list = listOf(task.listId);
            const due = task.dueDate ? describeDueDate(task.dueDate, now) : null;
            return (
              <li key={task.id} className={`task search-result${task.done ? ' is-done' : ''}`}>
                <Icon name={task.done ? 'check' : 'list'} size={16} />
                <button
                  type="button"
                  className="assigned-title"
                  dir="auto"
                  onClick={() => {
                    onOpenList(task.listId);
                    taskDetails.open(task.listId, task.id);
                  }}
                >
                  {task.title}
                </button>
                <span className="task-meta">
                  <span className="search-result-list" dir="auto">
                    {list?.name ?? 'A list'}
                  </span>
                  {due ? <span className={`due-text${due.overdue && !task.done ? ' is-overdue' : ''}`}>{due.short}</span> : null}
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {nextCursor && status !== 'loading' ? (
        <button type="button" className="button search-more" onClick={() => void load(nextCursor)}>
          Show more
        </button>
      ) : null}
    </section>
  );
}

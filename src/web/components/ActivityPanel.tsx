import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toApiError, type ApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useListMembers } from '../hooks/useListMembers.js';
import { useListChanges } from '../hooks/useRealtime.js';
import { useStores } from '../hooks/useStores.js';
import { withNewestPage, withOlderPage, type ActivityFeed } from '../lib/activity-feed.js';
import { coalesced } from '../lib/coalesced.js';
import { describeActivity, type ActivityContext } from '../lib/activity-sentences.js';
import { localDateString } from '../lib/due-dates.js';
import { timeAgo } from '../lib/relative-time.js';
import type { ListView } from '../state/lists.store.js';
import { Avatar } from './Avatar.js';
import { Modal } from './Modal.js';

const pageSize = 30;

/**
 * The list's history, newest first, in sentences ("Ada completed “Milk” · 2 min ago"); "Load more" pages
 * back. What happens while it is open appears at the top.
 */
export function ActivityPanel({ list, onClose }: { list: ListView; onClose: () => void }) {
  const { me } = useCollaboration();
  const members = useListMembers(list.id);
  const tasksStore = useStores().tasksOf(list.id);
  const tasks = useSyncExternalStore(tasksStore.subscribe, tasksStore.getSnapshot).tasks;
  const [feed, setFeed] = useState<ActivityFeed>({ events: [], cursor: null });
  const changedWhileLoading = useRef(false);
  const { events, cursor } = feed;
  const [status, setStatus] = useState<'loading' | 'ready' | 'error' | 'loadingMore'>('loading');
  const [error, setError] = useState<ApiError | null>(null);

  // A change of the list while the panel is open: fetch the newest page again (the server words it, with
  // names), one fetch at a time, once more if changes came in during it.
  const fetchNewest = useMemo(
    () =>
      coalesced(async () => {
        const page = await collaborationApi.listActivity(list.id, null, pageSize);
        setFeed((current) => withNewestPage(current, page));
      }),
    [list.id],
  );

  const loadFirst = useCallback(async () => {
    setStatus('loading');
    try {
      const page = await collaborationApi.listActivity(list.id, null, pageSize);
      setFeed({ events: page.items, cursor: page.nextCursor });
      setStatus('ready');
      // Something changed while this page was on its way: it may not be in it.
      if (changedWhileLoading.current) {
        changedWhileLoading.current = false;
        void fetchNewest().catch(() => {});
      }
    } catch (caught) {
      setError(toApiError(caught));
      setStatus('error');
    }
  }, [list.id, fetchNewest]);

  useEffect(() => {
    void loadFirst();
    void members.store.reload(); // names of people who joined since the list was opened
  }, [loadFirst, members.store]);

  async function loadMore() {
    if (!cursor) return;
    setStatus('loadingMore');
    try {
      const page = await collaborationApi.listActivity(list.id, cursor, pageSize);
      setFeed((current) => withOlderPage(current, page));
      setStatus('ready');
    } catch (caught) {
      setError(toApiError(caught));
      setStatus('ready');
    }
  }

  // The Refresh button is still there; a missed live update is not worth an alert.
  const showNewest = () => fetchNewest().catch(() => {});
  useListChanges(list.id, () => {
    if (status === 'loading') changedWhileLoading.current = true;
    else if (status !== 'error') void showNewest();
  });

  const context = useMemo<ActivityContext>(() => {
    const titles = new Map(tasks.map((task) => [task.id, task.title]));
    return {
      meId: me.user.id,
      nameOf: (userId) => (userId === me.user.id ? me.user.name : members.byId.get(userId)?.name),
      taskTitleOf: (taskId) => titles.get(taskId),
      today: localDateString(new Date()),
    };
  }, [me, members.byId, tasks]);

  const now = new Date();
  return (
    <Modal
      title="Activity"
      onClose={onClose}
      variant="side"
      headerActions={
        <button type="button" className="button button-small" onClick={() => void loadFirst()} disabled={status === 'loading'}>
          Refresh
        </button>
      }
    >
      <p className="details-context">
        Everything that happened in <strong>{list.name}</strong>, newest first.
      </p>
      {status === 'loading' ? <p className="muted-note">Loading activity…</p> : null}
      {status === 'error' ? (
        <div className="muted-note" role="alert">
          {error?.detail ?? 'The activity could not be loaded.'}{' '}
          <button type="button" className="link-button" onClick={() => void loadFirst()}>
            Try again
          </button>
        </div>
      ) : null}
      {status !== 'loading' && status !== 'error' ? (
        events.length === 0 ? (
          <p className="muted-note">Nothing has happened here yet.</p>
        ) : (
          <ol className="activity-list" aria-label={`Activity in ${list.name}`}>
            {events.map((event) => (
              <li key={event.id} className="activity-item">
                {event.actorId ? (
                  <Avatar userId={event.actorId} name={event.actorName ?? '?'} size={26} />
                ) : (
                  <span className="activity-dot" aria-hidden="true" />
                )}
                <p>
                  <span className="activity-sentence">{describeActivity(event, context)}</span>
                  <span className="activity-time">
                    {' · '}
                    <time dateTime={event.at} title={new Date(event.at).toLocaleString()}>
                      {timeAgo(event.at, now)}
                    </time>
                  </span>
                </p>
              </li>
            ))}
          </ol>
        )
      ) : null}
      {cursor && (status === 'ready' || status === 'loadingMore') ? (
        <button type="button" className="button button-block activity-more" onClick={() => void loadMore()} disabled={status === 'loadingMore'}>
          {status === 'loadingMore' ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </Modal>
  );
}

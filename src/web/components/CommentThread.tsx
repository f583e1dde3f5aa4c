import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { commentSchema, type Comment, type Member } from '../../core/schemas/index.js';
import { toApiError, type ApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useListChanges } from '../hooks/useRealtime.js';
import { timeAgo } from '../lib/relative-time.js';
import { Avatar } from './Avatar.js';
import { CommentComposer } from './CommentComposer.js';
import { LoadFailure } from './LoadFailure.js';

export interface CommentThreadProps {
  listId: string;
  taskId: string;
  members: readonly Member[];
  meId: string;
  canComment: boolean;
}

// The Markdown renderer is most of the comments' weight: loaded when comments are first shown.
const MarkdownText = lazy(() => import('./MarkdownText.js').then((module) => ({ default: module.MarkdownText })));

/** A task's comments, oldest first, and the box to add one; other people's comments appear as they are made. */
export function CommentThread({ listId, taskId, members, meId, canComment }: CommentThreadProps) {
  const [comments, setComments] = useState<Comment[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const all: Comment[] = [];
      let cursor: string | null = null;
      do {
        const page = await collaborationApi.listComments(taskId, cursor);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      // Keep what arrived live while loading: comments are never deleted, and those came after.
      const loaded = new Set(all.map((comment) => comment.id));
      setComments((current) => [...all, ...current.filter((comment) => !loaded.has(comment.id))]);
      setStatus('ready');
    } catch (caught) {
      setError(toApiError(caught));
      setStatus((current) => (current === 'ready' ? current : 'error'));
    }
  }, [taskId]);

  useEffect(() => {
    void load();
  }, [load]);

  const append = (comment: Comment) => setComments((current) => (current.some((existing) => existing.id === comment.id) ? current : [...current, comment]));
  useListChanges(listId, (change) => {
    if (change.change !== 'comment.created' || change.taskId !== taskId) return;
    const comment = commentSchema.safeParse(change.data.comment);
    if (comment.success) append(comment.data);
    else void load();
  });

  async function send(body: string): Promise<boolean> {
    setSendError(null);
    try {
      append(await collaborationApi.createComment(taskId, body));
      return true;
    } catch (caught) {
      const apiError = toApiError(caught);
      setSendError(apiError.fieldError('body') ? `Comment ${apiError.fieldError('body')}.` : apiError.detail);
      return false;
    }
  }

  const now = new Date();
  return (
    <section className="comments" aria-labelledby={`comments-${taskId}`}>
      <h3 id={`comments-${taskId}`} className="details-heading">
        Comments{status === 'ready' && comments.length > 0 ? ` (${comments.length})` : ''}
      </h3>
      {status === 'loading' ? <p className="muted-note">Loading comments…</p> : null}
      {status === 'error' ? (
        <div className="muted-note" role="alert">
          {error?.detail ?? 'Comments could not be loaded.'}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : null}
      {status === 'ready' && comments.length === 0 ? <p className="muted-note">No comments yet.</p> : null}
      {comments.length > 0 ? (
        <ol className="comment-list">
          {comments.map((comment) => (
            <li key={comment.id} className="comment">
              <Avatar userId={comment.authorId} name={comment.authorName} size={28} />
              <div className="comment-main">
                <p className="comment-meta">
                  <span className="comment-author">{comment.authorId === meId ? 'You' : comment.authorName}</span>
                  <time dateTime={comment.createdAt} title={new Date(comment.createdAt).toLocaleString()}>
                    {timeAgo(comment.createdAt, now)}
                  </time>
                </p>
                <LoadFailure
                  fallback={
                    <p className="markdown" dir="auto">
                      {comment.body}
                    </p>
                  }
                >
                  <Suspense
                    fallback={
                      <p className="markdown" dir="auto">
                        {comment.body}
                      </p>
                    }
                  >
                    <MarkdownText source={comment.body} />
                  </Suspense>
                </LoadFailure>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {canComment ? (
        <>
          {sendError ? (
            <p className="form-error" role="alert">
              {sendError}
            </p>
          ) : null}
          <CommentComposer candidates={members} meId={meId} taskId={taskId} onSend={send} />
        </>
      ) : (
        <p className="muted-note">Your role on this list cannot comment.</p>
      )}
    </section>
  );
}

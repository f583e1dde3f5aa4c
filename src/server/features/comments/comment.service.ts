/**
 * Comments on tasks: Markdown source kept as written (the web app renders it without raw HTML),
 * with `@email` mentions of people who can see the list (see core/mentions.ts). Mentioned people
 * are notified; mentions of anyone else stay plain text.
 */
import { AppError, forbidden, notFound } from '../../../core/errors.js';
import { parseMentions } from '../../../core/mentions.js';
import { truncate } from '../../../core/text.js';
import { can, listActionWords, type ListAction } from '../../../core/permissions.js';
import type { Comment } from '../../../core/schemas/comments.js';
import type { Page } from '../../../core/schemas/common.js';
import type { AppContext } from '../../context.js';
import type { CommentsTable, Database } from '../../db/schema.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { decodeCursor, toPage } from '../../http/cursor.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { findUserById } from '../auth/user.repository.js';
import { findListAccess, type ListAccess } from '../lists/list-access.js';
import { notify } from '../notifications/notification.service.js';
import { findTask, isPastTrashRetention, lockTaskForChange } from '../tasks/task.repository.js';
import { findUsersByEmails, insertComment, listCommentsOfTask } from './comment.repository.js';
import type { Kysely } from 'kysely';

const excerptLength = 140;

const presentComment = (row: CommentsTable & { author_name: string }): Comment => ({
  id: row.id,
  taskId: row.task_id,
  listId: row.list_id,
  authorId: row.author_id,
  authorName: row.author_name,
  body: row.body,
  mentions: JSON.parse(row.mentions) as string[],
  createdAt: row.created_at,
});

export function createCommentService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock, bus } = ctx;
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  /** A task with the caller's access to its list: 404 when out of sight, 403 when the role forbids `action`. */
  function allowed<T extends ListAccess>(found: T | undefined, action: ListAction): T {
    if (!found) throw notFound('Task');
    if (!can(found.role, action)) throw forbidden(`Your role (${found.role}) cannot ${listActionWords[action]}`);
    return found;
  }

  /** The task and the caller's access to its list, `allowed` to do `action`. */
  async function authorizeTask(tx: Kysely<Database>, userId: string, taskId: string, action: ListAction) {
    const found = await findTask(tx, taskId);
    const task = found && !isPastTrashRetention(found, clock.now()) ? found : undefined; // as good as purged
    const access = task ? await findListAccess(tx, task.list_id, userId) : undefined;
    return allowed(task && access ? { task, ...access } : undefined, action);
  }

  return {
    async listComments(userId: string, taskId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<Comment>> {
      await authorizeTask(db.kysely, userId, taskId, 'comment.read');
      const after = decodeCursor(query.cursor, 1);
      const rows = await listCommentsOfTask(db.kysely, taskId, after ? String(after[0]) : null, query.limit);
      const page = toPage(rows, query.limit, (r) => [r.id]);
      return { items: page.items.map(presentComment), nextCursor: page.nextCursor };
    },

    async createComment(userId: string, taskId: string, body: string, mutationId: string | null): Promise<Comment> {
      return transact(async (uow) => {
        // Locks the task's list, as every change of it does, with the access check in the same round trip.
        const { task, list } = allowed(await lockTaskForChange(uow.tx, taskId, userId), 'comment.create');
        if (task.deleted_at) throw new AppError('task_deleted', 'This task was deleted; restore it before commenting');

        const emails = parseMentions(body);
        const byEmail = new Map((await findUsersByEmails(uow.tx, emails)).map((user) => [user.email, user]));
        const mentioned: { id: string; email: string }[] = [];
        for (const email of emails) {
          const candidate = byEmail.get(email); // in order of appearance
          if (candidate && (await findListAccess(uow.tx, task.list_id, candidate.id))) mentioned.push(candidate);
        }
        const author = (await findUserById(uow.tx, userId))!;
        const at = clock.now().toISOString();
        const row: CommentsTable = {
          id: newId(),
          workspace_id: task.workspace_id,
          list_id: task.list_id,
          task_id: task.id,
          author_id: userId,
          body,
          mentions: JSON.stringify(mentioned.map((user) => user.id)),
          created_at: at,
        };
        await insertComment(uow.tx, row);
        const comment = presentComment({ ...row, author_name: author.name });
        const toNotify = mentioned.filter((user) => user.id !== userId);
        const change = {
          workspaceId: task.workspace_id,
          listId: task.list_id,
          type: 'comment.created' as const,
          actorId: userId,
          taskId: task.id,
          mutationId,
          at,
          data: { comment },
        };
        await activity.recordListChange(uow, change, undefined, { endsTransaction: toNotify.length === 0 });
        const excerpt = truncate(body, excerptLength);
        for (const user of toNotify) {
          await notify(uow, bus, {
            userId: user.id,
            workspaceId: task.workspace_id,
            type: 'mentioned',
            actorId: userId,
            at,
            listId: task.list_id,
            taskId: task.id,
            commentId: row.id,
            data: { actorName: author.name, listName: list.name, taskTitle: task.title, excerpt },
          });
        }
        return comment;
      });
    },
  };
}

export type CommentService = ReturnType<typeof createCommentService>;

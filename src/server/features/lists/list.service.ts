/** Lists: create, rename, reorder, archive, delete. Every content change bumps the list's version. */
import { AppError, invalidField, notFound } from '../../../core/errors.js';
import { positionBetween } from '../../../core/ordering.js';
import { canInWorkspace } from '../../../core/permissions.js';
import type { CreateListBody, TaskList, UpdateListBody } from '../../../core/schemas/lists.js';
import type { Page } from '../../../core/schemas/common.js';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/unit-of-work.js';
import { resumeAfterPosition, toPositionPage } from '../../http/cursor.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { listChangedUnderMutation } from '../activity/activity.repository.js';
import { findPersonalWorkspace, findWorkspaceRole } from '../workspaces/workspace.repository.js';
import { accessibleListIds, authorizeList, listAudienceIds, toListAccess } from './list-access.js';
import { presentList } from './list.presenter.js';
import {
  deleteList,
  findListPositionOfUser,
  findListWorkspaceId,
  insertList,
  insertListMember,
  lastListPosition,
  listListsOfUser,
  lockWorkspaceListOrder,
  neighbourListPosition,
  updateList,
} from './list.repository.js';

export function createListService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock, bus } = ctx;
  const transact = <T>(work: Parameters<typeof inTransaction<T>>[1]) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  return {
    async createList(userId: string, body: CreateListBody, mutationId: string | null): Promise<TaskList> {
      const workspaceId = body.workspaceId ?? (await findPersonalWorkspace(db.kysely, userId))?.id;
      const membership = workspaceId ? await findWorkspaceRole(db.kysely, workspaceId, userId) : undefined;
      if (!workspaceId || !membership) throw notFound('Workspace');
      if (!canInWorkspace(membership.role, 'list.create')) throw new AppError('forbidden', 'Guests cannot create lists in this workspace');
      const now = clock.now().toISOString();
      return transact(async (uow) => {
        await lockWorkspaceListOrder(uow.tx, workspaceId);
        const list = {
          id: newId(),
          workspace_id: workspaceId,
          name: body.name,
          position: positionBetween(await lastListPosition(uow.tx, workspaceId), null),
          version: 0,
          archived_at: null,
          created_by: userId,
          created_at: now,
          updated_at: now,
        };
        await insertList(uow.tx, list);
        await insertListMember(uow.tx, { list_id: list.id, user_id: userId, workspace_id: workspaceId, role: 'owner', created_at: now });
        const change = await activity.recordListChange(uow, {
          workspaceId,
          listId: list.id,
          type: 'list.created',
          actorId: userId,
          mutationId,
          at: now,
          data: { list: presentList({ ...list, version: 1 }, 'owner') },
        });
        const audience = await listAudienceIds(uow.tx, list.id); // in a team workspace, its members see it too
        uow.afterCommit(() => {
          // The creator's own tabs match it to the list they show while creating it (its key), not a second list.
          for (const memberId of audience) {
            const data = memberId === userId && mutationId !== null ? { listId: list.id, mutationId } : { listId: list.id };
            bus.publishUserEvent({ userId: memberId, type: 'list.added', data });
          }
        });
        return presentList({ ...list, version: change.version }, 'owner');
      });
    },

    async listLists(
      userId: string,
      query: { workspaceId?: string | undefined; archived?: 'true' | 'false' | undefined; limit: number; cursor?: string | undefined },
    ): Promise<Page<TaskList>> {
      const after = await resumeAfterPosition(query.cursor, (id) => findListPositionOfUser(db.kysely, userId, id));
      const rows = await listListsOfUser(db.kysely, {
        userId,
        workspaceId: query.workspaceId,
        archived: query.archived === undefined ? undefined : query.archived === 'true',
        after,
        limit: query.limit,
      });
      const page = toPositionPage(rows, query.limit);
      const items = page.items.map((row) => {
        const access = toListAccess(row)!; // every row is accessible: the query keeps only those
        return presentList(access.list, access.role);
      });
      return { items, nextCursor: page.nextCursor };
    },

    async getList(userId: string, listId: string): Promise<TaskList> {
      const { list, role } = await authorizeList(db.kysely, userId, listId, 'list.read');
      return presentList(list, role);
    },

    async updateList(userId: string, listId: string, body: UpdateListBody, mutationId: string | null): Promise<TaskList> {
      const placing = body.afterId !== undefined || body.beforeId !== undefined;
      return transact(async (uow) => {
        if (placing) {
          // The workspace's list order first, then the list: the order membership changes lock them in.
          const workspaceId = await findListWorkspaceId(uow.tx, listId);
          if (workspaceId) await lockWorkspaceListOrder(uow.tx, workspaceId);
        }
        await activity.lockList(uow, listId);
        const { list, role } = await authorizeList(uow.tx, userId, listId, 'list.update');
        // A retry whose first try was made: answered with the list as it is now, not made again over later changes.
        if (mutationId !== null && (await listChangedUnderMutation(uow.tx, { listId, actorId: userId, mutationId }))) return presentList(list, role);
        const now = clock.now().toISOString();
        const changes: Partial<typeof list> = {};
        if (body.name !== undefined && body.name !== list.name) changes.name = body.name;
        if (body.archived !== undefined && body.archived !== (list.archived_at !== null)) changes.archived_at = body.archived ? now : null;
        if (placing) {
          changes.position = await listPositionFor(uow.tx, userId, list, body);
        }
        if (Object.keys(changes).length === 0) return presentList(list, role);
        await updateList(uow.tx, listId, { ...changes, updated_at: now });
        let updated = { ...list, ...changes, updated_at: now };
        const type =
          changes.archived_at !== undefined
            ? changes.archived_at
              ? 'list.archived'
              : 'list.unarchived'
            : changes.name !== undefined
              ? 'list.updated'
              : 'list.moved';
        const change = await activity.recordListChange(uow, {
          workspaceId: list.workspace_id,
          listId,
          type,
          actorId: userId,
          mutationId,
          at: now,
          data: { list: presentList({ ...updated, version: list.version + 1 }, role), changed: Object.keys(changes) },
        });
        updated = { ...updated, version: change.version };
        return presentList(updated, role);
      });
    },

    async deleteList(userId: string, listId: string): Promise<void> {
      await transact(async (uow) => {
        await activity.lockList(uow, listId);
        const { list } = await authorizeList(uow.tx, userId, listId, 'list.delete');
        const memberIds = await listAudienceIds(uow.tx, listId); // workspace members too: their sidebars and sockets show it
        await activity.recordWorkspaceEvent(uow, {
          workspaceId: list.workspace_id,
          type: 'list.deleted',
          actorId: userId,
          listId,
          at: clock.now().toISOString(),
          data: { name: list.name },
        });
        await deleteList(uow.tx, listId);
        uow.afterCommit(() => {
          for (const memberId of memberIds) bus.publishUserEvent({ userId: memberId, type: 'list.removed', data: { listId, reason: 'deleted' } });
        });
      });
    },
  };

  async function listPositionFor(
    tx: Parameters<typeof lastListPosition>[0],
    userId: string,
    list: { id: string; workspace_id: string },
    { afterId, beforeId }: { afterId?: string | null; beforeId?: string | null },
  ): Promise<string> {
    // As for tasks: after nothing is the top, before nothing the end.
    if (afterId === null) return positionBetween(null, await neighbourListPosition(tx, list.workspace_id, '', 'after', list.id));
    if (beforeId === null) return positionBetween(await lastListPosition(tx, list.workspace_id), null);
    const anchorId = afterId ?? beforeId;
    if (!anchorId) throw new Error('listPositionFor needs afterId or beforeId');
    // Only a list the caller can see: a hidden one must look exactly like one that does not exist.
    const anchor = await tx
      .selectFrom('lists')
      .select('position')
      .where('id', '=', anchorId)
      .where('workspace_id', '=', list.workspace_id)
      .where('id', 'in', accessibleListIds(tx, userId))
      .executeTakeFirst();
    if (!anchor || anchorId === list.id) throw invalidField(afterId ? 'afterId' : 'beforeId', 'must be another list of the same workspace');
    return afterId
      ? positionBetween(anchor.position, await neighbourListPosition(tx, list.workspace_id, anchor.position, 'after', list.id))
      : positionBetween(await neighbourListPosition(tx, list.workspace_id, anchor.position, 'before', list.id), anchor.position);
  }
}

export type ListService = ReturnType<typeof createListService>;

/**
 * The transactional steps every way of gaining or losing a list share (invitation, share link,
 * removal, leaving, workspace membership): the member limit, joining, and what losing access does.
 * Each step runs inside the caller's unit of work and records its activity event there.
 */
import { AppError } from '../../../core/errors.js';
import { listRoleRank, type ListRole } from '../../../core/permissions.js';
import type { AppContext } from '../../context.js';
import type { Database, ListsTable } from '../../db/schema.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { countLivePendingInvitations } from '../invitations/invitation.repository.js';
import { findListAccess, type ListAccess } from '../lists/list-access.js';
import { insertListMember } from '../lists/list.repository.js';
import { deleteNotificationsOfList } from '../notifications/notification.repository.js';
import { presentTask } from '../tasks/task.presenter.js';
import { insertWorkspaceMemberIfAbsent } from '../workspaces/workspace.repository.js';
import { nextUpdateStamp } from '../tasks/update-stamp.js';
import { clearTaskAssignee, countListMembers, setListMemberRole, tasksAssignedOnList } from './member.repository.js';
import type { Kysely } from 'kysely';

export interface ChangeContext {
  actorId: string;
  at: string;
  mutationId?: string | null;
}

export function createMembership(ctx: AppContext, activity: ActivityRecorder) {
  const { bus, config } = ctx;

  /** A membership event of the list, in the change's unit of work. */
  const recordMembership = (
    uow: UnitOfWork,
    list: Pick<ListsTable, 'id' | 'workspace_id'>,
    type: 'member.joined' | 'member.role_changed' | 'member.removed',
    change: ChangeContext,
    data: Record<string, unknown>,
  ) =>
    activity.recordListChange(uow, {
      workspaceId: list.workspace_id,
      listId: list.id,
      type,
      actorId: change.actorId,
      mutationId: change.mutationId ?? null,
      at: change.at,
      data,
    });

  /** Members allowed on one list. One place, so plans can vary it per workspace later. */
  const memberLimitOf = (_list: Pick<ListsTable, 'id' | 'workspace_id'>): number => config.membersPerList;

  const membership = {
    memberLimitOf,

    /** Throws `limit_reached` unless one more member fits (members and live pending invitations count). */
    async assertRoomForOneMore(tx: Kysely<Database>, list: Pick<ListsTable, 'id' | 'workspace_id'>, now: string): Promise<void> {
      const limit = memberLimitOf(list);
      const taken = (await countListMembers(tx, list.id)) + (await countLivePendingInvitations(tx, list.id, now));
      if (taken + 1 > limit) {
        throw new AppError('limit_reached', `This list has reached its limit of ${limit} members and pending invitations`, { extensions: { limit } });
      }
    },

    /**
     * Makes the user a member of the list with `role` (a guest of its team workspace too, if they
     * were not in it), records `member.joined`, and tells the user's sockets after commit.
     */
    async joinList(uow: UnitOfWork, list: ListsTable, userId: string, role: ListRole, change: ChangeContext, details: Record<string, unknown>): Promise<void> {
      await insertListMember(uow.tx, { list_id: list.id, user_id: userId, workspace_id: list.workspace_id, role, created_at: change.at });
      const workspace = await uow.tx.selectFrom('workspaces').select('kind').where('id', '=', list.workspace_id).executeTakeFirstOrThrow();
      if (workspace.kind === 'team') {
        // Someone from outside the team who is shared one list is the workspace's guest: they see only what is shared.
        // If-absent, not looked up first: joining two of the workspace's lists at once (each under its own list's
        // lock) would otherwise add them twice, and the second would fail on the key.
        await insertWorkspaceMemberIfAbsent(uow.tx, { workspace_id: list.workspace_id, user_id: userId, role: 'guest', created_at: change.at });
      }
      await recordMembership(uow, list, 'member.joined', change, { userId, role, ...details });
      uow.afterCommit(() => bus.publishUserEvent({ userId, type: 'list.added', data: { listId: list.id, role } }));
    },

    /**
     * Raises a list member's role to `role` if it is higher (an invitation accepted by someone who meanwhile
     * joined with a lower one), recording `member.role_changed`. Never lowers: grants only add up.
     */
    async raiseMemberRole(
      uow: UnitOfWork,
      list: ListsTable,
      userId: string,
      current: ListRole,
      role: ListRole,
      change: ChangeContext,
      details: Record<string, unknown>,
    ): Promise<void> {
      if (listRoleRank[role] <= listRoleRank[current]) return;
      await setListMemberRole(uow.tx, list.id, userId, role);
      await recordMembership(uow, list, 'member.role_changed', change, { userId, role, previousRole: current, ...details });
    },

    /**
     * Call after taking a grant away. If the user can no longer see the list: their assignments on it
     * are cleared (each a `task.assigned` event in the history), their notifications about it go, and
     * their sockets hear `list.removed` after commit. Their comments stay, attributed to them.
     * Returns the access they keep, if any (e.g. through the team workspace).
     */
    async settleLostAccess(uow: UnitOfWork, list: ListsTable, userId: string, reason: string, change: ChangeContext): Promise<ListAccess | undefined> {
      const remaining = await findListAccess(uow.tx, list.id, userId);
      if (remaining) return remaining;
      for (const task of await tasksAssignedOnList(uow.tx, list.id, userId)) {
        const stamp = nextUpdateStamp(task.updated_at, new Date(change.at));
        await clearTaskAssignee(uow.tx, task.id, stamp);
        const cleared = { ...task, assignee_id: null, updated_at: stamp };
        await activity.recordListChange(uow, {
          workspaceId: list.workspace_id,
          listId: list.id,
          type: 'task.assigned',
          actorId: change.actorId,
          taskId: task.id,
          mutationId: change.mutationId ?? null,
          at: change.at,
          data: { task: presentTask(cleared), changed: ['assignee_id'], previousAssigneeId: userId, reason },
        });
      }
      await deleteNotificationsOfList(uow.tx, userId, list.id);
      uow.afterCommit(() => bus.publishUserEvent({ userId, type: 'list.removed', data: { listId: list.id, reason } }));
      return undefined;
    },

    /**
     * Records what a change of workspace membership did to the user's access on each of the
     * workspace's lists (`before` and `after` from `findWorkspaceListAccess`).
     */
    async recordAccessChanges(
      uow: UnitOfWork,
      userId: string,
      before: Map<string, ListAccess>,
      after: Map<string, ListAccess>,
      reason: string,
      change: ChangeContext,
    ): Promise<void> {
      const listIds = [...new Set([...before.keys(), ...after.keys()])].sort();
      for (const listId of listIds) {
        const was = before.get(listId);
        const now = after.get(listId);
        const list = (now ?? was)!.list;
        const record = (type: 'member.joined' | 'member.role_changed' | 'member.removed', data: Record<string, unknown>) =>
          recordMembership(uow, list, type, change, { userId, via: 'workspace', reason, ...data });
        if (was && !now) {
          await record('member.removed', { role: was.role });
          await membership.settleLostAccess(uow, list, userId, reason, change);
        } else if (!was && now) {
          await record('member.joined', { role: now.role });
          uow.afterCommit(() => bus.publishUserEvent({ userId, type: 'list.added', data: { listId, role: now.role } }));
        } else if (was && now && was.role !== now.role) {
          await record('member.role_changed', { role: now.role, previousRole: was.role });
        }
      }
    },
  };
  return membership;
}

export type Membership = ReturnType<typeof createMembership>;

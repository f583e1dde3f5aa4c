/** Members of a list: who they are, changing a role, transferring ownership, removing, leaving. */
import { AppError, forbidden, notFound } from '../../../core/errors.js';
import { can, canGrant, higherListRole, listRoleRank, workspaceListRole, type ListRole } from '../../../core/permissions.js';
import type { Member } from '../../../core/schemas/members.js';
import type { AppContext } from '../../context.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { authorizeList, findListAccess } from '../lists/list-access.js';
import { insertListMember } from '../lists/list.repository.js';
import { deleteListMember, findListMember, findListOwner, findUserSummary, listListMembers, setListMemberRole } from './member.repository.js';
import { createMembership } from './membership.js';

const roleTooHigh = (granter: ListRole, role: ListRole) =>
  new AppError('role_too_high', `Your role (${granter}) cannot grant ${role}`, {
    errors: [{ field: 'role', message: `must not be above your own role (${granter})` }],
  });

export function createMemberService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock } = ctx;
  const membership = createMembership(ctx, activity);
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  async function presentMember(uow: UnitOfWork, listId: string, userId: string): Promise<Member> {
    const [user, access, own] = await Promise.all([
      findUserSummary(uow.tx, userId),
      findListAccess(uow.tx, listId, userId),
      findListMember(uow.tx, listId, userId),
    ]);
    return { userId, email: user!.email, name: user!.name, role: access!.role, via: own ? 'list' : 'workspace' };
  }

  return {
    /** The list's members, and the team workspace's people who see it through the workspace. */
    async listMembers(userId: string, listId: string): Promise<{ items: Member[] }> {
      const { list } = await authorizeList(db.kysely, userId, listId, 'member.read');
      const own = await listListMembers(db.kysely, listId);
      const workspaceKind = (await db.kysely.selectFrom('workspaces').select('kind').where('id', '=', list.workspace_id).executeTakeFirst())?.kind;
      const team =
        workspaceKind === 'team'
          ? await db.kysely
              .selectFrom('workspace_members as wm')
              .innerJoin('users as u', 'u.id', 'wm.user_id')
              .select(['wm.user_id', 'wm.role', 'u.email', 'u.name'])
              .where('wm.workspace_id', '=', list.workspace_id)
              .execute()
          : [];
      const members = new Map<string, Member>();
      for (const row of own) members.set(row.user_id, { userId: row.user_id, email: row.email, name: row.name, role: row.role, via: 'list' });
      for (const row of team) {
        const derived = workspaceListRole[row.role];
        if (!derived) continue;
        const existing = members.get(row.user_id);
        if (existing) existing.role = higherListRole(existing.role, derived)!;
        else members.set(row.user_id, { userId: row.user_id, email: row.email, name: row.name, role: derived, via: 'workspace' });
      }
      const items = [...members.values()].sort(
        (a, b) => listRoleRank[b.role] - listRoleRank[a.role] || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId),
      );
      return { items };
    },

    /**
     * Sets a member's role. `owner` transfers ownership: the target becomes the owner and the previous
     * owner an editor, so the list keeps exactly one owner. Someone who sees the list only through
     * its team workspace gets a list membership with the role.
     */
    async updateMemberRole(actorId: string, listId: string, targetId: string, role: ListRole, mutationId: string | null): Promise<Member> {
      return transact(async (uow) => {
        await activity.lockList(uow, listId);
        const { list, role: actorRole } = await authorizeList(uow.tx, actorId, listId, 'member.manage');
        if (!canGrant(actorRole, role)) throw roleTooHigh(actorRole, role);
        const target = await findListAccess(uow.tx, listId, targetId);
        if (!target) throw notFound('Member');
        const at = clock.now().toISOString();
        const record = (userId: string, newRole: ListRole, previousRole: ListRole | null, extra: object = {}) =>
          activity.recordListChange(uow, {
            workspaceId: list.workspace_id,
            listId,
            type: 'member.role_changed',
            actorId,
            mutationId,
            at,
            data: { userId, role: newRole, previousRole, ...extra },
          });

        if (target.memberRole === role) return presentMember(uow, listId, targetId);
        if (target.memberRole === 'owner') {
          throw new AppError('last_owner', 'A list always has exactly one owner: transfer ownership to another member first');
        }
        if (!target.memberRole) await membership.assertRoomForOneMore(uow.tx, list, at);

        if (role === 'owner') {
          const owner = await findListOwner(uow.tx, listId);
          if (owner) {
            await setListMemberRole(uow.tx, listId, owner.user_id, 'editor');
            await record(owner.user_id, 'editor', 'owner', { transfer: true });
          }
        }
        if (target.memberRole) await setListMemberRole(uow.tx, listId, targetId, role);
        else await insertListMember(uow.tx, { list_id: listId, user_id: targetId, workspace_id: list.workspace_id, role, created_at: at });
        await record(targetId, role, target.memberRole, role === 'owner' ? { transfer: true } : {});
        return presentMember(uow, listId, targetId);
      });
    },

    /** Removes a member; removing yourself is leaving. The owner can do neither: transfer first. */
    async removeMember(actorId: string, listId: string, targetId: string, mutationId: string | null): Promise<void> {
      await transact(async (uow) => {
        await activity.lockList(uow, listId);
        const leaving = actorId === targetId;
        const actor = await findListAccess(uow.tx, listId, actorId);
        if (!actor) throw notFound('List');
        if (!leaving && !can(actor.role, 'member.manage')) throw forbidden(`Your role (${actor.role}) cannot remove members`);
        const member = await findListMember(uow.tx, listId, targetId);
        if (!member) {
          if (await findListAccess(uow.tx, listId, targetId)) {
            throw new AppError('unprocessable', 'This person sees the list through its team workspace; change their workspace membership instead');
          }
          throw notFound('Member');
        }
        if (member.role === 'owner') {
          throw new AppError(
            'last_owner',
            leaving ? 'The owner cannot leave: transfer ownership first' : 'The owner cannot be removed: a list always has exactly one owner',
          );
        }
        const at = clock.now().toISOString();
        const reason = leaving ? 'left' : 'removed';
        await deleteListMember(uow.tx, listId, targetId);
        await activity.recordListChange(uow, {
          workspaceId: actor.list.workspace_id,
          listId,
          type: 'member.removed',
          actorId,
          mutationId,
          at,
          data: { userId: targetId, role: member.role, reason },
        });
        await membership.settleLostAccess(uow, actor.list, targetId, reason, { actorId, at, mutationId });
      });
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;

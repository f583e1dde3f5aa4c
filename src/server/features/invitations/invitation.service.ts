/**
 * Invitations to a list by email. The invitee sees pending invitations in the app (matched by their
 * account's email) and answers them; the link returned to the inviter (for an address without an
 * account yet) carries a random single-use secret, stored only as a hash, valid `invitationTtlDays`.
 * Email delivery is not built (no SMTP): the inviter shares the link.
 */
import { AppError, notFound } from '../../../core/errors.js';
import { canGrant } from '../../../core/permissions.js';
import type { Invitation, InviteMemberBody, PendingInvitation } from '../../../core/schemas/members.js';
import type { TaskList } from '../../../core/schemas/lists.js';
import type { AppContext } from '../../context.js';
import type { InvitationsTable } from '../../db/schema.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { hashSecret } from '../auth/secret-token.js';
import { findUserByEmail, findUserById } from '../auth/user.repository.js';
import { authorizeList, findListAccess } from '../lists/list-access.js';
import { presentList } from '../lists/list.presenter.js';
import { createMembership } from '../members/membership.js';
import { deleteNotificationsOfInvitation } from '../notifications/notification.repository.js';
import { notify } from '../notifications/notification.service.js';
import { presentInvitation, presentPendingInvitation } from './invitation.presenter.js';
import { addressedTo, answerPendingInvitation, assertAnswerable, newInvitationSecret } from './invitation-rules.js';
import {
  findInvitation,
  findInvitationByTokenHash,
  insertInvitation,
  listLivePendingInvitationsForEmail,
  listLivePendingInvitationsOfList,
  revokePendingInvitationsFor,
} from './invitation.repository.js';

export function createInvitationService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock, bus, config } = ctx;
  const membership = createMembership(ctx, activity);
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  async function accept(uow: UnitOfWork, invitation: InvitationsTable, userId: string, mutationId: string | null): Promise<{ list: TaskList }> {
    await activity.lockList(uow, invitation.list_id);
    const at = clock.now().toISOString();
    assertAnswerable(invitation, at);
    // An invitation speaks for whoever sent it: once they may no longer grant its role (removed from the list,
    // demoted), neither may it, or a removed member could let themselves back in with a link they kept.
    const inviter = await findListAccess(uow.tx, invitation.list_id, invitation.invited_by);
    if (!canGrant(inviter?.role, invitation.role))
      throw new AppError('gone', 'This invitation is no longer valid: whoever sent it can no longer invite to this list');
    if (!(await answerPendingInvitation(uow.tx, 'invitations', invitation.id, 'accepted', at, userId)))
      throw new AppError('gone', 'This invitation was already answered');
    const existing = await findListAccess(uow.tx, invitation.list_id, userId);
    const list = await uow.tx.selectFrom('lists').selectAll().where('id', '=', invitation.list_id).executeTakeFirstOrThrow();
    const change = { actorId: userId, at, mutationId };
    const details = { invitationId: invitation.id, invitedBy: invitation.invited_by };
    if (existing?.memberRole) {
      // Joined meanwhile (a share link, say): the invitation still gives what it says, if that is more.
      await membership.raiseMemberRole(uow, list, userId, existing.memberRole, invitation.role, change, details);
    } else {
      await membership.assertRoomForOneMore(uow.tx, list, at);
      await membership.joinList(uow, list, userId, invitation.role, change, details);
    }
    const access = (await findListAccess(uow.tx, invitation.list_id, userId))!;
    return { list: presentList(access.list, access.role) };
  }

  /** An invitation answered other than by joining: a change of the list, as its invitation was; its notification goes. */
  async function recordAnswer(
    uow: UnitOfWork,
    invitation: InvitationsTable,
    type: 'member.declined' | 'member.invitation_revoked',
    actorId: string,
    mutationId: string | null,
    at: string,
  ): Promise<void> {
    await deleteNotificationsOfInvitation(uow.tx, invitation.id);
    const invitee = await findUserByEmail(uow.tx, invitation.email);
    await activity.recordListChange(uow, {
      workspaceId: invitation.workspace_id,
      listId: invitation.list_id,
      type,
      actorId,
      mutationId,
      at,
      data: {
        userId: invitee && addressedTo(invitation, invitee) ? invitee.id : null,
        email: invitation.email,
        role: invitation.role,
        invitationId: invitation.id,
      },
    });
  }

  return {
    async inviteMember(
      actorId: string,
      listId: string,
      body: InviteMemberBody,
      mutationId: string | null,
    ): Promise<{ invitation: Invitation; inviteUrl: string }> {
      return transact(async (uow) => {
        await activity.lockList(uow, listId);
        const { list, role: actorRole } = await authorizeList(uow.tx, actorId, listId, 'member.invite');
        if (!canGrant(actorRole, body.role)) {
          throw new AppError('role_too_high', `Your role (${actorRole}) cannot grant ${body.role}`, {
            errors: [{ field: 'role', message: `must not be above your own role (${actorRole})` }],
          });
        }
        if (body.role === 'owner') {
          throw new AppError('unprocessable', 'A list has exactly one owner: invite as editor, then transfer ownership', {
            errors: [{ field: 'role', message: 'ownership is transferred to a member, not given by invitation' }],
          });
        }
        const invitee = await findUserByEmail(uow.tx, body.email);
        if (invitee && (await findListAccess(uow.tx, listId, invitee.id))) {
          throw new AppError('already_member', 'This person is already a member of the list', {
            errors: [{ field: 'email', message: 'is already a member of this list' }],
          });
        }
        const now = clock.now();
        const at = now.toISOString();
        // A new invitation to the same address replaces a pending one: a fresh link, the new role.
        for (const replaced of await revokePendingInvitationsFor(uow.tx, listId, body.email, at)) await deleteNotificationsOfInvitation(uow.tx, replaced);
        await membership.assertRoomForOneMore(uow.tx, list, at);

        const { token, columns } = newInvitationSecret(now, config.invitationTtlDays);
        const row: InvitationsTable = {
          id: newId(),
          workspace_id: list.workspace_id,
          list_id: listId,
          email: body.email,
          role: body.role,
          status: 'pending',
          invited_by: actorId,
          ...columns,
          responded_at: null,
          accepted_by: null,
        };
        await insertInvitation(uow.tx, row);
        await activity.recordListChange(uow, {
          workspaceId: list.workspace_id,
          listId,
          type: 'member.invited',
          actorId,
          mutationId,
          at,
          data: { userId: invitee?.id ?? null, email: body.email, role: body.role, invitationId: row.id },
        });
        if (invitee) {
          const inviter = (await findUserById(uow.tx, actorId))!;
          const pending = presentPendingInvitation({ ...row, list_name: list.name, inviter_name: inviter.name });
          await notify(uow, bus, {
            userId: invitee.id,
            workspaceId: list.workspace_id,
            type: 'invited',
            actorId,
            at,
            listId,
            invitationId: row.id,
            data: { listName: list.name, role: body.role, actorName: inviter.name },
          });
          uow.afterCommit(() => bus.publishUserEvent({ userId: invitee.id, type: 'invitation.created', data: pending }));
        }
        return { invitation: presentInvitation(row, at), inviteUrl: `/invite#${token}` };
      });
    },

    /** Pending invitations of a list, for those who may invite. */
    async listInvitationsOfList(userId: string, listId: string): Promise<{ items: Invitation[] }> {
      await authorizeList(db.kysely, userId, listId, 'member.invite');
      const at = clock.now().toISOString();
      return { items: (await listLivePendingInvitationsOfList(db.kysely, listId, at)).map((row) => presentInvitation(row, at)) };
    },

    /** The caller's pending invitations: those sent to their account's email address once it had an account. */
    async listMyInvitations(userId: string): Promise<{ items: PendingInvitation[] }> {
      const user = await findUserById(db.kysely, userId);
      if (!user) return { items: [] };
      const items = await listLivePendingInvitationsForEmail(db.kysely, user.email, user.created_at, clock.now().toISOString());
      return { items: items.map(presentPendingInvitation) };
    },

    /** Accepts an invitation addressed to the caller's email. */
    async acceptInvitation(userId: string, invitationId: string, mutationId: string | null): Promise<{ list: TaskList }> {
      const user = await findUserById(db.kysely, userId);
      return transact(async (uow) => {
        const invitation = await findInvitation(uow.tx, invitationId);
        if (!invitation || !user || !addressedTo(invitation, user)) throw notFound('Invitation');
        return accept(uow, invitation, userId, mutationId);
      });
    },

    /** Accepts with the link's secret, as whichever account the holder is signed in with (e.g. just signed up). */
    async acceptInvitationToken(userId: string, token: string, mutationId: string | null): Promise<{ list: TaskList }> {
      return transact(async (uow) => {
        const invitation = await findInvitationByTokenHash(uow.tx, hashSecret(token));
        if (!invitation) throw notFound('Invitation');
        return accept(uow, invitation, userId, mutationId);
      });
    },

    /**
     * Declines an invitation addressed to the caller. Those who may invite see it leave the list's pending
     * invitations at once (a `member.declined` change), and the caller's other tabs drop it from their inbox.
     */
    async declineInvitation(userId: string, invitationId: string, mutationId: string | null): Promise<void> {
      const user = await findUserById(db.kysely, userId);
      await transact(async (uow) => {
        const invitation = await findInvitation(uow.tx, invitationId);
        if (!invitation || !user || !addressedTo(invitation, user)) throw notFound('Invitation');
        await activity.lockList(uow, invitation.list_id);
        const at = clock.now().toISOString();
        assertAnswerable(invitation, at);
        if (!(await answerPendingInvitation(uow.tx, 'invitations', invitationId, 'declined', at)))
          throw new AppError('gone', 'This invitation was already answered');
        await recordAnswer(uow, invitation, 'member.declined', userId, mutationId, at);
        uow.afterCommit(() =>
          bus.publishUserEvent({ userId, type: 'invitation.removed', data: { invitationId, listId: invitation.list_id, reason: 'declined' } }),
        );
      });
    },

    /**
     * Withdraws a pending invitation (its link stops working at once). The invitee's inbox drops it live, and
     * so does every open share dialog of the list (a `member.invitation_revoked` change).
     */
    async revokeInvitation(userId: string, listId: string, invitationId: string, mutationId: string | null): Promise<void> {
      await transact(async (uow) => {
        await activity.lockList(uow, listId);
        await authorizeList(uow.tx, userId, listId, 'member.invite');
        const invitation = await findInvitation(uow.tx, invitationId);
        if (!invitation || invitation.list_id !== listId) throw notFound('Invitation');
        const at = clock.now().toISOString();
        if (!(await answerPendingInvitation(uow.tx, 'invitations', invitationId, 'revoked', at)))
          throw new AppError('gone', `This invitation was already ${invitation.status}`);
        await recordAnswer(uow, invitation, 'member.invitation_revoked', userId, mutationId, at);
        const invitee = await findUserByEmail(uow.tx, invitation.email);
        if (invitee && addressedTo(invitation, invitee)) {
          uow.afterCommit(() => bus.publishUserEvent({ userId: invitee.id, type: 'invitation.removed', data: { invitationId, listId, reason: 'revoked' } }));
        }
      });
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;

/**
 * Invitations to a team workspace. An admin invites an address with a role; the person joins only by accepting,
 * in the app (an account that held the address when it was sent) or with the link's secret (anyone the admin gave
 * the link to, e.g. after signing up), as with a list's invitations. The admin's answer is the same whether or not
 * the address has an account: it names nobody, so inviting is no way to learn who uses Listo.
 */
import { AppError, notFound } from '../../../core/errors.js';
import { outranksInWorkspace, type WorkspaceRole } from '../../../core/permissions.js';
import type { WorkspaceSummary } from '../../../core/schemas/auth.js';
import type { PendingWorkspaceInvitation, WorkspaceInvitation } from '../../../core/schemas/workspaces.js';
import type { AppContext } from '../../context.js';
import type { WorkspaceInvitationsTable } from '../../db/schema.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { hashSecret } from '../auth/secret-token.js';
import { addressedTo, answerPendingInvitation, assertAnswerable, newInvitationSecret, shownStatus } from '../invitations/invitation-rules.js';
import { findUserByEmail, findUserById } from '../auth/user.repository.js';
import { deleteNotificationsOfInvitation } from '../notifications/notification.repository.js';
import { notify } from '../notifications/notification.service.js';
import { authorizeWorkspace } from './workspace-access.js';
import {
  findWorkspaceInvitation,
  findWorkspaceInvitationByTokenHash,
  insertWorkspaceInvitation,
  listLivePendingInvitationsOfWorkspace,
  listLivePendingWorkspaceInvitationsForEmail,
  revokePendingWorkspaceInvitationsFor,
} from './workspace-invitation.repository.js';
import { createWorkspaceMembership } from './workspace-membership.js';
import { findWorkspaceRole, insertWorkspaceMemberIfAbsent, lockWorkspaceMembership, setWorkspaceMemberRole } from './workspace.repository.js';
import { personalOnly } from './workspace.service.js';

const presentInvitation = (row: WorkspaceInvitationsTable, now: string): WorkspaceInvitation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  email: row.email,
  role: row.role,
  status: shownStatus(row, now),
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

const presentPendingInvitation = (row: WorkspaceInvitationsTable & { workspace_name: string; inviter_name: string }): PendingWorkspaceInvitation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
  role: row.role,
  invitedBy: row.invited_by,
  invitedByName: row.inviter_name,
  email: row.email,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function createWorkspaceInvitationService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock, bus, config } = ctx;
  const membership = createWorkspaceMembership(ctx, activity);
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  /**
   * An invitation answered other than by joining, on the workspace's history: whom it went to is for its admins. A
   * decline names no actor: the person never joined, and their name and account are not the admins' to learn.
   */
  async function recordAnswer(
    uow: UnitOfWork,
    invitation: WorkspaceInvitationsTable,
    type: 'member.declined' | 'member.invitation_revoked',
    actorId: string | null,
    mutationId: string | null,
    at: string,
  ): Promise<void> {
    await activity.recordWorkspaceEvent(uow, {
      workspaceId: invitation.workspace_id,
      type,
      actorId,
      at,
      mutationId,
      data: { scope: 'workspace', email: invitation.email, role: invitation.role, invitationId: invitation.id },
    });
  }

  /** The invitee's other tabs (and the app of whoever it was addressed to) drop it from their inbox; its notification goes. */
  async function tellInviteeItIsGone(uow: UnitOfWork, invitation: WorkspaceInvitationsTable, reason: 'accepted' | 'declined' | 'revoked') {
    await deleteNotificationsOfInvitation(uow.tx, invitation.id);
    const invitee = await findUserByEmail(uow.tx, invitation.email);
    if (!invitee || !addressedTo(invitation, invitee)) return;
    uow.afterCommit(() =>
      bus.publishUserEvent({
        userId: invitee.id,
        type: 'workspace_invitation.removed',
        data: { invitationId: invitation.id, workspaceId: invitation.workspace_id, reason },
      }),
    );
  }

  async function accept(
    uow: UnitOfWork,
    invitation: WorkspaceInvitationsTable,
    userId: string,
    mutationId: string | null,
  ): Promise<{ workspace: WorkspaceSummary }> {
    const workspaceId = invitation.workspace_id;
    await lockWorkspaceMembership(uow.tx, workspaceId);
    const at = clock.now().toISOString();
    assertAnswerable(invitation, at);
    // An invitation speaks for the admin who sent it: once they are no longer one, it no longer holds.
    if ((await findWorkspaceRole(uow.tx, workspaceId, invitation.invited_by))?.role !== 'admin')
      throw new AppError('gone', 'This invitation is no longer valid: whoever sent it is no longer an admin of the workspace');
    const current = (await findWorkspaceRole(uow.tx, workspaceId, userId))?.role;
    // Someone already in the workspace who opens another person's link (a colleague checking it, an admin clicking
    // their own) neither uses it up nor takes its role: it stays for whom it was meant. Their own invitation (they
    // became a guest through a shared list meanwhile) still gives what it says.
    if (current && invitation.email !== (await findUserById(uow.tx, userId))?.email) {
      throw new AppError('already_member', 'You are already in this workspace; this invitation is for someone else, and stays theirs');
    }
    if (!(await answerPendingInvitation(uow.tx, 'workspace_invitations', invitation.id, 'accepted', at, userId)))
      throw new AppError('gone', 'This invitation was already answered');
    const workspace = await uow.tx.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirstOrThrow();
    const details = { invitationId: invitation.id, invitedBy: invitation.invited_by };
    let role: WorkspaceRole = invitation.role;
    if (!current) {
      await membership.change(uow, workspaceId, userId, userId, 'member.joined', { role, ...details }, mutationId, () =>
        insertWorkspaceMemberIfAbsent(uow.tx, { workspace_id: workspaceId, user_id: userId, role, created_at: at }),
      );
    } else if (outranksInWorkspace(invitation.role, current)) {
      // A guest already (joined one of its lists): the invitation still gives what it says.
      await membership.change(uow, workspaceId, userId, userId, 'member.role_changed', { role, previousRole: current, ...details }, mutationId, () =>
        setWorkspaceMemberRole(uow.tx, workspaceId, userId, role),
      );
    } else {
      role = current;
    }
    await tellInviteeItIsGone(uow, invitation, 'accepted');
    return { workspace: { id: workspace.id, name: workspace.name, kind: workspace.kind, role } };
  }

  return {
    /**
     * Invites `email` to the workspace with `role`. A new invitation to the same address replaces a pending one
     * (a fresh link, the new role). Someone already in the workspace is 409: change their role instead.
     */
    async invite(
      actorId: string,
      workspaceId: string,
      email: string,
      role: WorkspaceRole,
      mutationId: string | null,
    ): Promise<{ invitation: WorkspaceInvitation; inviteUrl: string }> {
      return transact(async (uow) => {
        await lockWorkspaceMembership(uow.tx, workspaceId);
        const access = await authorizeWorkspace(uow.tx, actorId, workspaceId, 'workspace.members.manage');
        if (access.workspace.kind === 'personal') throw personalOnly();
        const invitee = await findUserByEmail(uow.tx, email);
        if (invitee && (await findWorkspaceRole(uow.tx, workspaceId, invitee.id))) {
          // The admin sees the workspace's members anyway: this tells them nothing new.
          throw new AppError('already_member', 'This person is already in the workspace; change their role instead', {
            errors: [{ field: 'email', message: 'is already a member' }],
          });
        }
        const now = clock.now();
        const at = now.toISOString();
        for (const replaced of await revokePendingWorkspaceInvitationsFor(uow.tx, workspaceId, email, at)) await tellInviteeItIsGone(uow, replaced, 'revoked');
        const { token, columns } = newInvitationSecret(now, config.invitationTtlDays);
        const row: WorkspaceInvitationsTable = {
          id: newId(),
          workspace_id: workspaceId,
          email,
          role,
          status: 'pending',
          invited_by: actorId,
          ...columns,
          responded_at: null,
          accepted_by: null,
        };
        await insertWorkspaceInvitation(uow.tx, row);
        // No account id in the event: the workspace's history must not tell its admins whether the address has one.
        await activity.recordWorkspaceEvent(uow, {
          workspaceId,
          type: 'member.invited',
          actorId,
          at,
          mutationId,
          data: { scope: 'workspace', email, role, invitationId: row.id },
        });
        if (invitee && addressedTo(row, invitee)) {
          const inviter = (await findUserById(uow.tx, actorId))!;
          const pending = presentPendingInvitation({ ...row, workspace_name: access.workspace.name, inviter_name: inviter.name });
          await notify(uow, bus, {
            userId: invitee.id,
            workspaceId,
            type: 'workspace_invited',
            actorId,
            at,
            invitationId: row.id,
            data: { workspaceName: access.workspace.name, role, actorName: inviter.name },
          });
          uow.afterCommit(() => bus.publishUserEvent({ userId: invitee.id, type: 'workspace_invitation.created', data: pending }));
        }
        return { invitation: presentInvitation(row, at), inviteUrl: `/workspace-invite#${token}` };
      });
    },

    /** The workspace's pending invitations, for its admins. */
    async listInvitationsOfWorkspace(userId: string, workspaceId: string): Promise<{ items: WorkspaceInvitation[] }> {
      await authorizeWorkspace(db.kysely, userId, workspaceId, 'workspace.members.manage');
      const at = clock.now().toISOString();
      return { items: (await listLivePendingInvitationsOfWorkspace(db.kysely, workspaceId, at)).map((row) => presentInvitation(row, at)) };
    },

    /** The caller's pending workspace invitations: those sent to their address once they had an account. */
    async listMyInvitations(userId: string): Promise<{ items: PendingWorkspaceInvitation[] }> {
      const user = await findUserById(db.kysely, userId);
      if (!user) return { items: [] };
      const rows = await listLivePendingWorkspaceInvitationsForEmail(db.kysely, user.email, user.created_at, clock.now().toISOString());
      return { items: rows.map(presentPendingInvitation) };
    },

    async accept(userId: string, invitationId: string, mutationId: string | null): Promise<{ workspace: WorkspaceSummary }> {
      const user = await findUserById(db.kysely, userId);
      return transact(async (uow) => {
        const invitation = await findWorkspaceInvitation(uow.tx, invitationId);
        if (!invitation || !user || !addressedTo(invitation, user)) throw notFound('Invitation');
        return accept(uow, invitation, userId, mutationId);
      });
    },

    /** Accepts with the link's secret, as whichever account its holder is signed in with. */
    async acceptToken(userId: string, token: string, mutationId: string | null): Promise<{ workspace: WorkspaceSummary }> {
      return transact(async (uow) => {
        const invitation = await findWorkspaceInvitationByTokenHash(uow.tx, hashSecret(token));
        if (!invitation) throw notFound('Invitation');
        return accept(uow, invitation, userId, mutationId);
      });
    },

    async decline(userId: string, invitationId: string, mutationId: string | null): Promise<void> {
      const user = await findUserById(db.kysely, userId);
      await transact(async (uow) => {
        const invitation = await findWorkspaceInvitation(uow.tx, invitationId);
        if (!invitation || !user || !addressedTo(invitation, user)) throw notFound('Invitation');
        const at = clock.now().toISOString();
        assertAnswerable(invitation, at);
        if (!(await answerPendingInvitation(uow.tx, 'workspace_invitations', invitationId, 'declined', at)))
          throw new AppError('gone', 'This invitation was already answered');
        await recordAnswer(uow, invitation, 'member.declined', null, mutationId, at);
        await tellInviteeItIsGone(uow, invitation, 'declined');
      });
    },

    /** Withdraws a pending invitation: its link stops working at once, and the invitee's inbox drops it. */
    async revoke(userId: string, workspaceId: string, invitationId: string, mutationId: string | null): Promise<void> {
      await transact(async (uow) => {
        await lockWorkspaceMembership(uow.tx, workspaceId);
        await authorizeWorkspace(uow.tx, userId, workspaceId, 'workspace.members.manage');
        const invitation = await findWorkspaceInvitation(uow.tx, invitationId);
        if (!invitation || invitation.workspace_id !== workspaceId) throw notFound('Invitation');
        const at = clock.now().toISOString();
        if (!(await answerPendingInvitation(uow.tx, 'workspace_invitations', invitationId, 'revoked', at)))
          throw new AppError('gone', `This invitation was already ${invitation.status}`);
        await recordAnswer(uow, invitation, 'member.invitation_revoked', userId, mutationId, at);
        await tellInviteeItIsGone(uow, invitation, 'revoked');
      });
    },
  };
}

export type WorkspaceInvitationService = ReturnType<typeof createWorkspaceInvitationService>;

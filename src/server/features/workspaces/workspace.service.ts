/**
 * Team workspaces: create one, re-role or remove its people (they join by invitation: `workspace-invitation.service.ts`). A workspace role gives a role
 * on every list of the workspace (see list-access.ts); each change of it is recorded on the
 * workspace's log and, per list whose access it changed, on that list's log.
 */
import { AppError, notFound } from '../../../core/errors.js';
import type { WorkspaceRole } from '../../../core/permissions.js';
import type { WorkspaceSummary } from '../../../core/schemas/auth.js';
import type { WorkspaceMember } from '../../../core/schemas/workspaces.js';
import type { AppContext } from '../../context.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { findUserSummary } from '../members/member.repository.js';
import { authorizeWorkspace } from './workspace-access.js';
import { createWorkspaceMembership } from './workspace-membership.js';
import {
  countWorkspaceAdmins,
  deleteListMembershipsIn,
  deleteWorkspaceMember,
  findWorkspaceRole,
  insertWorkspace,
  insertWorkspaceMember,
  listWorkspaceMembers,
  listWorkspacesOf,
  listsOwnedIn,
  lockWorkspaceMembership,
  setWorkspaceMemberRole,
} from './workspace.repository.js';

export const personalOnly = () => new AppError('unprocessable', 'A personal workspace has only its owner; create a team workspace to work with others');

export function createWorkspaceService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock } = ctx;
  const membership = createWorkspaceMembership(ctx, activity);
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  /** Counts admins: call under `lockWorkspaceMembership`, so that two admins stepping down at once are counted one after the other. */
  async function assertNotLastAdmin(uow: UnitOfWork, workspaceId: string, currentRole: WorkspaceRole): Promise<void> {
    if (currentRole === 'admin' && (await countWorkspaceAdmins(uow.tx, workspaceId)) <= 1) {
      throw new AppError('last_owner', 'A workspace needs at least one admin: make someone else admin first');
    }
  }

  return {
    async listWorkspaces(userId: string): Promise<WorkspaceSummary[]> {
      return (await listWorkspacesOf(db.kysely, userId)).map((w) => ({ id: w.id, name: w.name, kind: w.kind, role: w.role }));
    },

    async createWorkspace(userId: string, name: string): Promise<WorkspaceSummary> {
      const at = clock.now().toISOString();
      const workspace = { id: newId(), name, kind: 'team' as const, created_by: userId, created_at: at };
      await transact(async ({ tx }) => {
        await insertWorkspace(tx, workspace);
        await insertWorkspaceMember(tx, { workspace_id: workspace.id, user_id: userId, role: 'admin', created_at: at });
      });
      return { id: workspace.id, name, kind: 'team', role: 'admin' };
    },

    async listMembers(userId: string, workspaceId: string): Promise<{ items: WorkspaceMember[] }> {
      await authorizeWorkspace(db.kysely, userId, workspaceId, 'workspace.members.read');
      const rows = await listWorkspaceMembers(db.kysely, workspaceId);
      return { items: rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role })) };
    },

    async updateMemberRole(actorId: string, workspaceId: string, userId: string, role: WorkspaceRole, mutationId: string | null): Promise<WorkspaceMember> {
      return transact(async (uow) => {
        await lockWorkspaceMembership(uow.tx, workspaceId);
        const access = await authorizeWorkspace(uow.tx, actorId, workspaceId, 'workspace.members.manage');
        if (access.workspace.kind === 'personal') throw personalOnly();
        const current = await findWorkspaceRole(uow.tx, workspaceId, userId);
        if (!current) throw notFound('Member');
        const user = (await findUserSummary(uow.tx, userId))!;
        if (current.role !== role) {
          if (role !== 'admin') await assertNotLastAdmin(uow, workspaceId, current.role);
          await membership.change(uow, workspaceId, actorId, userId, 'member.role_changed', { role, previousRole: current.role }, mutationId, () =>
            setWorkspaceMemberRole(uow.tx, workspaceId, userId, role),
          );
        }
        return { userId, email: user.email, name: user.name, role };
      });
    },

    /**
     * Removes someone from the workspace (or the caller leaves): they lose its lists at once, with the
     * same effects as removal from each list. Lists they own must be handed over first.
     */
    async removeMember(actorId: string, workspaceId: string, userId: string, mutationId: string | null): Promise<void> {
      await transact(async (uow) => {
        const leaving = actorId === userId;
        await lockWorkspaceMembership(uow.tx, workspaceId);
        const access = await authorizeWorkspace(uow.tx, actorId, workspaceId, leaving ? 'workspace.read' : 'workspace.members.manage');
        if (access.workspace.kind === 'personal') throw personalOnly();
        const current = await findWorkspaceRole(uow.tx, workspaceId, userId);
        if (!current) throw notFound('Member');
        await assertNotLastAdmin(uow, workspaceId, current.role);
        const owned = await listsOwnedIn(uow.tx, workspaceId, userId);
        if (owned.length > 0) {
          throw new AppError('last_owner', `Transfer ownership of ${owned.length} list(s) in this workspace first`, {
            extensions: { listIds: owned.map((r) => r.list_id) },
          });
        }
        await membership.change(uow, workspaceId, actorId, userId, 'member.removed', { role: current.role }, mutationId, async () => {
          await deleteListMembershipsIn(uow.tx, workspaceId, userId);
          await deleteWorkspaceMember(uow.tx, workspaceId, userId);
        });
      });
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

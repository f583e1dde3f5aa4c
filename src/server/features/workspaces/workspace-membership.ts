/**
 * A change of one person's workspace membership, recorded: the workspace event, and per list of the workspace
 * whose access it changed a `member.joined` / `member.role_changed` / `member.removed`. Shared by the workspace
 * service (roles, removals) and its invitations (joining).
 */
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { AppContext } from '../../context.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { findWorkspaceListAccess } from '../lists/list-access.js';
import { createMembership } from '../members/membership.js';

export type WorkspaceMembershipChange = 'member.joined' | 'member.role_changed' | 'member.removed';

export function createWorkspaceMembership(ctx: AppContext, activity: ActivityRecorder) {
  const membership = createMembership(ctx, activity);
  return {
    /** Runs `apply` between reading the person's list access before and after, and records what changed. */
    async change(
      uow: UnitOfWork,
      workspaceId: string,
      actorId: string,
      userId: string,
      type: WorkspaceMembershipChange,
      data: Record<string, unknown>,
      mutationId: string | null,
      apply: () => Promise<unknown>,
    ): Promise<void> {
      const at = ctx.clock.now().toISOString();
      const before = await findWorkspaceListAccess(uow.tx, workspaceId, userId);
      await apply();
      const after = await findWorkspaceListAccess(uow.tx, workspaceId, userId);
      await activity.recordWorkspaceEvent(uow, { workspaceId, type, actorId, at, mutationId, data: { userId, scope: 'workspace', ...data } });
      const reason = type === 'member.removed' ? (actorId === userId ? 'left' : 'removed') : 'workspace';
      await membership.recordAccessChanges(uow, userId, before, after, reason, { actorId, at, mutationId });
    },
  };
}

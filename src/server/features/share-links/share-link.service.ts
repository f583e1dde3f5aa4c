/**
 * An optional link that lets anyone signed in join a list with a set role, until the owner turns it
 * off or makes a new one. The secret is random, stored only as a hash, and shown once.
 */
import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../../core/errors.js';
import { can, canGrant, type ListRole } from '../../../core/permissions.js';
import type { TaskList } from '../../../core/schemas/lists.js';
import type { ShareLink } from '../../../core/schemas/members.js';
import type { AppContext } from '../../context.js';
import type { Database, ShareLinksTable } from '../../db/schema.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import type { ActivityRecorder } from '../activity/activity.recorder.js';
import { hashSecret, newSecret } from '../auth/secret-token.js';
import { authorizeList, findListAccess } from '../lists/list-access.js';
import { presentList } from '../lists/list.presenter.js';
import { createMembership } from '../members/membership.js';
import { disableShareLinks, findLiveShareLink, findLiveShareLinkByTokenHash, insertShareLink } from './share-link.repository.js';

const presentShareLink = (row: ShareLinksTable): ShareLink => ({ listId: row.list_id, role: row.role, createdBy: row.created_by, createdAt: row.created_at });

export function createShareLinkService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock } = ctx;
  const membership = createMembership(ctx, activity);
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  /** A link speaks for whoever made it, as an invitation does for its sender: only while they may still make it. */
  async function makerMayStillShare(tx: Kysely<Database>, link: ShareLinksTable): Promise<boolean> {
    const maker = await findListAccess(tx, link.list_id, link.created_by);
    return can(maker?.role, 'share_link.manage') && canGrant(maker?.role, link.role);
  }

  return {
    /** The list's working link, if any: one whose maker has since lost the right to make it is shown as none. */
    async getShareLink(userId: string, listId: string): Promise<{ shareLink: ShareLink | null }> {
      await authorizeList(db.kysely, userId, listId, 'share_link.manage');
      const row = await findLiveShareLink(db.kysely, listId);
      return { shareLink: row && (await makerMayStillShare(db.kysely, row)) ? presentShareLink(row) : null };
    },

    /** Makes the list's link (replacing any previous one, which stops working). */
    async createShareLink(userId: string, listId: string, role: ListRole): Promise<{ shareLink: ShareLink; url: string }> {
      return transact(async (uow) => {
        await activity.lockList(uow, listId);
        const { list, role: actorRole } = await authorizeList(uow.tx, userId, listId, 'share_link.manage');
        if (!canGrant(actorRole, role))
          throw new AppError('role_too_high', `Your role (${actorRole}) cannot grant ${role}`, {
            errors: [{ field: 'role', message: 'must not be above your own role' }],
          });
        if (role === 'owner')
          throw new AppError('unprocessable', 'A share link cannot make owners', {
            errors: [{ field: 'role', message: 'must be editor, commenter or viewer' }],
          });
        const at = clock.now().toISOString();
        await disableShareLinks(uow.tx, listId, at);
        const token = newSecret();
        const row: ShareLinksTable = {
          id: newId(),
          workspace_id: list.workspace_id,
          list_id: listId,
          token_hash: hashSecret(token),
          role,
          created_by: userId,
          created_at: at,
          disabled_at: null,
        };
        await insertShareLink(uow.tx, row);
        return { shareLink: presentShareLink(row), url: `/join#${token}` };
      });
    },

    async disableShareLink(userId: string, listId: string): Promise<void> {
      await authorizeList(db.kysely, userId, listId, 'share_link.manage');
      await disableShareLinks(db.kysely, listId, clock.now().toISOString());
    },

    /**
     * Joins the link's list with its role; someone who already is a member keeps their role. A link speaks for
     * whoever made it, as an invitation does for its sender: once they may no longer manage share links or grant
     * its role (ownership handed over, demoted, removed), it is gone (410).
     */
    async joinWithShareLink(userId: string, token: string, mutationId: string | null): Promise<{ list: TaskList }> {
      return transact(async (uow) => {
        const tokenHash = hashSecret(token);
        const found = await findLiveShareLinkByTokenHash(uow.tx, tokenHash);
        if (!found) throw notFound('Share link');
        await activity.lockList(uow, found.list_id);
        // Read again under the lock: while this waited, the list may have been deleted (the link with it) or the link
        // turned off or replaced.
        const link = await findLiveShareLinkByTokenHash(uow.tx, tokenHash);
        const list = link && (await uow.tx.selectFrom('lists').selectAll().where('id', '=', link.list_id).executeTakeFirst());
        if (!link || !list) throw notFound('Share link');
        if (!(await makerMayStillShare(uow.tx, link))) {
          throw new AppError('gone', 'This share link is no longer valid: whoever made it can no longer share this list');
        }
        const existing = await findListAccess(uow.tx, link.list_id, userId);
        if (!existing?.memberRole) {
          const at = clock.now().toISOString();
          await membership.assertRoomForOneMore(uow.tx, list, at);
          await membership.joinList(uow, list, userId, link.role, { actorId: userId, at, mutationId }, { via: 'share_link' });
        }
        const access = (await findListAccess(uow.tx, link.list_id, userId))!;
        return { list: presentList(access.list, access.role) };
      });
    },
  };
}

export type ShareLinkService = ReturnType<typeof createShareLinkService>;

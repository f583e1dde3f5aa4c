/** Personal API tokens for scripts: shown once at creation, stored only as a hash, revocable. */
import { notFound } from '../../../core/errors.js';
import type { ApiToken } from '../../../core/schemas/auth.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../ids.js';
import { hashSecret, newSecret } from '../auth/secret-token.js';
import { deleteApiToken, insertApiToken, listApiTokens } from './token.repository.js';

export function createTokenService({ db, clock, bus }: AppContext) {
  return {
    async createToken(userId: string, name: string): Promise<ApiToken & { token: string }> {
      const token = newSecret('listo_pat_');
      const row = { id: newId(), user_id: userId, name, token_hash: hashSecret(token), created_at: clock.now().toISOString(), last_used_at: null };
      await insertApiToken(db.kysely, row);
      return { id: row.id, name, createdAt: row.created_at, lastUsedAt: null, token };
    },

    async listTokens(userId: string): Promise<ApiToken[]> {
      const rows = await listApiTokens(db.kysely, userId);
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
    },

    async revokeToken(userId: string, id: string): Promise<void> {
      const result = await deleteApiToken(db.kysely, userId, id);
      if (Number(result.numDeletedRows) === 0) throw notFound('Token');
      bus.publishUserEvent({ userId, type: 'credential.revoked', data: { tokenId: id } });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

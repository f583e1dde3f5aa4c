/** Accounts and sessions: sign-up (with a personal workspace), login, logout, and resolving credentials. */
import { AppError } from '../../../core/errors.js';
import type { LoginBody, SignupBody, User } from '../../../core/schemas/auth.js';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import { findApiTokenByHash, touchApiToken } from '../tokens/token.repository.js';
import { insertWorkspace, insertWorkspaceMember } from '../workspaces/workspace.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.js';
import { deleteSession, findLiveSession, insertSession } from './session.repository.js';
import { findUserByEmail, findUserById, insertUser } from './user.repository.js';
import { hashSecret, newSecret } from './secret-token.js';

export interface Principal {
  userId: string;
  via: 'session' | 'token';
  /** Hash of the credential, so logout or revocation can close what it opened. */
  credentialHash: string;
  tokenId?: string;
  /** When a session ends (ms since the epoch): a WebSocket it opened is closed then too. Tokens do not expire. */
  expiresAt?: number;
}

const toUser = (row: { id: string; email: string; name: string }): User => ({ id: row.id, email: row.email, name: row.name });

/** Last-used time of an API token is written at most this often, not on every request. */
const tokenTouchIntervalMs = 60_000;

/**
 * Resolved credentials are remembered this long, so a busy client costs no lookup per request.
 * Logout and token revocation evict at once on every node (through the change bus); only with the
 * bus down could another node honour a revoked credential, for at most this long. A lookup that was
 * under way when a revocation was heard is not remembered (see `cached`).
 */
const principalCacheMs = 5_000;

export function createAuthService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const throttle = new LoginThrottle(clock);
  // Every sign-up counts (success or not), per client address, over an hour.
  const signups = new LoginThrottle(clock, () => config.signupsPerHour, 3_600_000);
  const principals = new Map<string, { principal: Principal; until: number }>();
  /** Revocations heard so far (on this node, from any node): a lookup remembers what it read only if none came meanwhile. */
  let revocationsHeard = 0;
  ctx.bus.onUserEvent((event) => {
    if (event.type !== 'credential.revoked') return;
    revocationsHeard++;
    const { credentialHash, tokenId } = (event.data ?? {}) as { credentialHash?: string; tokenId?: string };
    if (credentialHash) principals.delete(`session:${credentialHash}`);
    if (tokenId) for (const [hash, entry] of principals) if (entry.principal.tokenId === tokenId) principals.delete(hash);
  });

  /** `key` names the kind of credential too: a session's secret is no API token, and must not pass for one. */
  async function cached(key: string, resolve: () => Promise<Principal | null>, expiresAt?: (p: Principal) => number) {
    const now = clock.now().getTime();
    const hit = principals.get(key);
    if (hit && hit.until > now) return hit.principal;
    const revocationsBefore = revocationsHeard;
    const principal = await resolve();
    if (principal) {
      // A revocation heard while the lookup ran may have deleted the credential after the lookup read it, and its
      // eviction has already passed: remembering the result would honour the credential for the rest of the
      // cache time after the revoking request answered. The lookup still answers the request it serves, which
      // was concurrent with the revocation. (Any revocation counts: which credential a token id names is not
      // known before the lookup, and revocations are rare next to lookups.)
      if (revocationsHeard === revocationsBefore) {
        if (principals.size > 50_000) principals.clear(); // bound memory
        principals.set(key, { principal, until: Math.min(now + principalCacheMs, expiresAt?.(principal) ?? Infinity) });
      }
    } else {
      principals.delete(key);
    }
    return principal;
  }

  async function startSession(userId: string): Promise<string> {
    const token = newSecret();
    const now = clock.now();
    await insertSession(db.kysely, {
      token_hash: hashSecret(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + config.sessionDays * 86_400_000).toISOString(),
    });
    return token;
  }

  /**
   * A new account with its personal workspace, whatever its address: sign-up (after its own checks), and the
   * operator's `listo users create`, which is how an administrator's account comes to be.
   */
  async function createAccount(body: SignupBody): Promise<User> {
    if (await findUserByEmail(db.kysely, body.email)) {
      throw new AppError('email_taken', 'An account with this email already exists', {
        errors: [{ field: 'email', message: 'is already registered' }],
      });
    }
    const passwordHash = await hashPassword(body.password);
    const now = clock.now().toISOString();
    const user = { id: newId(), email: body.email, name: body.name };
    try {
      await inTransaction(db, async ({ tx }) => {
        await insertUser(tx, { ...user, password_hash: passwordHash, created_at: now });
        const workspaceId = newId();
        await insertWorkspace(tx, { id: workspaceId, name: 'Personal', kind: 'personal', created_by: user.id, created_at: now });
        await insertWorkspaceMember(tx, { workspace_id: workspaceId, user_id: user.id, role: 'admin', created_at: now });
      });
    } catch (error) {
      // Two sign-ups racing for one email: the unique index decides, the loser gets the same answer.
      if (await findUserByEmail(db.kysely, body.email)) {
        throw new AppError('email_taken', 'An account with this email already exists', {
          errors: [{ field: 'email', message: 'is already registered' }],
        });
      }
      throw error;
    }
    return user;
  }

  return {
    async signup(body: SignupBody, ip: string): Promise<{ user: User; sessionToken: string }> {
      if (config.signupsPerHour > 0) {
        const attempt = signups.reserve([`ip:${ip}`]);
        if (attempt.retryAfter > 0) {
          throw new AppError('too_many_requests', 'Too many accounts made from this address; try again later', {
            extensions: { retryAfter: attempt.retryAfter },
          });
        }
      }
      // Emails are not verified: anyone could otherwise sign up first with an administrator's address and be one.
      if (config.adminEmails.has(body.email.toLowerCase())) {
        throw new AppError('forbidden', "This address is an administrator's on this server: its account is made by the operator (listo users create)", {
          errors: [{ field: 'email', message: "is an administrator's address: the operator makes its account" }],
        });
      }
      const user = await createAccount(body);
      return { user, sessionToken: await startSession(user.id) };
    },

    createAccount,

    async login(body: LoginBody, ip: string): Promise<{ user: User; sessionToken: string }> {
      const emailKey = `email:${body.email}`;
      // Counted before the password is checked, so parallel guesses cannot all get past the limit (login-throttle.ts).
      const attempt = throttle.reserve([emailKey, `ip:${ip}`]);
      if (attempt.retryAfter > 0) {
        throw new AppError('too_many_requests', 'Too many failed logins; try again later', { extensions: { retryAfter: attempt.retryAfter } });
      }
      let row: Awaited<ReturnType<typeof findUserByEmail>>;
      let ok: boolean;
      try {
        row = await findUserByEmail(db.kysely, body.email);
        ok = row ? await verifyPassword(row.password_hash, body.password) : (await burnPasswordCheck(body.password), false);
      } catch (error) {
        attempt.release(); // not a failed guess: the database or the hash failed
        throw error;
      }
      if (!row || !ok) {
        attempt.fail();
        throw new AppError('invalid_credentials', 'Email or password is incorrect');
      }
      attempt.release();
      throttle.recordSuccess(emailKey);
      return { user: toUser(row), sessionToken: await startSession(row.id) };
    },

    async logout(principal: Principal): Promise<void> {
      if (principal.via !== 'session') return;
      await deleteSession(db.kysely, principal.credentialHash);
      ctx.bus.publishUserEvent({ userId: principal.userId, type: 'credential.revoked', data: { credentialHash: principal.credentialHash } });
    },

    async resolveSession(token: string): Promise<Principal | null> {
      const tokenHash = hashSecret(token);
      let expiresAt = 0;
      return cached(
        `session:${tokenHash}`,
        async () => {
          const session = await findLiveSession(db.kysely, tokenHash, clock.now().toISOString());
          if (!session) return null;
          expiresAt = Date.parse(session.expires_at);
          return { userId: session.user_id, via: 'session', credentialHash: tokenHash, expiresAt };
        },
        () => expiresAt,
      );
    },

    async resolveApiToken(token: string): Promise<Principal | null> {
      const tokenHash = hashSecret(token);
      return cached(`token:${tokenHash}`, async () => {
        const row = await findApiTokenByHash(db.kysely, tokenHash);
        if (!row) return null;
        const now = clock.now();
        if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > tokenTouchIntervalMs) {
          await touchApiToken(db.kysely, row.id, now.toISOString());
        }
        return { userId: row.user_id, via: 'token', credentialHash: tokenHash, tokenId: row.id };
      });
    },

    /**
     * Whether the credential behind a long-lived connection still exists, asked of the database (not the cache):
     * after an outage of the link between nodes, a logout or revocation elsewhere may not have been heard.
     */
    async isStillValid(principal: Principal): Promise<boolean> {
      if (principal.via === 'session') return (await findLiveSession(db.kysely, principal.credentialHash, clock.now().toISOString())) !== undefined;
      return (await findApiTokenByHash(db.kysely, principal.credentialHash)) !== undefined;
    },

    async getUser(userId: string) {
      const row = await findUserById(db.kysely, userId);
      if (!row) throw new AppError('unauthenticated', 'Sign in to continue');
      return { ...toUser(row), isAdmin: config.adminEmails.has(row.email) };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

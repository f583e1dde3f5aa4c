/** Configuration, read once from the environment; everything else receives it explicitly. */
import path from 'node:path';
import { limits } from '../core/limits.js';
import { s3SettingsFromEnv, type S3Settings } from './blobs/s3-settings.js';
import { gifSearchSettingsFromEnv, type GifSearchSettings } from './features/gif-search/gif-search.settings.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl: string | null;
  /** PostgreSQL schema to use (tests isolate each file in its own schema). */
  databaseSchema: string | null;
  /** PostgreSQL connections per node (`LISTO_DB_POOL_SIZE`). */
  databasePoolSize: number;
  /** Longest wait to open a PostgreSQL connection or to get one from a busy pool (`LISTO_DB_CONNECT_TIMEOUT_MS`). */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL cancels a statement of the app running longer (`LISTO_DB_STATEMENT_TIMEOUT_MS`); migrations have none. */
  databaseStatementTimeoutMs: number;
  /** PostgreSQL fails a statement waiting longer for a lock (`LISTO_DB_LOCK_TIMEOUT_MS`); migrations have none. */
  databaseLockTimeoutMs: number;
  redisUrl: string | null;
  adminEmails: Set<string>;
  logLevel: string;
  /** Folder holding the built web app; null serves no web app. */
  webRoot: string | null;
  /** Behind a TLS-terminating proxy, trust X-Forwarded-Proto for the Secure cookie flag. */
  trustProxy: boolean;
  sessionDays: number;
  /** Most members (and pending invitations) a list may have; plans may change it later. */
  membersPerList: number;
  /** Days an invitation link stays valid. */
  invitationTtlDays: number;
  /** S3-compatible blob storage (`LISTO_S3_*`); null keeps uploads under `dataDir`. */
  s3: S3Settings | null;
  /** GIF search (`LISTO_GIPHY_API_KEY`); null: the web app's GIF picker offers upload only. */
  gifSearch: GifSearchSettings | null;
  /** Minutes after a billing period ends before its invoice is finalized, for late usage events (`LISTO_BILLING_GRACE_MINUTES`). */
  billingGraceMinutes: number;
  /**
   * Sign-ups one client address may make an hour (`LISTO_SIGNUPS_PER_HOUR`, 0 for no limit): each costs an argon2
   * hash (19 MiB, tens of milliseconds), so a script must not be able to make them as fast as it can ask.
   */
  signupsPerHour: number;
}

/**
 * PostgreSQL pool and timeouts when the environment does not set them. 30 s is far above the app's longest legitimate
 * statements (rating a big billing period: 1M events in under 2 s; a search of a big account; the trash purge, which
 * works in batches); a stalled database answers 503 instead of holding every request forever.
 */
export const databaseDefaults = { poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, lockTimeoutMs: 10_000 } as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.LISTO_DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for embedded SQLite)');
  }
  const port = portNumber(env.PORT);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    databaseSchema: env.DATABASE_SCHEMA ?? null,
    databasePoolSize: positiveInt(env.LISTO_DB_POOL_SIZE, databaseDefaults.poolSize, 'LISTO_DB_POOL_SIZE'),
    databaseConnectTimeoutMs: positiveInt(env.LISTO_DB_CONNECT_TIMEOUT_MS, databaseDefaults.connectTimeoutMs, 'LISTO_DB_CONNECT_TIMEOUT_MS'),
    databaseStatementTimeoutMs: positiveInt(env.LISTO_DB_STATEMENT_TIMEOUT_MS, databaseDefaults.statementTimeoutMs, 'LISTO_DB_STATEMENT_TIMEOUT_MS'),
    databaseLockTimeoutMs: positiveInt(env.LISTO_DB_LOCK_TIMEOUT_MS, databaseDefaults.lockTimeoutMs, 'LISTO_DB_LOCK_TIMEOUT_MS'),
    redisUrl: env.REDIS_URL?.trim() || null,
    adminEmails: new Set(
      (env.LISTO_ADMIN_EMAILS ?? '')
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
    logLevel: env.LOG_LEVEL ?? 'info',
    webRoot: env.LISTO_WEB_ROOT ?? null,
    trustProxy: env.LISTO_TRUST_PROXY === 'true',
    sessionDays: 30,
    membersPerList: positiveInt(env.LISTO_MEMBERS_PER_LIST, limits.membersPerListDefault, 'LISTO_MEMBERS_PER_LIST'),
    invitationTtlDays: positiveInt(env.LISTO_INVITATION_TTL_DAYS, limits.invitationTtlDaysDefault, 'LISTO_INVITATION_TTL_DAYS'),
    s3: s3SettingsFromEnv(env),
    gifSearch: gifSearchSettingsFromEnv(env),
    billingGraceMinutes: positiveInt(env.LISTO_BILLING_GRACE_MINUTES, 60, 'LISTO_BILLING_GRACE_MINUTES'),
    signupsPerHour: wholeNumber(env.LISTO_SIGNUPS_PER_HOUR, 50, 'LISTO_SIGNUPS_PER_HOUR'),
    ...overrides,
  };
}

/** Digits only (not `0x1F90`, `1e3` or `8080.0`), at most 65535; empty or blank is unset (3000). */
function portNumber(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(port <= 65535)) throw new Error('PORT must be a port number');
  return port;
}

/** As `positiveInt`, 0 allowed (no limit). */
function wholeNumber(value: string | undefined, fallback: number, name: string): number {
  if (value !== undefined && value.trim() === '0') return 0;
  return positiveInt(value, fallback, name);
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive whole number`);
  return parsed;
}

/** Configuration, read once from the environment; everything else receives it explicitly. */
import path from 'node:path';
import pino from 'pino';
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
  /**
   * Real-time sockets one account may have open on one node (`LISTO_SOCKETS_PER_USER`, 0 for no limit): a tab each,
   * plus scripts. Beyond, the upgrade is refused with 429: one credential cannot hold thousands of connections, each
   * with its heartbeat and its place in every fan-out.
   */
  socketsPerUser: number;
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
    databasePoolSize: positiveInt(env, 'LISTO_DB_POOL_SIZE', databaseDefaults.poolSize),
    databaseConnectTimeoutMs: positiveInt(env, 'LISTO_DB_CONNECT_TIMEOUT_MS', databaseDefaults.connectTimeoutMs),
    databaseStatementTimeoutMs: positiveInt(env, 'LISTO_DB_STATEMENT_TIMEOUT_MS', databaseDefaults.statementTimeoutMs),
    databaseLockTimeoutMs: positiveInt(env, 'LISTO_DB_LOCK_TIMEOUT_MS', databaseDefaults.lockTimeoutMs),
    redisUrl: env.REDIS_URL?.trim() || null,
    adminEmails: new Set(
      (env.LISTO_ADMIN_EMAILS ?? '')
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
    logLevel: logLevelOf(env.LOG_LEVEL),
    webRoot: env.LISTO_WEB_ROOT ?? null,
    trustProxy: env.LISTO_TRUST_PROXY === 'true',
    sessionDays: 30,
    membersPerList: positiveInt(env, 'LISTO_MEMBERS_PER_LIST', limits.membersPerListDefault),
    invitationTtlDays: positiveInt(env, 'LISTO_INVITATION_TTL_DAYS', limits.invitationTtlDaysDefault),
    s3: s3SettingsFromEnv(env),
    gifSearch: gifSearchSettingsFromEnv(env),
    billingGraceMinutes: positiveInt(env, 'LISTO_BILLING_GRACE_MINUTES', 60),
    signupsPerHour: wholeNumber(env, 'LISTO_SIGNUPS_PER_HOUR', 50),
    socketsPerUser: wholeNumber(env, 'LISTO_SOCKETS_PER_USER', 50),
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

/**
 * The largest value each numeric variable takes, and its unit. A millisecond timeout ends in a Node timer and in
 * PostgreSQL's `statement_timeout`/`lock_timeout`, both 32-bit: a larger one became a 1 ms timer (Node's
 * TimeoutOverflowWarning) and every connection 'database down'. Days and minutes end in dates: a billion days of
 * invitation is past the year 9999, and made every invitation a 500.
 */
const numberBounds = {
  LISTO_DB_POOL_SIZE: { max: 1_000, unit: 'connections' },
  LISTO_DB_CONNECT_TIMEOUT_MS: { max: 2_147_483_647, unit: 'milliseconds' },
  LISTO_DB_STATEMENT_TIMEOUT_MS: { max: 2_147_483_647, unit: 'milliseconds' },
  LISTO_DB_LOCK_TIMEOUT_MS: { max: 2_147_483_647, unit: 'milliseconds' },
  LISTO_MEMBERS_PER_LIST: { max: 10_000, unit: 'members' },
  LISTO_INVITATION_TTL_DAYS: { max: 3_650, unit: 'days' },
  LISTO_BILLING_GRACE_MINUTES: { max: 43_200, unit: 'minutes' },
  LISTO_SIGNUPS_PER_HOUR: { max: 1_000_000, unit: 'sign-ups' },
  LISTO_SOCKETS_PER_USER: { max: 1_000_000, unit: 'sockets' },
} as const;
type NumberVariable = keyof typeof numberBounds;

/** `LISTO_SIGNUPS_PER_HOUR`, `LISTO_SOCKETS_PER_USER`: as `positiveInt`, 0 allowed (no limit). */
function wholeNumber(env: NodeJS.ProcessEnv, name: NumberVariable, fallback: number): number {
  return boundedNumber(env, name, fallback, 0);
}

function positiveInt(env: NodeJS.ProcessEnv, name: NumberVariable, fallback: number): number {
  return boundedNumber(env, name, fallback, 1);
}

/** Digits only (not `1e3`, `0x10`, `+5` or `5.0`), within `min`…its maximum; empty or blank is unset. One line naming the variable otherwise. */
function boundedNumber(env: NodeJS.ProcessEnv, name: NumberVariable, fallback: number, min: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const { max, unit } = numberBounds[name];
  const parsed = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max)) {
    throw new Error(`${name} must be a whole number of ${unit} from ${min} to ${max} (got ${JSON.stringify(value.slice(0, 40))})`);
  }
  return parsed;
}

/** pino's levels, and `silent`. */
const logLevels = [...Object.keys(pino.levels.values), 'silent'];

/** `LOG_LEVEL`: one of pino's levels; empty or blank is unset (info). */
function logLevelOf(value: string | undefined): string {
  const level = value?.trim();
  if (level === undefined || level === '') return 'info';
  if (!logLevels.includes(level)) throw new Error(`LOG_LEVEL must be one of ${logLevels.join(', ')} (got ${JSON.stringify(level.slice(0, 40))})`);
  return level;
}

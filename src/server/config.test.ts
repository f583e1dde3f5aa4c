import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads PORT as a plain decimal port number', () => {
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('treats an empty or blank PORT as unset, not as port 0 (a random port)', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(loadConfig({ PORT: ' ' }).port).toBe(3000);
  });

  it.each(['0x1F90', '1e3', '8080.0', '+80', '-1', '65536', '123456', 'http', '80 80'])('refuses PORT=%j with one line', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(/^PORT must be a port number$/);
  });
});

describe('numeric settings', () => {
  it('takes plain decimal numbers within each bound, and the default when empty or blank', () => {
    const config = loadConfig({
      LISTO_DB_POOL_SIZE: '20',
      LISTO_DB_CONNECT_TIMEOUT_MS: '2147483647',
      LISTO_DB_STATEMENT_TIMEOUT_MS: ' 60000 ',
      LISTO_DB_LOCK_TIMEOUT_MS: '1',
      LISTO_INVITATION_TTL_DAYS: '3650',
      LISTO_MEMBERS_PER_LIST: '200',
      LISTO_BILLING_GRACE_MINUTES: '1440',
      LISTO_SIGNUPS_PER_HOUR: '0',
      LISTO_SOCKETS_PER_USER: '0',
    });
    expect(config).toMatchObject({
      databasePoolSize: 20,
      databaseConnectTimeoutMs: 2_147_483_647,
      databaseStatementTimeoutMs: 60_000,
      databaseLockTimeoutMs: 1,
      invitationTtlDays: 3650,
      membersPerList: 200,
      billingGraceMinutes: 1440,
      signupsPerHour: 0,
      socketsPerUser: 0,
    });
    expect(loadConfig({ LISTO_DB_CONNECT_TIMEOUT_MS: '', LISTO_INVITATION_TTL_DAYS: ' ' })).toMatchObject({
      databaseConnectTimeoutMs: 5_000,
      invitationTtlDays: 14,
    });
  });

  // A timeout past 2^31-1 ms became a 1 ms timer (TimeoutOverflowWarning: every connection 'database down'); a
  // billion days of invitation made every invitation a 500; 1e3 was taken as 1000.
  it.each([
    [
      'LISTO_DB_CONNECT_TIMEOUT_MS',
      '3000000000',
      /^LISTO_DB_CONNECT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647 \(got "3000000000"\)$/,
    ],
    ['LISTO_DB_STATEMENT_TIMEOUT_MS', '3000000000', /^LISTO_DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647/],
    ['LISTO_DB_LOCK_TIMEOUT_MS', '2147483648', /^LISTO_DB_LOCK_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647/],
    ['LISTO_DB_CONNECT_TIMEOUT_MS', '1e3', /^LISTO_DB_CONNECT_TIMEOUT_MS must be a whole number/],
    ['LISTO_DB_POOL_SIZE', '0x10', /^LISTO_DB_POOL_SIZE must be a whole number of connections from 1 to 1000/],
    ['LISTO_DB_POOL_SIZE', '0', /^LISTO_DB_POOL_SIZE must be a whole number/],
    ['LISTO_DB_POOL_SIZE', '5.0', /^LISTO_DB_POOL_SIZE must be a whole number/],
    ['LISTO_DB_POOL_SIZE', '+5', /^LISTO_DB_POOL_SIZE must be a whole number/],
    ['LISTO_INVITATION_TTL_DAYS', '1e9', /^LISTO_INVITATION_TTL_DAYS must be a whole number of days from 1 to 3650 \(got "1e9"\)$/],
    ['LISTO_INVITATION_TTL_DAYS', '1000000000', /^LISTO_INVITATION_TTL_DAYS must be a whole number of days from 1 to 3650/],
    ['LISTO_MEMBERS_PER_LIST', '-3', /^LISTO_MEMBERS_PER_LIST must be a whole number of members from 1 to 10000/],
    ['LISTO_BILLING_GRACE_MINUTES', '99999999999999999999', /^LISTO_BILLING_GRACE_MINUTES must be a whole number of minutes from 1 to 43200/],
    ['LISTO_SIGNUPS_PER_HOUR', '-1', /^LISTO_SIGNUPS_PER_HOUR must be a whole number of sign-ups from 0 to 1000000/],
  ])('refuses %s=%j with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('LOG_LEVEL', () => {
  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('takes %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('is info when unset, empty or blank', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: ' ' }).logLevel).toBe('info');
  });

  it.each(['verbose', 'warning', 'INFO', '30'])('refuses LOG_LEVEL=%j with one line listing the levels', (level) => {
    expect(() => loadConfig({ LOG_LEVEL: level })).toThrow(
      new RegExp(`^LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent \\(got "${level}"\\)$`),
    );
  });
});

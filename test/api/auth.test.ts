import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/server/cli.js';
import { runCaptured } from '../support/cli.js';
import { ApiClient, createList, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('accounts and sessions on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { adminEmails: new Set(['boss@example.com']) });
  });
  afterAll(() => server.close());

  it('signs up with a personal workspace and an HttpOnly, SameSite=Lax session cookie', async () => {
    const client = new ApiClient(server.url);
    const response = await client.post('/api/v1/auth/signup', { email: 'Ada@Example.com', password: 'long enough', name: 'Ada' });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^listo_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // plain HTTP here; Secure is set when served over HTTPS

    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'ada@example.com', isAdmin: false });
    expect(me.body.workspaces).toEqual([expect.objectContaining({ kind: 'personal', role: 'admin' })]);
  });

  it('rejects a second account with the same email (any case)', async () => {
    const { email } = await createUser(server.url);
    const response = await new ApiClient(server.url).post('/api/v1/auth/signup', { email: email.toUpperCase(), password: 'long enough', name: 'X' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'email_taken', errors: [{ field: 'email' }] });
  });

  it('validates passwords between 8 and 256 characters', async () => {
    const client = new ApiClient(server.url);
    for (const password of ['short', 'x'.repeat(257)]) {
      const response = await client.post('/api/v1/auth/signup', { email: 'pw@example.com', password, name: 'P' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    }
  });

  it('logs in, logs out, and the old session no longer works', async () => {
    const { email, password } = await createUser(server.url);
    const client = new ApiClient(server.url);
    expect((await client.post('/api/v1/auth/login', { email, password })).status).toBe(200);
    const oldCookie = client.cookie;
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    const replay = new ApiClient(server.url);
    replay.cookie = oldCookie;
    const me = await replay.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('unauthenticated');
  });

  it('says who is signed in, if anyone, without a 401: a page opened signed out logs no error', async () => {
    const nobody = await new ApiClient(server.url).get('/api/v1/auth/session');
    expect([nobody.status, nobody.body]).toEqual([200, { me: null }]);
    const { client, user } = await createUser(server.url, 'Sessioned');
    const signedIn = await client.get('/api/v1/auth/session');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.me).toEqual((await client.get('/api/v1/me')).body);
    expect(signedIn.body.me.user.id).toBe(user.id);
    const oldCookie = client.cookie;
    await client.post('/api/v1/auth/logout');
    const ended = new ApiClient(server.url);
    ended.cookie = oldCookie;
    expect((await ended.get('/api/v1/auth/session')).body).toEqual({ me: null });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const { email } = await createUser(server.url);
    const client = new ApiClient(server.url);
    const wrong = await client.post('/api/v1/auth/login', { email, password: 'not the password' });
    const unknown = await client.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('rate-limits repeated failed logins with 429 and Retry-After, until the window passes', async () => {
    const { email, password } = await createUser(server.url);
    const client = new ApiClient(server.url);
    for (let i = 0; i < 10; i++) expect((await client.post('/api/v1/auth/login', { email, password: `wrong-${i}-pw` })).status).toBe(401);
    const blocked = await client.post('/api/v1/auth/login', { email, password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advance(16 * 60_000);
    expect((await client.post('/api/v1/auth/login', { email, password })).status).toBe(200);
  });

  it('counts parallel wrong logins before checking them: of 40 at once for one email, at most 10 are checked (401), the rest 429', async () => {
    const { email, password } = await createUser(server.url);
    const client = new ApiClient(server.url);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client.post('/api/v1/auth/login', { email, password: `guess-number-${i}` })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect((await client.post('/api/v1/auth/login', { email, password })).status).toBe(429); // the right one too, until the window passes
    server.clock.advance(16 * 60_000);
    expect((await client.post('/api/v1/auth/login', { email, password })).status).toBe(200);
  });

  it('a percent-encoded API path (/%61pi/…) is authenticated and origin-checked like /api/…', async () => {
    const { client } = await createUser(server.url);
    const cookie = client.cookie!;
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    for (const path of ['/api/v1/auth/logout', '/%61pi/v1/auth/logout', '/%61%70%69/v1/auth/logout']) {
      const withCookie = await fetch(server.url + path, { method: 'POST', headers: { ...crossSite, cookie } });
      expect([path, withCookie.status, withCookie.headers.get('set-cookie')]).toEqual([path, 403, null]);
      const formPost = await fetch(server.url + path, { method: 'POST', headers: { ...crossSite, 'content-type': 'text/plain' }, body: 'a=b' });
      expect([path, formPost.status]).toEqual([path, 403]);
    }
    const me = await fetch(server.url + '/%61pi/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await fetch(server.url + '/%61pi/v1/me')).status).toBe(401);
    expect((await client.get('/api/v1/me')).status).toBe(200); // still signed in: no logout went through
  });

  it('refuses a name with control or text-direction characters (one member posing as another), and takes right-to-left names', async () => {
    const client = new ApiClient(server.url);
    for (const name of ['\u202Ehtims ecilA', 'Alice\u2066 Smith', 'Al\u200Fice', 'Alice\u0007']) {
      const response = await client.post('/api/v1/auth/signup', { email: `spoof.${name.length}.${Date.now()}@example.com`, password: 'long enough', name });
      expect([response.status, response.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['name']]);
    }
    const hebrew = await client.post('/api/v1/auth/signup', { email: `rtl.${Date.now()}@example.com`, password: 'long enough', name: 'דנה כהן' });
    expect([hebrew.status, hebrew.body.user?.name]).toEqual([201, 'דנה כהן']);
  });

  it('marks instance administrators from LISTO_ADMIN_EMAILS; their addresses cannot sign up (anyone could), the operator makes them', async () => {
    const client = new ApiClient(server.url);
    // Emails are not verified: whoever signed up first with an administrator's address would be one.
    for (const email of ['boss@example.com', 'BOSS@example.com']) {
      const claimed = await client.post('/api/v1/auth/signup', { email, password: 'long enough', name: 'Not the boss' });
      expect(claimed).toMatchObject({ status: 403, body: { code: 'forbidden', errors: [{ field: 'email' }] } });
    }
    expect((await client.get('/api/v1/me')).status).toBe(401);

    const env = {
      LISTO_DATA_DIR: server.config.dataDir,
      LOG_LEVEL: 'silent',
      LISTO_ADMIN_EMAILS: 'boss@example.com',
      LISTO_PASSWORD: 'long enough',
      ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl, DATABASE_SCHEMA: server.config.databaseSchema ?? '' } : {}),
    };
    const created = await runCaptured((io) => runCli(['users', 'create', '--email', 'Boss@example.com', '--name', 'Boss'], env, io));
    expect(created).toEqual({ code: 0, stdout: 'Created boss@example.com (an administrator: LISTO_ADMIN_EMAILS names it); sign in with it.\n', stderr: '' });
    expect((await client.post('/api/v1/auth/login', { email: 'boss@example.com', password: 'long enough' })).status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user).toMatchObject({ name: 'Boss', isAdmin: true });
    const again = await runCaptured((io) => runCli(['users', 'create', '--email', 'boss@example.com', '--name', 'Boss'], env, io));
    expect(again).toEqual({ code: 1, stdout: '', stderr: 'listo users: An account with this email already exists\n' });
    expect((await runCaptured((io) => runCli(['users', 'create', '--email', 'not-an-email', '--name', 'X'], env, io))).code).toBe(2);
  });

  it('lets one address make only so many accounts an hour (each costs a slow hash): then 429 with Retry-After, and none is made', async () => {
    const limited = await startTestServer(dialect, { signupsPerHour: 2 });
    try {
      const client = new ApiClient(limited.url);
      const signUp = (n: number) => client.post('/api/v1/auth/signup', { email: `many.${n}@example.com`, password: 'long enough', name: `Many ${n}` });
      expect((await signUp(1)).status).toBe(201);
      expect((await signUp(2)).status).toBe(201);
      const third = await signUp(3);
      expect(third).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3_000);
      expect((await client.post('/api/v1/auth/login', { email: 'many.3@example.com', password: 'long enough' })).status).toBe(401);
      // An hour later, one more.
      limited.clock.advance(3_600_001);
      expect((await signUp(3)).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('refuses cookie-authenticated writes from another origin, or with no origin at all', async () => {
    const { client } = await createUser(server.url);
    const evil = await client.post('/api/v1/lists', { name: 'x' }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.code).toBe('cross_origin_request');
    const noOrigin = new ApiClient(server.url, null);
    noOrigin.cookie = client.cookie;
    expect((await noOrigin.post('/api/v1/lists', { name: 'x' })).status).toBe(403);
    const fetchSite = await noOrigin.post('/api/v1/lists', { name: 'x' }, { 'sec-fetch-site': 'same-origin' });
    expect(fetchSite.status).toBe(201);
    expect((await client.get('/api/v1/lists')).body.items).toHaveLength(1);
  });

  it('personal API tokens: shown once, work as Bearer without CSRF checks, list with last use, revocable', async () => {
    const { client } = await createUser(server.url);
    const created = await client.post('/api/v1/tokens', { name: 'script' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^listo_pat_/);

    const script = new ApiClient(server.url, null);
    script.bearer = created.body.token;
    expect((await script.post('/api/v1/lists', { name: 'From a script' })).status).toBe(201);

    const listed = await client.get('/api/v1/tokens');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, name: 'script', lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    expect((await client.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    expect((await script.get('/api/v1/lists')).status).toBe(401);
    expect((await client.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(404);
  });

  it('an API token cannot make API tokens (403), so a stolen one cannot outlive its revocation; it can list them and revoke itself', async () => {
    const { client } = await createUser(server.url);
    const created = await client.post('/api/v1/tokens', { name: 'cli' });
    const script = new ApiClient(server.url, null);
    script.bearer = created.body.token;

    const minted = await script.post('/api/v1/tokens', { name: 'second' });
    expect(minted.status).toBe(403);
    expect(minted.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(minted.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/signed-in session/) });
    expect(minted.body.token).toBeUndefined();
    expect((await client.get('/api/v1/tokens')).body.items.map((t: { name: string }) => t.name)).toEqual(['cli']);

    expect((await script.get('/api/v1/tokens')).body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    expect((await script.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204); // a CLI signing out
    expect((await script.get('/api/v1/me')).status).toBe(401);
    expect((await client.get('/api/v1/tokens')).body.items).toEqual([]);
  });

  it("a session's secret is not an API token, even right after it was used", async () => {
    const { client } = await createUser(server.url);
    expect((await client.get('/api/v1/me')).status).toBe(200); // resolved, and remembered for a few seconds
    const secret = client.cookie!.slice(client.cookie!.indexOf('=') + 1);
    const asBearer = new ApiClient(server.url);
    asBearer.bearer = secret;
    expect((await asBearer.get('/api/v1/me')).status).toBe(401);
  });

  it('requires authentication on the API', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get('/api/v1/lists')).status).toBe(401);
    const bogus = new ApiClient(server.url, null);
    bogus.bearer = 'listo_pat_not-a-real-token';
    expect((await bogus.get('/api/v1/lists')).status).toBe(401);
    const { client } = await createUser(server.url);
    await createList(client);
  });

  it('health and readiness', async () => {
    const client = new ApiClient(server.url);
    expect((await client.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await client.get('/readyz')).body).toMatchObject({ status: 'ready', database: dialect });
  });

  it('a signed-in client signing in or up with an Idempotency-Key keeps no hash of the password, and a retry is done again', async () => {
    const alice = await createUser(server.url, 'Alice');
    const bob = await createUser(server.url, 'Bob');
    const aliceCookie = alice.client.cookie;
    const body = { email: bob.email, password: bob.password };
    const key = { 'idempotency-key': `login-${bob.user.id}` };
    const first = await alice.client.post('/api/v1/auth/login', body, key);
    expect(first.status).toBe(200);
    const firstCookie = alice.client.cookie;
    alice.client.cookie = aliceCookie; // still signed in as Alice (another tab), the same request again
    const retry = await alice.client.post('/api/v1/auth/login', body, key);
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect(alice.client.cookie).not.toBe(firstCookie); // signed in again: a session of its own

    alice.client.cookie = aliceCookie;
    const signup = { email: `new.${bob.user.id}@example.com`, password: 'another long secret', name: 'New' };
    const signupKey = { 'idempotency-key': `signup-${bob.user.id}` };
    expect((await alice.client.post('/api/v1/auth/signup', signup, signupKey)).status).toBe(201);
    alice.client.cookie = aliceCookie;
    const again = await alice.client.post('/api/v1/auth/signup', signup, signupKey);
    expect([again.status, again.body.code, again.headers.get('idempotent-replayed')]).toEqual([409, 'email_taken', null]);

    // Nothing derived from those bodies is stored: no row for either key, and no hash of a body holding a password.
    const rows = await server.app.listo.db.kysely.selectFrom('idempotency_keys').select(['key', 'request_hash']).execute();
    expect(rows.filter((row) => row.key === key['idempotency-key'] || row.key === signupKey['idempotency-key'])).toEqual([]);
    const hashes = ['/api/v1/auth/login', '/api/v1/auth/signup'].flatMap((url) =>
      [body, signup].map((b) =>
        createHash('sha256')
          .update(`POST ${url} ${url}\n${JSON.stringify(b)}`)
          .digest('base64url'),
      ),
    );
    expect(rows.filter((row) => hashes.includes(row.request_hash))).toEqual([]);
  });
});

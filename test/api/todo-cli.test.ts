/** `listo login`, `lists`, `tasks`, `add`, `done`, `search`, `today`, `upcoming`, `logout`: a person's to-do list from a terminal, against a real server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/server/cli.js';
import { runCaptured } from '../support/cli.js';
import { createList, createTask, createUser } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { shareList } from '../support/sharing.js';

describe('the to-do commands of listo', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.close());

  /** A terminal of its own: its own config directory, so each test signs in afresh. */
  function terminal(extra: NodeJS.ProcessEnv = {}) {
    const env: NodeJS.ProcessEnv = { LISTO_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'listo-cli-')), ...extra };
    return { env, run: (...args: string[]) => runCaptured((io) => runCli(args, env, io)) };
  }

  it('signs in once, then lists, shows, adds, completes and finds tasks; logout revokes the token', async () => {
    const ada = await createUser(server.url, 'Ada');
    const groceries = await createList(ada.client, 'Groceries');
    await createList(ada.client, 'Garden');
    await createTask(ada.client, groceries.id, 'Milk');
    await createTask(ada.client, groceries.id, 'Bread', { dueDate: '2026-12-01', priority: 1 });
    const { env, run } = terminal({ LISTO_PASSWORD: ada.password });

    const login = await run('login', '--url', server.url, '--email', ada.email);
    expect(login).toMatchObject({ code: 0, stdout: expect.stringContaining(`Signed in to ${server.url} as ${ada.email}`) });
    const kept = path.join(env.LISTO_CONFIG_DIR!, 'credentials.json');
    expect(fs.statSync(kept).mode & 0o777).toBe(0o600); // the token is the user's alone
    expect(JSON.stringify(await run('tasks', 'Groceries'))).not.toContain(ada.password);
    expect(fs.readFileSync(kept, 'utf8')).not.toContain(ada.password);
    // Only the token remains: the session made to create it was ended.
    const tokens = (await ada.client.get('/api/v1/tokens')).body.items as { name: string }[];
    expect(tokens.map((token) => token.name)).toEqual([`listo on ${os.hostname()}`]);

    expect((await run('lists')).stdout).toMatch(/^Groceries\s+\S+\nGarden\s+\S+\n$/); // in the order of the sidebar
    expect(await run('tasks', 'groc')).toEqual({ code: 0, stdout: 'Groceries\n  1. [ ] Milk\n  2. [ ] Bread  due 2026-12-01  !1\n', stderr: '' });

    expect((await run('add', 'Groceries', 'Oat', 'milk', '--due', '2026-12-02')).stdout).toBe('Added to Groceries: 3. Oat milk\n');
    expect((await run('done', 'Groceries', '1')).stdout).toBe('Done: Milk\n');
    // A done task keeps its number; the open ones are shown by default, all with --all.
    expect((await run('tasks', 'Groceries')).stdout).toBe('Groceries\n  2. [ ] Bread  due 2026-12-01  !1\n  3. [ ] Oat milk  due 2026-12-02\n');
    expect((await run('tasks', 'Groceries', '--all')).stdout).toContain('  1. [x] Milk\n');
    const onServer = (await ada.client.get(`/api/v1/lists/${groceries.id}/tasks`)).body.items as { title: string; done: boolean }[];
    expect(onServer.map((task) => [task.title, task.done])).toEqual([
      ['Milk', true],
      ['Bread', false],
      ['Oat milk', false],
    ]);
    expect((await run('reopen', 'Groceries', '1')).stdout).toBe('Reopened: Milk\n');
    expect((await run('search', 'milk')).stdout.split('\n').sort()).toEqual(['', '[ ] Milk  (Groceries)', '[ ] Oat milk  (Groceries)']);
    const asJson = JSON.parse((await run('tasks', 'Groceries', '--json')).stdout) as { title: string }[];
    expect(asJson.map((task) => task.title)).toEqual(['Milk', 'Bread', 'Oat milk']);

    expect((await run('logout')).stdout).toBe(`Signed out of ${server.url}.\n`);
    expect(fs.existsSync(kept)).toBe(false);
    expect((await ada.client.get('/api/v1/tokens')).body.items).toEqual([]); // revoked, not only forgotten
    expect(await run('lists')).toEqual({ code: 1, stdout: '', stderr: 'listo lists: Not signed in: run `listo login`, or set LISTO_TOKEN to an API token\n' });
  });

  it('signing in again revokes the token it replaces; a logout that cannot reach the server keeps the token, to revoke later', async () => {
    const cy = await createUser(server.url, 'Cy');
    const { env, run } = terminal({ LISTO_PASSWORD: cy.password });
    const tokens = async () => ((await cy.client.get('/api/v1/tokens')).body.items as unknown[]).length;
    expect((await run('login', '--url', server.url, '--email', cy.email)).code).toBe(0);
    expect((await run('login', '--url', server.url, '--email', cy.email)).code).toBe(0);
    expect(await tokens()).toBe(1);

    const kept = path.join(env.LISTO_CONFIG_DIR!, 'credentials.json');
    const credentials = JSON.parse(fs.readFileSync(kept, 'utf8')) as { url: string };
    fs.writeFileSync(kept, JSON.stringify({ ...credentials, url: 'http://127.0.0.1:9' }), { mode: 0o600 });
    const offline = await run('logout');
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      /^listo logout: Could not revoke the token at http:\/\/127\.0\.0\.1:9 \(Cannot reach Listo .*\): still signed in; try again\n$/,
    );
    expect(fs.existsSync(kept)).toBe(true);
    fs.writeFileSync(kept, JSON.stringify(credentials), { mode: 0o600 });
    expect((await run('logout')).code).toBe(0);
    expect(await tokens()).toBe(0);
  });

  it('today and upcoming show the open tasks due, across lists (a shared one too), by day, overdue first', async () => {
    // The terminal's day, as listo counts it (the test and the command run on the same machine).
    const pad = (n: number) => String(n).padStart(2, '0');
    const now = new Date();
    const day = (offset: number) => {
      const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    };
    const weekday = (offset: number) => new Date(`${day(offset)}T12:00`).toLocaleDateString('en-US', { weekday: 'short' });
    const eve = await createUser(server.url, 'Eve');
    const fay = await createUser(server.url, 'Fay');
    const chores = await createList(fay.client, 'Team chores');
    await shareList(fay.client, chores.id, eve, 'editor');
    const home = await createList(eve.client, 'Home');
    await createTask(eve.client, home.id, 'Pay rent', { dueDate: day(-1), priority: 1 });
    await createTask(eve.client, home.id, 'Water plants', { dueDate: day(0) });
    await createTask(eve.client, home.id, 'Book flights', { dueDate: day(30) });
    await createTask(eve.client, home.id, 'Someday');
    const done = await createTask(eve.client, home.id, 'Already done', { dueDate: day(0) });
    await eve.client.patch(`/api/v1/tasks/${done.id}`, { done: true });
    await createTask(fay.client, chores.id, 'Take out bins', { dueDate: { dateTime: `${day(0)}T09:30`, timeZone: 'Europe/Paris' } });
    await createTask(fay.client, chores.id, 'Clean fridge', { dueDate: day(3) });
    const { run } = terminal({ LISTO_PASSWORD: eve.password });
    expect((await run('login', '--url', server.url, '--email', eve.email)).code).toBe(0);

    const todayLines = [
      'Overdue',
      `  [ ] Pay rent  due ${day(-1)}  !1  (Home)`,
      `Today, ${weekday(0)} ${day(0)}`,
      '  [ ] Water plants  (Home)',
      '  [ ] Take out bins  09:30 Europe/Paris  (Team chores)',
    ];
    expect(await run('today')).toEqual({ code: 0, stdout: `${todayLines.join('\n')}\n`, stderr: '' });
    expect(await run('upcoming')).toEqual({
      code: 0,
      stdout: `${[...todayLines, `${weekday(3)} ${day(3)}`, '  [ ] Clean fridge  (Team chores)'].join('\n')}\n`,
      stderr: '',
    });
    const asJson = JSON.parse((await run('today', '--json')).stdout) as { title: string }[];
    expect(asJson.map((task) => task.title)).toEqual(['Pay rent', 'Water plants', 'Take out bins']);

    const bare = await createUser(server.url, 'Gus');
    const gus = terminal({ LISTO_PASSWORD: bare.password });
    expect((await gus.run('login', '--url', server.url, '--email', bare.email)).code).toBe(0);
    expect(await gus.run('today')).toEqual({ code: 0, stdout: 'Nothing due today.\n', stderr: '' });
    expect(await gus.run('upcoming')).toEqual({ code: 0, stdout: 'Nothing due in the next 7 days.\n', stderr: '' });
    expect(await gus.run('upcoming', 'soon')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^listo upcoming: Unexpected argument: soon\n/) });
  });

  it('repeating tasks: add --every (with --due) makes one, the lists show its rule, done moves it to its next date', async () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const now = new Date();
    const day = (offset: number) => {
      const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    };
    const weekday = (offset: number) => new Date(`${day(offset)}T12:00`).toLocaleDateString('en-US', { weekday: 'short' });
    // Past the week listo upcoming shows: a Monday 10 to 16 days on, and a day after it.
    const monday = [10, 11, 12, 13, 14, 15, 16].find((offset) => weekday(offset) === 'Mon')!;
    const hal = await createUser(server.url, 'Hal');
    const home = await createList(hal.client, 'Chores');
    await createTask(hal.client, home.id, 'Take out bins', {
      dueDate: { dateTime: `${day(monday)}T19:00`, timeZone: 'Europe/Paris' },
      recurrence: { every: 'week', weekdays: ['mon', 'thu'] },
    });
    await createTask(hal.client, home.id, 'Stand-up notes', { dueDate: day(monday + 1), recurrence: { every: 'day', until: day(monday + 1) } });
    const overdue = await createTask(hal.client, home.id, 'Stretch', { dueDate: day(-3), recurrence: { every: 'day' } });
    const { run } = terminal({ LISTO_PASSWORD: hal.password });
    expect((await run('login', '--url', server.url, '--email', hal.email)).code).toBe(0);

    // Three days late, done today: it moves to today, not to another day already past.
    expect((await run('done', 'Chores', '3')).stdout).toBe(`Done: Stretch (due ${day(-3)}); next due ${day(0)}  ↻ every day\n`);
    await hal.client.delete(`/api/v1/tasks/${overdue.id}`);

    expect((await run('add', 'Chores', 'Water', 'plants', '--due', day(0), '--every', 'day')).stdout).toBe('Added to Chores: 3. Water plants  ↻ every day\n');
    expect((await run('add', 'Chores', 'Gym', '--due', day(5), '--every', 'weekday')).stdout).toBe(
      'Added to Chores: 4. Gym  ↻ every week on Mon, Tue, Wed, Thu, Fri\n',
    );
    expect((await run('tasks', 'Chores')).stdout).toBe(
      [
        'Chores',
        `  1. [ ] Take out bins  due ${day(monday)} 19:00 Europe/Paris  ↻ every week on Mon, Thu`,
        `  2. [ ] Stand-up notes  due ${day(monday + 1)}  ↻ every day until ${day(monday + 1)}`,
        `  3. [ ] Water plants  due ${day(0)}  ↻ every day`,
        `  4. [ ] Gym  due ${day(5)}  ↻ every week on Mon, Tue, Wed, Thu, Fri`,
        '',
      ].join('\n'),
    );
    expect((await run('today')).stdout).toContain(`Today, ${weekday(0)} ${day(0)}\n  [ ] Water plants  ↻ every day  (Chores)\n`);
    expect((await run('upcoming')).stdout).toContain(`  [ ] Gym  ↻ every week on Mon, Tue, Wed, Thu, Fri  (Chores)\n`);

    // Done moves it on and leaves it open; past its last day it closes as any task.
    expect(await run('done', 'Chores', '1')).toEqual({
      code: 0,
      stdout: `Done: Take out bins (due ${day(monday)} 19:00 Europe/Paris); next due ${day(monday + 3)} 19:00 Europe/Paris  ↻ every week on Mon, Thu\n`,
      stderr: '',
    });
    expect((await run('done', 'Chores', '3')).stdout).toBe(`Done: Water plants (due ${day(0)}); next due ${day(1)}  ↻ every day\n`);
    expect((await run('done', 'Chores', '2')).stdout).toBe('Done: Stand-up notes\n');
    expect((await run('tasks', 'Chores')).stdout).toContain(`  1. [ ] Take out bins  due ${day(monday + 3)} 19:00 Europe/Paris  ↻ every week on Mon, Thu\n`);
    expect((await run('tasks', 'Chores', '--all')).stdout).toContain(`  2. [x] Stand-up notes  due ${day(monday + 1)}  ↻ every day until ${day(monday + 1)}\n`);

    expect(await run('add', 'Chores', 'x', '--every', 'week')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^listo add: --every needs --due: a repeating task moves its due date on\n/),
    });
    expect(await run('add', 'Chores', 'x', '--due', day(0), '--every', 'fortnight')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^listo add: --every must be day, weekday, week, month or year\n/),
    });
    expect((await hal.client.get(`/api/v1/lists/${home.id}/tasks`)).body.items).toHaveLength(4); // nothing added by the refused ones
  });

  it('takes the email and the password from piped input, one a line', async () => {
    const dee = await createUser(server.url, 'Dee');
    const env: NodeJS.ProcessEnv = { LISTO_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'listo-cli-')) };
    const stdin = Readable.from([`${dee.email}\n${dee.password}\n`]);
    const result = await runCaptured((io) => runCli(['login', '--url', server.url], env, { ...io, stdin }));
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`as ${dee.email}`) });
    expect(result.stderr).not.toContain(dee.password); // asked without echo
  });

  it('says what is wrong in one line: a wrong password, an unknown or ambiguous list, a missing task, a server not there, bad arguments', async () => {
    const bea = await createUser(server.url, 'Bea');
    await createList(bea.client, 'Work');
    await createList(bea.client, 'Workout');
    await createList(bea.client, 'Home');

    const wrong = terminal({ LISTO_PASSWORD: 'not the password' });
    const refused = await wrong.run('login', '--url', server.url, '--email', bea.email);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^listo login: .*(email|password).*\n$/i);

    const { run } = terminal({ LISTO_PASSWORD: bea.password });
    expect((await run('login', '--url', server.url, '--email', bea.email)).code).toBe(0);
    expect((await run('tasks', 'Wor')).stderr).toMatch(/^listo tasks: “Wor” could be “Work” \(\S+\) or “Workout” \(\S+\): give more of the name, or the id\n$/);
    expect(await run('tasks', 'work')).toMatchObject({ code: 0, stdout: 'Work\n  No tasks yet.\n' }); // a whole name wins over a longer one
    expect(await run('tasks', 'Shopping')).toEqual({ code: 1, stdout: '', stderr: 'listo tasks: No list called “Shopping” (listo lists shows yours)\n' });
    expect((await run('done', 'Home', '4')).stderr).toBe('listo done: Home has no task 4 (it has 0; listo tasks "Home" --all numbers them)\n');
    expect(await run('add', 'Home')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^listo add: Missing a title\n\nTo-do commands/) });
    expect(await run('add', 'Home', 'x', '--due', 'tomorrow')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^listo add: --due must be a date YYYY-MM-DD\n/),
    });
    expect(await run('tasks', 'Home', '--colour')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^listo tasks: Unknown option '--colour'/) });
    // Refused by the server: its problem's detail, nothing half-done.
    const tooLong = await run('add', 'Home', 'x'.repeat(1_000));
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^listo add: title: /);
    expect((await bea.client.get('/api/v1/tasks/search?q=xxxx')).body.items).toEqual([]);

    const nowhere = terminal({ LISTO_URL: 'http://127.0.0.1:9', LISTO_TOKEN: 'lt_whatever' });
    expect(await nowhere.run('lists')).toEqual({
      code: 1,
      stdout: '',
      stderr: "listo lists: Cannot reach Listo at http://127.0.0.1:9 (set LISTO_URL to your server's address)\n",
    });
    const badToken = terminal({ LISTO_URL: server.url, LISTO_TOKEN: 'lt_not_a_token' });
    expect((await badToken.run('lists')).stderr).toBe('listo lists: Not signed in: run `listo login`, or set LISTO_TOKEN to an API token\n');
  });
});

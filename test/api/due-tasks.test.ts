import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Person = Awaited<ReturnType<typeof createUser>>;

describe.each(testDialects())('tasks due, soonest first (GET /api/v1/tasks/due) on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const titlesDue = async (person: Person, query = '') => {
    const response = await person.client.get(`/api/v1/tasks/due${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map((task: { title: string }) => task.title);
  };
  const at = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Paris' });

  it('every open task with a due date on every list the person sees, soonest first: all-day before timed, then priority', async () => {
    const [me, friend, stranger] = await Promise.all([createUser(server.url), createUser(server.url), createUser(server.url)]);
    const mine = await createList(me.client, 'Home');
    const theirs = await createList(friend.client, 'Shared');
    await shareList(friend.client, theirs.id, me, 'editor');
    const team = await createTeamWorkspace(friend.client);
    const teamList = (await friend.client.post('/api/v1/lists', { name: 'Team', workspaceId: team.id })).body;
    await addToWorkspace(friend.client, team.id, me, 'member');
    const hidden = await createList(stranger.client, 'Not mine');

    await createTask(me.client, mine.id, 'Dec 2 timed', { dueDate: at('2026-12-02T09:30') });
    await createTask(me.client, mine.id, 'Dec 2 all day, low', { dueDate: '2026-12-02', priority: 4 });
    await createTask(friend.client, theirs.id, 'Dec 2 all day, urgent', { dueDate: '2026-12-02', priority: 1 });
    await createTask(friend.client, teamList.id, 'Overdue, team', { dueDate: '2026-11-20' });
    await createTask(me.client, mine.id, 'Dec 2 evening', { dueDate: at('2026-12-02T18:00') });
    await createTask(me.client, mine.id, 'Next year', { dueDate: '2027-01-05' });
    await createTask(me.client, mine.id, 'No date');
    const done = await createTask(me.client, mine.id, 'Done already', { dueDate: '2026-11-30' });
    await me.client.patch(`/api/v1/tasks/${done.id}`, { done: true });
    const deleted = await createTask(me.client, mine.id, 'Deleted', { dueDate: '2026-11-30' });
    await me.client.delete(`/api/v1/tasks/${deleted.id}`);
    await createTask(stranger.client, hidden.id, 'Someone else’s', { dueDate: '2026-11-30' });

    expect(await titlesDue(me)).toEqual(['Overdue, team', 'Dec 2 all day, urgent', 'Dec 2 all day, low', 'Dec 2 timed', 'Dec 2 evening', 'Next year']);
    // "By Dec 2": overdue included, the day's timed tasks too, nothing later.
    expect(await titlesDue(me, '?through=2026-12-02')).toEqual([
      'Overdue, team',
      'Dec 2 all day, urgent',
      'Dec 2 all day, low',
      'Dec 2 timed',
      'Dec 2 evening',
    ]);
    expect(await titlesDue(me, '?through=2026-12-01')).toEqual(['Overdue, team']);
    expect(await titlesDue(me, `?workspaceId=${team.id}`)).toEqual(['Overdue, team']);
    expect(await titlesDue(stranger)).toEqual(['Someone else’s']);
  });

  it('leaves out archived lists and tasks no longer due; `assignee=me` keeps those assigned to the caller', async () => {
    const [me, friend] = await Promise.all([createUser(server.url, 'Me'), createUser(server.url, 'Friend')]);
    const list = await createList(friend.client, 'Trip');
    await shareList(friend.client, list.id, me, 'editor');
    const mineToDo = await createTask(friend.client, list.id, 'Book the train', { dueDate: '2026-12-01' });
    await createTask(friend.client, list.id, 'Pack', { dueDate: '2026-12-01' });
    const undated = await createTask(friend.client, list.id, 'Was due', { dueDate: '2026-12-01' });
    await friend.client.patch(`/api/v1/tasks/${mineToDo.id}`, { assigneeId: me.user.id });
    await friend.client.patch(`/api/v1/tasks/${undated.id}`, { dueDate: null });
    expect(await titlesDue(me)).toEqual(['Book the train', 'Pack']);
    expect(await titlesDue(me, '?assignee=me')).toEqual(['Book the train']);

    const archived = await createList(me.client, 'Old project');
    await createTask(me.client, archived.id, 'Archived with its list', { dueDate: '2026-11-01' });
    expect(await titlesDue(me)).toEqual(['Archived with its list', 'Book the train', 'Pack']);
    expect((await me.client.patch(`/api/v1/lists/${archived.id}`, { archived: true })).status).toBe(200);
    expect(await titlesDue(me)).toEqual(['Book the train', 'Pack']);
    // Losing the list loses its tasks here too.
    expect((await me.client.delete(`/api/v1/lists/${list.id}/members/${me.user.id}`)).status).toBe(204);
    expect(await titlesDue(me)).toEqual([]);
  });

  it('pages follow the same order without repeating or skipping a task, ties on date and priority included', async () => {
    const me = await createUser(server.url);
    const list = await createList(me.client);
    const expected: string[] = [];
    for (const [index, dueDate] of ['2026-12-03', '2026-12-01', '2026-12-01', '2026-12-02', '2026-12-01', '2026-12-02', '2026-12-01'].entries()) {
      await createTask(me.client, list.id, `Task ${index}`, { dueDate, priority: index % 2 === 0 ? 2 : 3 });
    }
    expected.push(...(await titlesDue(me, '?limit=100')));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: { title: string }[]; nextCursor: string | null } } = await me.client.get(
        `/api/v1/tasks/due?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...response.body.items.map((task: { title: string }) => task.title));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected);
    expect(expected).toEqual(['Task 2', 'Task 4', 'Task 6', 'Task 1', 'Task 3', 'Task 5', 'Task 0']);
  });

  it('bad input is a 400 naming the parameter', async () => {
    const me = await createUser(server.url);
    for (const [query, field] of [
      ['?through=2026-13-01', 'querystring.through'],
      ['?through=tomorrow', 'querystring.through'],
      ['?assignee=someone', 'querystring.assignee'],
      ['?workspaceId=nope', 'querystring.workspaceId'],
      ['?limit=0', 'querystring.limit'],
      ['?cursor=bm9wZQ', 'cursor'],
      ['?sort=title', 'querystring.sort'],
    ] as const) {
      const response = await me.client.get(`/api/v1/tasks/due${query}`);
      expect([response.status, response.body.errors?.[0]?.field], query).toEqual([400, field]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createTask, createUser } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TestSocket } from '../support/socket.js';

describe.each(testDialects())('repeating tasks on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('completing a repeating task moves it to its next occurrence and keeps it open; history counts the completion', async () => {
    const { client, user } = await createUser(server.url);
    const list = await createList(client);
    const created = await client.post(`/api/v1/lists/${list.id}/tasks`, {
      title: 'Take out the bins',
      dueDate: { dateTime: '2026-11-23T19:00', timeZone: 'Europe/Paris' },
      recurrence: { every: 'week', weekdays: ['mon', 'thu'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ recurrence: { every: 'week', weekdays: ['mon', 'thu'] }, done: false });

    const done = await client.patch(`/api/v1/tasks/${created.body.id}`, { done: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      done: false,
      completedAt: null,
      dueDate: { dateTime: '2026-11-26T19:00', timeZone: 'Europe/Paris' },
      recurrence: { every: 'week', weekdays: ['mon', 'thu'] },
    });
    const again = await client.patch(`/api/v1/tasks/${created.body.id}`, { done: true });
    expect(again.body.dueDate).toEqual({ dateTime: '2026-11-30T19:00', timeZone: 'Europe/Paris' });

    const history = (await client.get(`/api/v1/lists/${list.id}/activity?limit=2`)).body.items;
    expect(history.map((event: any) => [event.type, event.actorId, event.data.completedOccurrence, event.data.task.dueDate.dateTime])).toEqual([
      ['task.completed', user.id, { dateTime: '2026-11-26T19:00', timeZone: 'Europe/Paris' }, '2026-11-30T19:00'],
      ['task.completed', user.id, { dateTime: '2026-11-23T19:00', timeZone: 'Europe/Paris' }, '2026-11-26T19:00'],
    ]);
  });

  it('past its last day it closes like any task; reopening it does not move it back', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Daily stand-up notes', { dueDate: '2026-06-29', recurrence: { every: 'day', until: '2026-06-30' } });
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true })).body).toMatchObject({ done: false, dueDate: '2026-06-30' });
    const last = await client.patch(`/api/v1/tasks/${task.id}`, { done: true });
    expect(last.body).toMatchObject({ done: true, dueDate: '2026-06-30' });
    const reopened = await client.patch(`/api/v1/tasks/${task.id}`, { done: false });
    expect(reopened.body).toMatchObject({ done: false, dueDate: '2026-06-30' });
  });

  it('the rule is edited or stopped with the task; clearing the due date stops it; a rule needs a due date', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Pay rent', { dueDate: '2026-01-31' });
    // A monthly rule remembers the due date's day: the 31st comes back after February.
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { recurrence: { every: 'month' } })).body.recurrence).toEqual({ every: 'month', dayOfMonth: 31 });
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true })).body.dueDate).toBe('2026-02-28');
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true })).body.dueDate).toBe('2026-03-31');
    // Moving the due date by hand moves the day the rule keeps.
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { dueDate: '2026-04-15' })).body.recurrence).toEqual({ every: 'month', dayOfMonth: 15 });
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true })).body.dueDate).toBe('2026-05-15');
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { recurrence: null })).body.recurrence).toBeNull();
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true })).body).toMatchObject({ done: true, dueDate: '2026-05-15' });

    const other = await createTask(client, list.id, 'Water plants', { dueDate: '2026-03-01', recurrence: { every: 'day', interval: 3 } });
    expect((await client.patch(`/api/v1/tasks/${other.id}`, { dueDate: null })).body).toMatchObject({ dueDate: null, recurrence: null });
    const noDate = await client.patch(`/api/v1/tasks/${other.id}`, { recurrence: { every: 'day' } });
    expect([noDate.status, noDate.body.errors]).toEqual([400, [{ field: 'recurrence', message: expect.stringContaining('needs a due date') }]]);
    const createdWithout = await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 'x', recurrence: { every: 'week' } });
    expect([createdWithout.status, createdWithout.body.errors?.[0]?.field]).toEqual([400, 'recurrence']);
    expect((await client.get(`/api/v1/tasks/${other.id}`)).body.recurrence).toBeNull();
  });

  it('completing an occurrence someone else already completed does not move the task on again', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Water plants', { dueDate: '2026-11-25', recurrence: { every: 'day' } });
    // Both screens showed it due on the 25th; the first completion moves it to the 26th.
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true, occurrence: '2026-11-25' })).body.dueDate).toBe('2026-11-26');
    const late = await client.patch(`/api/v1/tasks/${task.id}`, { done: true, occurrence: '2026-11-25' });
    expect([late.status, late.body.dueDate, late.body.done]).toEqual([200, '2026-11-26', false]);
    const history = (await client.get(`/api/v1/lists/${list.id}/activity?limit=5`)).body.items.map((event: { type: string }) => event.type);
    expect(history).toEqual(['task.completed', 'task.created', 'list.created']);
    // The occurrence it is due on now is completed as usual.
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true, occurrence: '2026-11-26' })).body.dueDate).toBe('2026-11-27');
  });

  it('completing an overdue repeating task with the completer’s date moves it to the first occurrence from that day on', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Stretch', { dueDate: '2026-11-22', recurrence: { every: 'day' } });
    const caughtUp = await client.patch(`/api/v1/tasks/${task.id}`, { done: true, today: '2026-11-25' });
    expect(caughtUp.body).toMatchObject({ done: false, dueDate: '2026-11-25' });
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { done: true, today: '2026-11-25' })).body.dueDate).toBe('2026-11-26');
    expect((await client.patch(`/api/v1/tasks/${task.id}`, { today: 'yesterday', done: true })).status).toBe(400);
  });

  it('a rule runs out at year 9999: completing the last occurrence closes the task, never a date no client can read', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Far future', { dueDate: '9999-12-31', recurrence: { every: 'day' } });
    const done = await client.patch(`/api/v1/tasks/${task.id}`, { done: true });
    expect(done.body).toMatchObject({ done: true, dueDate: '9999-12-31' });
    const early = await createTask(client, list.id, 'Antiquity', { dueDate: '0050-06-01', recurrence: { every: 'day' } });
    expect((await client.patch(`/api/v1/tasks/${early.id}`, { done: true })).body.dueDate).toBe('0050-06-02');
  });

  it('bad rules are a 400 naming the field, and nothing is written', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Gym', { dueDate: '2026-05-04' });
    for (const recurrence of [
      { every: 'hour' },
      { every: 'day', interval: 0 },
      { every: 'day', weekdays: ['mon'] },
      { every: 'week', weekdays: ['mon', 'mon'] },
      { every: 'week', weekdays: ['funday'] },
      { every: 'month', until: '2026-02-30' },
      { every: 'month', sometimes: true },
      'every day',
    ]) {
      const response = await client.patch(`/api/v1/tasks/${task.id}`, { recurrence });
      expect(response.status, JSON.stringify(recurrence)).toBe(400);
      expect(response.body.errors[0].field, JSON.stringify(recurrence)).toMatch(/^recurrence/);
    }
    expect((await client.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ recurrence: null, dueDate: '2026-05-04' });
  });

  it('collaborators see the task move on live, as a completion carrying the whole task', async () => {
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const task = await createTask(client, list.id, 'Standup', { dueDate: '2026-11-25', recurrence: { every: 'day' } });
    const socket = await TestSocket.open(server.url, client);
    await socket.subscribe(list.id);
    await client.patch(`/api/v1/tasks/${task.id}`, { done: true }, { 'idempotency-key': 'bins-done' });
    const change = await socket.next((m) => m.type === 'change' && m.mutationId === 'bins-done');
    expect(change).toMatchObject({ change: 'task.completed', data: { task: { done: false, dueDate: '2026-11-26' }, completedOccurrence: '2026-11-25' } });
    socket.close();
  });
});

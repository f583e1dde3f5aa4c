/**
 * `listo`'s to-do commands: a person's lists and tasks from a terminal, through the public API with a personal token.
 * `listo login` signs in once (the password is sent to the server, never kept) and keeps an API token; then
 * `listo lists`, `listo tasks <list>`, `listo add <list> <title>`, `listo done <list> <task>`, `listo search <words>`,
 * `listo today` and `listo upcoming` (what is due, across lists, by day). A repeating task shows its rule (`↻ every week`);
 * `listo add --every` makes one, and `listo done` moves one to its next date rather than closing it.
 * A task is named by its number in `listo tasks` (its place in the list, which completing does not change) or its id.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { addDays, dueDayOf, localDay, upcomingDays } from '../core/due-days.js';
import { describeRecurrence, recurrenceSchema, type Recurrence } from '../core/recurrence.js';
import { createdTokenSchema } from '../core/schemas/auth.js';
import { listSchema, type TaskList } from '../core/schemas/lists.js';
import { taskSchema as coreTaskSchema, type DueDate, type Task } from '../core/schemas/tasks.js';
import { CliError, createCliApi, type CliApi } from './api.js';
import { createPrompt } from './prompt.js';
import { readCredentials, removeCredentials, resolveCredentials, writeCredentials } from './credentials.js';

/** Tasks as a server answers them; one from before repeating tasks has no `recurrence`: it does not repeat. */
const taskSchema = coreTaskSchema.extend({ recurrence: recurrenceSchema.nullable().default(null) });

/** `--every` of `listo add`: a unit, or every weekday (Monday to Friday). */
const everyRules: Record<string, Recurrence> = {
  day: { every: 'day' },
  weekday: { every: 'week', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  week: { every: 'week' },
  month: { every: 'month' },
  year: { every: 'year' },
};

export const todoUsage = `To-do commands (your lists on a Listo server):
  listo login [--url <server>] [--email <email>]
      Sign in (the password is asked, or read from LISTO_PASSWORD) and keep an API token for the commands
      below in ~/.config/listo (LISTO_URL and LISTO_TOKEN override it)
  listo logout                       Revoke and forget that token
  listo lists [--archived]           Your lists
  listo tasks <list> [--all]         The list's open tasks, numbered (--all: the done ones too)
  listo add <list> <title…> [--due <YYYY-MM-DD>] [--priority <1-4>] [--every <day|weekday|week|month|year>]
                                     --every (with --due) makes it repeat: completing it moves its due date on
  listo done <list> <task>           Complete a task (its number in listo tasks, or its id); a repeating one
                                     moves to its next date and stays open (↻ in the lists)
  listo reopen <list> <task>
  listo search <words…>              Open and done tasks of every list whose text holds every word
  listo today                        Open tasks due today or overdue, on every list, by day
  listo upcoming                     Open tasks due in the next 7 days (overdue ones first), by day
  <list> is a list's name (or the start of it) or id. --json prints what the API answered, for scripts.
`;

export const todoCommands = ['login', 'logout', 'lists', 'tasks', 'add', 'done', 'reopen', 'search', 'today', 'upcoming'] as const;
export type TodoCommand = (typeof todoCommands)[number];
export const isTodoCommand = (command: string | undefined): command is TodoCommand => todoCommands.includes(command as TodoCommand);

export interface TodoIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Wrong arguments: the message, then the usage (exit 2). */
export class TodoUsageError extends Error {}

const optionSpecs = {
  login: { url: { type: 'string' }, email: { type: 'string' } },
  logout: {},
  lists: { archived: { type: 'boolean' }, json: { type: 'boolean' } },
  tasks: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  add: { due: { type: 'string' }, priority: { type: 'string' }, every: { type: 'string' }, json: { type: 'boolean' } },
  done: { json: { type: 'boolean' } },
  reopen: { json: { type: 'boolean' } },
  search: { json: { type: 'boolean' } },
  today: { json: { type: 'boolean' } },
  upcoming: { json: { type: 'boolean' } },
} as const;

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(command: TodoCommand, args: string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options: optionSpecs[command], strict: true, allowPositionals: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    if (String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')) throw new TodoUsageError((error as Error).message.split('\n')[0]);
    throw error;
  }
}

function positionalsOf(parsed: Parsed, names: string[], { rest = false } = {}): string[] {
  const { positionals } = parsed;
  if (positionals.length < names.length) throw new TodoUsageError(`Missing ${names.slice(positionals.length).join(' and ')}`);
  if (!rest && positionals.length > names.length) throw new TodoUsageError(`Unexpected argument: ${positionals[names.length]}`);
  return positionals;
}

/** Runs one to-do command; returns the exit code (0 done, 1 refused or unreachable, 2 wrong arguments). */
export async function runTodoCommand(command: TodoCommand, args: string[], env: NodeJS.ProcessEnv, io: TodoIo, fetchImpl?: typeof fetch): Promise<number> {
  const parsed = parse(command, args);
  const print = (line = '') => io.stdout.write(`${line}\n`);
  const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
  const json = parsed.values.json === true;

  if (command === 'login') {
    positionalsOf(parsed, []);
    return login(parsed, env, io, fetchImpl);
  }
  if (command === 'logout') {
    positionalsOf(parsed, []);
    const kept = readCredentials(env);
    if (!kept) {
      print('Not signed in.');
      return 0;
    }
    if (kept.tokenId) {
      const api = createCliApi({ url: kept.url, token: kept.token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      try {
        await api.send('DELETE', `/tokens/${kept.tokenId}`);
      } catch (error) {
        // Already revoked (401, 404): done. Otherwise it still works: keep it, to revoke it when the server answers.
        if (!(error instanceof CliError) || (error.status !== 401 && error.status !== 404)) {
          throw new CliError(`Could not revoke the token at ${kept.url} (${(error as Error).message}): still signed in; try again`);
        }
      }
    }
    removeCredentials(env);
    print(`Signed out of ${kept.url}.`);
    return 0;
  }

  const { url, token } = resolveCredentials(env);
  if (!token) throw new CliError('Not signed in: run `listo login`, or set LISTO_TOKEN to an API token');
  const api = createCliApi({ url, token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

  switch (command) {
    case 'lists': {
      positionalsOf(parsed, []);
      const lists = await api.all(listSchema, `/lists?limit=1000&archived=${parsed.values.archived === true}`);
      if (json) {
        printJson(lists);
        return 0;
      }
      if (lists.length === 0) print(parsed.values.archived ? 'No archived lists.' : 'No lists yet: make one with the web app.');
      const width = Math.max(...lists.map((list) => list.name.length), 0);
      for (const list of lists) print(`${list.name.padEnd(width)}  ${list.id}${list.role === 'owner' ? '' : `  (${list.role})`}`);
      return 0;
    }
    case 'tasks': {
      const [listName] = positionalsOf(parsed, ['a list']);
      const list = await findList(api, listName!);
      const tasks = await tasksOf(api, list);
      if (json) {
        printJson(tasks);
        return 0;
      }
      print(list.name);
      const shown = tasks.map((task, index) => ({ task, number: index + 1 })).filter(({ task }) => parsed.values.all === true || !task.done);
      if (shown.length === 0) print(tasks.length === 0 ? '  No tasks yet.' : '  Nothing left to do.');
      for (const { task, number } of shown) print(taskLine(task, number, tasks.length));
      return 0;
    }
    case 'add': {
      const [listName, ...words] = positionalsOf(parsed, ['a list', 'a title'], { rest: true });
      const list = await findList(api, listName!);
      const body: Record<string, unknown> = { title: words.join(' ') };
      const due = parsed.values.due;
      if (typeof due === 'string') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) throw new TodoUsageError('--due must be a date YYYY-MM-DD');
        body.dueDate = due;
      }
      const priority = parsed.values.priority;
      if (typeof priority === 'string') {
        if (!/^[1-4]$/.test(priority)) throw new TodoUsageError('--priority must be 1 (most urgent) to 4');
        body.priority = Number(priority);
      }
      const every = parsed.values.every;
      if (typeof every === 'string') {
        const rule = Object.hasOwn(everyRules, every) ? everyRules[every] : undefined;
        if (!rule) throw new TodoUsageError('--every must be day, weekday, week, month or year');
        if (body.dueDate === undefined) throw new TodoUsageError('--every needs --due: a repeating task moves its due date on');
        body.recurrence = rule;
      }
      // A key, so the request is safe to send again: the server answers a repeat with the same task.
      const task = await api.json(taskSchema, 'POST', `/lists/${list.id}/tasks`, body, { 'idempotency-key': randomUUID() });
      if (json) {
        printJson(task);
        return 0;
      }
      const tasks = await tasksOf(api, list);
      const number = tasks.findIndex((candidate) => candidate.id === task.id) + 1;
      print(`Added to ${list.name}: ${number > 0 ? `${number}. ` : ''}${task.title}${repeatMark(task)}`);
      return 0;
    }
    case 'done':
    case 'reopen': {
      const [listName, which] = positionalsOf(parsed, ['a list', 'a task']);
      const list = await findList(api, listName!);
      const tasks = await tasksOf(api, list);
      const task = findTask(tasks, which!, list);
      // A repeating task completes the occurrence shown (not again if someone else did), and an overdue one moves to
      // its first occurrence from the terminal's today on.
      const repeating = command === 'done' && task.recurrence !== null && task.dueDate !== null;
      const body = repeating ? { done: true, occurrence: task.dueDate, today: localDay(new Date()) } : { done: command === 'done' };
      const updated = await api.json(taskSchema, 'PATCH', `/tasks/${task.id}`, body, { 'idempotency-key': randomUUID() });
      if (json) {
        printJson(updated);
        return 0;
      }
      // A repeating task is not closed: the server moved it to its next date.
      if (command === 'done' && !updated.done && task.dueDate !== null && updated.recurrence !== null) {
        print(`Done: ${updated.title} (due ${formatDue(task.dueDate)}); next due ${formatDue(updated.dueDate!)}${repeatMark(updated)}`);
        return 0;
      }
      print(`${command === 'done' ? 'Done' : 'Reopened'}: ${updated.title}`);
      return 0;
    }
    case 'search': {
      const words = positionalsOf(parsed, ['words to search for'], { rest: true });
      const found = await api.all(taskSchema, `/tasks/search?limit=100&q=${encodeURIComponent(words.join(' '))}`);
      if (json) {
        printJson(found);
        return 0;
      }
      if (found.length === 0) print('Nothing found.');
      const lists = new Map((await api.all(listSchema, '/lists?limit=1000')).map((list) => [list.id, list.name]));
      for (const task of found) print(`${task.done ? '[x]' : '[ ]'} ${task.title}  (${lists.get(task.listId) ?? 'an archived list'})`);
      return 0;
    }
    case 'today':
    case 'upcoming': {
      positionalsOf(parsed, []);
      // The day is the terminal's: a due date counts by its calendar day as written, as the server and the app count it.
      const today = localDay(new Date());
      const through = command === 'today' ? today : addDays(today, upcomingDays - 1);
      const due = await api.all(taskSchema, `/tasks/due?limit=500&through=${through}`);
      if (json) {
        printJson(due);
        return 0;
      }
      if (due.length === 0) {
        print(command === 'today' ? 'Nothing due today.' : `Nothing due in the next ${upcomingDays} days.`);
        return 0;
      }
      const lists = new Map((await api.all(listSchema, '/lists?limit=1000')).map((list) => [list.id, list.name]));
      let heading: string | null = null;
      for (const task of due) {
        const day = dueDayOf(task.dueDate!);
        const next = day < today ? 'Overdue' : dayHeading(day, today);
        if (next !== heading) print((heading = next));
        print(dueLine(task, day < today, lists.get(task.listId) ?? 'a list'));
      }
      return 0;
    }
  }
}

const tasksOf = (api: CliApi, list: TaskList): Promise<Task[]> => api.all(taskSchema, `/lists/${list.id}/tasks?limit=1000`);

/** A list by id, by name (any case), or by the start of its name when only one list starts so. */
async function findList(api: CliApi, wanted: string): Promise<TaskList> {
  const lists = [...(await api.all(listSchema, '/lists?limit=1000&archived=false')), ...(await api.all(listSchema, '/lists?limit=1000&archived=true'))];
  const folded = wanted.trim().toLocaleLowerCase();
  const byId = lists.find((list) => list.id === folded);
  if (byId) return byId;
  const named = lists.filter((list) => list.name.toLocaleLowerCase() === folded);
  const candidates = named.length > 0 ? named : lists.filter((list) => list.name.toLocaleLowerCase().startsWith(folded));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new CliError(`No list called “${wanted}” (listo lists shows yours)`);
  throw new CliError(`“${wanted}” could be ${candidates.map((list) => `“${list.name}” (${list.id})`).join(' or ')}: give more of the name, or the id`);
}

function findTask(tasks: readonly Task[], which: string, list: TaskList): Task {
  if (/^\d+$/.test(which)) {
    const task = tasks[Number(which) - 1];
    if (!task) throw new CliError(`${list.name} has no task ${which} (it has ${tasks.length}; listo tasks "${list.name}" --all numbers them)`);
    return task;
  }
  const task = tasks.find((candidate) => candidate.id === which.toLowerCase());
  if (!task) throw new CliError(`No task ${which} in ${list.name}`);
  return task;
}

/** `2026-12-01`, or `2026-12-01 09:30 Europe/Paris`. */
const formatDue = (due: DueDate): string => (typeof due === 'string' ? due : `${due.dateTime.replace('T', ' ')} ${due.timeZone}`);

/** `  ↻ every week on Mon, Thu` for a repeating task, else nothing. */
const repeatMark = (task: Task): string => (task.recurrence ? `  ↻ ${describeRecurrence(task.recurrence)}` : '');

function taskLine(task: Task, number: number, count: number): string {
  const due = task.dueDate === null ? '' : `  due ${formatDue(task.dueDate)}`;
  const priority = task.priority < 4 ? `  !${task.priority}` : '';
  return `${String(number).padStart(String(count).length + 2)}. ${task.done ? '[x]' : '[ ]'} ${task.title}${due}${priority}${repeatMark(task)}`;
}

/** "Today, Wed 2026-11-25", "Tomorrow, Thu 2026-11-26", "Sat 2026-11-28". */
function dayHeading(day: string, today: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const named = day === today ? 'Today, ' : day === addDays(today, 1) ? 'Tomorrow, ' : '';
  return `${named}${weekday} ${day}`;
}

/** A task under its day's heading: the time if it has one (the date too when overdue), priority, and its list. */
function dueLine(task: Task, overdue: boolean, listName: string): string {
  const due = task.dueDate;
  const when =
    due === null
      ? ''
      : typeof due === 'string'
        ? overdue
          ? `  due ${due}`
          : ''
        : `  ${overdue ? `due ${due.dateTime.replace('T', ' ')}` : due.dateTime.slice(11, 16)} ${due.timeZone}`;
  const priority = task.priority < 4 ? `  !${task.priority}` : '';
  return `  [ ] ${task.title}${when}${priority}${repeatMark(task)}  (${listName})`;
}

async function login(parsed: Parsed, env: NodeJS.ProcessEnv, io: TodoIo, fetchImpl?: typeof fetch): Promise<number> {
  const url = (typeof parsed.values.url === 'string' && parsed.values.url) || resolveCredentials(env).url;
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new TodoUsageError("--url must be the server's address, such as https://listo.example.com");
  const prompt = createPrompt(io);
  let email: string;
  let password: string;
  try {
    email = (typeof parsed.values.email === 'string' && parsed.values.email) || (await prompt.line('Email: '));
    password = env.LISTO_PASSWORD || (await prompt.secret('Password: '));
  } finally {
    prompt.close();
  }
  const api = createCliApi({ url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const signedIn = await api.send('POST', '/auth/login', { body: { email, password } });
  const cookie = /listo_session=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new CliError(`Listo at ${api.base} signed you in without a session this version of listo understands`);
  // A session makes the token (a token cannot make another); same-origin, as the server asks of a cookie.
  const session = { cookie: `listo_session=${cookie}`, origin: api.base };
  try {
    const created = await api.json(createdTokenSchema, 'POST', '/tokens', { name: `listo on ${os.hostname()}`.slice(0, 100) }, session);
    // Signing in again replaces the token kept for this server: the old one is revoked, not left valid and forgotten.
    const previous = readCredentials(env);
    if (previous?.tokenId && previous.url === api.base && previous.tokenId !== created.id) {
      await api.send('DELETE', `/tokens/${previous.tokenId}`, { headers: session }).catch(() => undefined); // another account's, or gone
    }
    const file = writeCredentials(env, { url: api.base, token: created.token, tokenId: created.id });
    io.stdout.write(`Signed in to ${api.base} as ${email}. The token is kept in ${file}.\n`);
    return 0;
  } finally {
    // The session was only to make the token: end it.
    await api.send('POST', '/auth/logout', { headers: session }).catch(() => undefined);
  }
}

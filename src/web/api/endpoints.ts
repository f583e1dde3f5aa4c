/** Typed calls of the Listo API, validated with the shared schemas of `src/core`. */
import { z, type ZodType } from 'zod';
import {
  authResponse,
  listSchema,
  meResponse,
  pageOf,
  sessionResponse,
  taskSchema,
  type CreateTaskBody,
  type LoginBody,
  type Me,
  type MoveTaskBody,
  type SignupBody,
  type Task,
  type TaskList,
  type UpdateListBody,
  type UpdateTaskBody,
  type User,
} from '../../core/schemas/index.js';
import { apiRequest } from './client.js';

const listPage = pageOf(listSchema);
const taskPage = pageOf(taskSchema).extend({ listVersion: z.number().int() });

/** A list's tasks and the list version they reflect (read before the tasks: subscribe from it). */
export interface ListTasksResult {
  items: Task[];
  listVersion: number;
}

/** Follows `nextCursor` until the collection is complete. */
async function collect<T>(path: string, schema: ZodType<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await apiRequest('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path, {
      schema,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const id = (value: string) => encodeURIComponent(value);

/** All of a list's tasks; the version is the first page's, so no change after it can be missed. */
async function collectTasks(listId: string): Promise<ListTasksResult> {
  const path = `/lists/${id(listId)}/tasks?limit=1000`;
  const first = await apiRequest('GET', path, { schema: taskPage });
  const items = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await apiRequest('GET', `${path}&cursor=${encodeURIComponent(cursor)}`, { schema: taskPage });
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return { items, listVersion: first.listVersion };
}

export const api = {
  signup: async (body: SignupBody): Promise<User> => (await apiRequest('POST', '/auth/signup', { body, schema: authResponse })).user,
  login: async (body: LoginBody): Promise<User> => (await apiRequest('POST', '/auth/login', { body, schema: authResponse })).user,
  logout: (): Promise<void> => apiRequest('POST', '/auth/logout'),
  getMe: (): Promise<Me> => apiRequest('GET', '/me', { schema: meResponse }),
  /** Who is signed in, if anyone (`null`), without a 401. */
  getSession: async (): Promise<Me | null> => (await apiRequest('GET', '/auth/session', { schema: sessionResponse })).me,

  listLists: (): Promise<TaskList[]> => collect('/lists?limit=1000', listPage),
  createList: (name: string, idempotencyKey?: string): Promise<TaskList> =>
    apiRequest('POST', '/lists', { body: { name }, schema: listSchema, ...(idempotencyKey ? { idempotencyKey } : {}) }),
  updateList: (listId: string, body: UpdateListBody, idempotencyKey?: string): Promise<TaskList> =>
    apiRequest('PATCH', `/lists/${id(listId)}`, { body, schema: listSchema, ...(idempotencyKey ? { idempotencyKey } : {}) }),
  deleteList: (listId: string, idempotencyKey?: string): Promise<void> =>
    apiRequest('DELETE', `/lists/${id(listId)}`, idempotencyKey ? { idempotencyKey } : {}),

  listTasks: (listId: string): Promise<ListTasksResult> => collectTasks(listId),
  createTask: (listId: string, body: CreateTaskBody, idempotencyKey: string): Promise<Task> =>
    apiRequest('POST', `/lists/${id(listId)}/tasks`, { body, schema: taskSchema, idempotencyKey }),
  updateTask: (taskId: string, body: UpdateTaskBody, idempotencyKey: string): Promise<Task> =>
    apiRequest('PATCH', `/tasks/${id(taskId)}`, { body, schema: taskSchema, idempotencyKey }),
  moveTask: (taskId: string, body: MoveTaskBody, idempotencyKey: string): Promise<Task> =>
    apiRequest('POST', `/tasks/${id(taskId)}/move`, { body, schema: taskSchema, idempotencyKey }),
  deleteTask: (taskId: string, idempotencyKey: string): Promise<void> => apiRequest('DELETE', `/tasks/${id(taskId)}`, { idempotencyKey }),
  restoreTask: (taskId: string, idempotencyKey: string): Promise<Task> =>
    apiRequest('POST', `/tasks/${id(taskId)}/restore`, { schema: taskSchema, idempotencyKey }),
};

/** The task calls a list's store needs; tests pass a fake. */
export type TasksApi = Pick<typeof api, 'listTasks' | 'createTask' | 'updateTask' | 'moveTask' | 'deleteTask' | 'restoreTask'>;

import { z } from 'zod';
import { idParams, noQuery, pageOf } from '../../../core/schemas/common.js';
import {
  assignedTaskQuery,
  createTaskBody,
  dueTaskQuery,
  moveTaskBody,
  taskListQuery,
  taskSchema,
  taskSearchQuery,
  updateTaskBody,
} from '../../../core/schemas/tasks.js';
import { requireUserId } from '../../http/authentication.js';
import { idempotencyKeyOf } from '../../http/idempotency.js';
import type { Api } from '../../http/route-types.js';
import type { TaskService } from './task.service.js';

export function registerTaskRoutes(app: Api, tasks: TaskService): void {
  const listParams = idParams('listId');
  const taskPage = pageOf(taskSchema).extend({ listVersion: z.number().int().describe('The list version these tasks reflect; subscribe from it') });
  const taskParams = idParams('taskId');

  app.get(
    '/api/v1/lists/:listId/tasks',
    {
      schema: {
        summary: "A list's tasks, with the list version they reflect",
        tags: ['tasks'],
        params: listParams,
        querystring: taskListQuery,
        response: { 200: taskPage },
      },
    },
    async (request) => tasks.listTasks(requireUserId(request), request.params.listId, request.query),
  );

  app.get(
    '/api/v1/lists/:listId/trash',
    { schema: { summary: "A list's deleted tasks (the trash)", tags: ['tasks'], params: listParams, querystring: taskListQuery, response: { 200: taskPage } } },
    async (request) => tasks.listTasks(requireUserId(request), request.params.listId, request.query, true),
  );

  app.post(
    '/api/v1/lists/:listId/tasks',
    {
      schema: {
        summary: 'Add a task to a list',
        problems: ['forbidden', 'unprocessable'],
        tags: ['tasks'],
        params: listParams,
        body: createTaskBody,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tasks.createTask(requireUserId(request), request.params.listId, request.body, idempotencyKeyOf(request))),
  );

  /** Tasks assigned to the caller across all their lists (`?assignee=me`). */
  app.get(
    '/api/v1/tasks',
    { schema: { summary: 'Tasks assigned to you across your lists', tags: ['tasks'], querystring: assignedTaskQuery, response: { 200: pageOf(taskSchema) } } },
    async (request) => tasks.listAssignedTasks(requireUserId(request), request.query),
  );

  /** "Upcoming" and "Today": open tasks with a due date across the caller's lists, soonest first. */
  app.get(
    '/api/v1/tasks/due',
    {
      schema: {
        summary: 'Your open tasks with a due date, soonest first (overdue included); `through` a day for what is due by then',
        tags: ['tasks'],
        querystring: dueTaskQuery,
        response: { 200: pageOf(taskSchema) },
      },
    },
    async (request) => tasks.listDueTasks(requireUserId(request), request.query),
  );

  /** Search: live tasks of the caller's lists holding every word of `q` (title, notes, blocks), newest first. */
  app.get(
    '/api/v1/tasks/search',
    { schema: { summary: 'Search the tasks of your lists', tags: ['tasks'], querystring: taskSearchQuery, response: { 200: pageOf(taskSchema) } } },
    async (request) => tasks.searchTasks(requireUserId(request), request.query),
  );

  app.get(
    '/api/v1/tasks/:taskId',
    { schema: { summary: 'Get a task', tags: ['tasks'], params: taskParams, querystring: noQuery, response: { 200: taskSchema } } },
    async (request) => tasks.getTask(requireUserId(request), request.params.taskId),
  );

  app.patch(
    '/api/v1/tasks/:taskId',
    {
      schema: {
        summary: 'Edit, assign or complete a task',
        problems: ['forbidden', 'task_deleted', 'unprocessable', 'conflict'],
        keyIsMutationId: true,
        retrySafeByKey: true,
        tags: ['tasks'],
        params: taskParams,
        body: updateTaskBody,
        response: { 200: taskSchema },
      },
    },
    async (request) => tasks.updateTask(requireUserId(request), request.params.taskId, request.body, idempotencyKeyOf(request)),
  );

  app.delete(
    '/api/v1/tasks/:taskId',
    {
      schema: {
        summary: 'Move a task to the trash',
        problems: ['forbidden', 'conflict'],
        keyIsMutationId: true,
        retrySafeByKey: true,
        tags: ['tasks'],
        params: taskParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await tasks.deleteTask(requireUserId(request), request.params.taskId, idempotencyKeyOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/tasks/:taskId/move',
    {
      schema: {
        summary: 'Move a task within its list or to another list',
        problems: ['forbidden', 'task_deleted', 'conflict'],
        tags: ['tasks'],
        params: taskParams,
        body: moveTaskBody,
        response: { 200: taskSchema },
      },
    },
    async (request) => tasks.moveTask(requireUserId(request), request.params.taskId, request.body, idempotencyKeyOf(request)),
  );

  app.post(
    '/api/v1/tasks/:taskId/restore',
    {
      schema: {
        summary: 'Restore a task from the trash',
        problems: ['forbidden', 'conflict'],
        tags: ['tasks'],
        params: taskParams,
        response: { 200: taskSchema },
      },
    },
    async (request) => tasks.restoreTask(requireUserId(request), request.params.taskId, idempotencyKeyOf(request)),
  );
}

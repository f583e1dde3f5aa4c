import type { ListRole } from '../../../core/permissions.js';
import type { TaskList } from '../../../core/schemas/lists.js';
import type { ListsTable } from '../../db/schema.js';

export const presentList = (row: ListsTable, role: ListRole): TaskList => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  position: row.position,
  version: Number(row.version),
  archived: row.archived_at !== null,
  archivedAt: row.archived_at,
  role,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

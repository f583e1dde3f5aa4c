/**
 * Row types of the database, as Kysely sees them. Timestamps are ISO-8601 UTC strings and JSON
 * is text on both dialects, so rows read the same from SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself is only in the cookie. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  kind: 'personal' | 'team';
  created_by: string;
  created_at: string;
}

export interface WorkspaceMembersTable {
  workspace_id: string;
  user_id: string;
  role: 'admin' | 'member' | 'guest';
  created_at: string;
}

export interface ListsTable {
  id: string;
  workspace_id: string;
  name: string;
  position: string;
  version: number;
  archived_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ListMembersTable {
  list_id: string;
  user_id: string;
  workspace_id: string;
  role: 'owner' | 'editor' | 'commenter' | 'viewer';
  created_at: string;
}

export interface TasksTable {
  id: string;
  workspace_id: string;
  list_id: string;
  title: string;
  notes: string;
  completed_at: string | null;
  completed_by: string | null;
  due_date: string | null;
  due_time_zone: string | null;
  priority: number;
  position: string;
  assignee_id: string | null;
  /** JSON array of content blocks. */
  blocks: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
}

export interface ActivityEventsTable {
  id: string;
  workspace_id: string;
  list_id: string | null;
  /** The list's version this event produced; contiguous per list. */
  list_version: number | null;
  task_id: string | null;
  type: string;
  actor_id: string | null;
  at: string;
  /** Idempotency-Key / mutation id of the request that caused it. */
  mutation_id: string | null;
  /** JSON: the changed entity and details. */
  data: string;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface InvitationsTable {
  id: string;
  workspace_id: string;
  list_id: string;
  /** Lower-cased address the invitation was sent to. */
  email: string;
  role: 'owner' | 'editor' | 'commenter' | 'viewer';
  /** SHA-256 of the single-use secret; the secret is only in the invitation link. */
  token_hash: string;
  /** `expired` is never stored: a pending row past `expires_at` is expired. */
  status: 'pending' | 'accepted' | 'declined' | 'revoked';
  invited_by: string;
  created_at: string;
  expires_at: string;
  responded_at: string | null;
  accepted_by: string | null;
}

export interface ShareLinksTable {
  id: string;
  workspace_id: string;
  list_id: string;
  token_hash: string;
  role: 'owner' | 'editor' | 'commenter' | 'viewer';
  created_by: string;
  created_at: string;
  /** Set when the owner turns the link off (or replaces it); a list has at most one live link. */
  disabled_at: string | null;
}

export interface CommentsTable {
  id: string;
  workspace_id: string;
  list_id: string;
  task_id: string;
  author_id: string;
  /** Markdown source. */
  body: string;
  /** JSON array of mentioned user ids. */
  mentions: string;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  type: 'invited' | 'assigned' | 'mentioned';
  actor_id: string | null;
  list_id: string | null;
  task_id: string | null;
  comment_id: string | null;
  invitation_id: string | null;
  /** JSON: what to show (names, titles, an excerpt). */
  data: string;
  created_at: string;
  read_at: string | null;
}

export interface UploadsTable {
  id: string;
  workspace_id: string;
  uploaded_by: string;
  /** The content type id the bytes were sniffed as: image, gif or file. */
  kind: string;
  mime_type: string;
  /** bigint: a string from PostgreSQL; read with Number(). */
  size: number | string;
  sha256: string;
  blob_key: string;
  charged_bytes: number | string;
  /** Sanitized display name; never used as a path. */
  name: string;
  width: number | null;
  height: number | null;
  frames: number | null;
  thumbnail_key: string | null;
  poster_key: string | null;
  created_at: string;
}

export interface UploadRefsTable {
  upload_id: string;
  task_id: string;
}

export interface WorkspaceStorageTable {
  workspace_id: string;
  used_bytes: number | string;
  quota_bytes: number | string | null;
  image_max_bytes: number | string | null;
  file_max_bytes: number | string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  tasks: TasksTable;
  activity_events: ActivityEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  invitations: InvitationsTable;
  share_links: ShareLinksTable;
  comments: CommentsTable;
  notifications: NotificationsTable;
  uploads: UploadsTable;
  upload_refs: UploadRefsTable;
  workspace_storage: WorkspaceStorageTable;
}

export type { Generated };

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
  /** JSON of a `Recurrence` (core/recurrence.ts), or null (migration 0017). */
  recurrence: string | null;
  priority: number;
  position: string;
  assignee_id: string | null;
  /** JSON array of content blocks. */
  blocks: string;
  /** Title, notes and block summaries, folded for search (`core/search.ts`); kept in step by every write of those. */
  search_text: string;
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

/** An invitation to a team workspace (migration 0013); answered like a list's invitation. */
export interface WorkspaceInvitationsTable {
  id: string;
  workspace_id: string;
  /** Lower-cased address the invitation was sent to. */
  email: string;
  role: 'admin' | 'member' | 'guest';
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
  type: 'invited' | 'workspace_invited' | 'assigned' | 'mentioned';
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
  /** When the last task showing it stopped (or, never shown, when it was made); null while a task shows it. */
  released_at: string | null;
  /** When its previews could not be made because its bytes do not decode: they are not tried again. */
  preview_failed_at: string | null;
  /** The task whose change released it (its editors may bring it back during the grace period); null otherwise. */
  released_from_task_id: string | null;
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

/** Billing (migration 0004). Money and quantities are decimal strings; JSON is text. */
export interface BillingMetersTable {
  code: string;
  name: string;
  aggregation: string;
  property: string | null;
  filter: string | null;
  created_at: string;
}

export interface BillingEventsTable {
  workspace_id: string;
  id: string;
  meter: string;
  timestamp: string;
  value: string | null;
  properties: string | null;
  measure: string | null;
  distinct_key: string | null;
  counted: number;
  batch_seq: number;
  received_at: string;
}

export interface BillingIngestStateTable {
  workspace_id: string;
  batch_seq: number;
}

export interface BillingRollupsTable {
  workspace_id: string;
  meter: string;
  hour: string;
  events: number | string;
  sum_value: string;
  max_value: string | null;
}

export interface BillingPresenceTable {
  workspace_id: string;
  meter: string;
  bucket: string;
  person: string;
  first_at: string;
  last_at: string;
}

export interface BillingDistinctMonthsTable {
  workspace_id: string;
  meter: string;
  month: string;
  value: string;
  mask_lo: number;
  mask_hi: number;
}

export interface BillingPlansTable {
  code: string;
  name: string;
  currency: string;
  interval: string;
  definition: string;
  created_at: string;
}

export interface BillingTestClocksTable {
  id: string;
  frozen_time: string;
  created_at: string;
  updated_at: string;
}

export interface BillingWorkspaceSettingsTable {
  workspace_id: string;
  tax_rate: string;
  updated_at: string;
}

export interface BillingSubscriptionsTable {
  id: string;
  workspace_id: string;
  status: 'active' | 'canceled';
  anchor: 'calendar' | 'anniversary';
  timezone: string;
  start_at: string;
  trial_end: string | null;
  test_clock_id: string | null;
  current_period_start: string;
  current_period_end: string;
  cancel_at_period_end: number;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface BillingSubscriptionPhasesTable {
  id: string;
  subscription_id: string;
  plan_code: string;
  starts_at: string;
  ends_at: string | null;
  trial: number;
  created_at: string;
}

export interface BillingInvoicesTable {
  id: string;
  workspace_id: string;
  subscription_id: string;
  kind: 'closing' | 'opening';
  period_start: string;
  period_end: string;
  status: 'draft' | 'finalized';
  number: string | null;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  tax_rate: string;
  unapplied_credit: string;
  event_cutoff: number | string;
  created_at: string;
  updated_at: string;
  finalized_at: string | null;
}

export interface BillingInvoiceLinesTable {
  id: string;
  invoice_id: string;
  position: number;
  key: string;
  kind: string;
  description: string;
  meter: string | null;
  quantity: string;
  unit_amount: string | null;
  amount: string;
  trace: string | null;
  adjusts_invoice_id: string | null;
  adjusts_key: string | null;
}

export interface BillingCreditNotesTable {
  id: string;
  number: string;
  invoice_id: string;
  workspace_id: string;
  currency: string;
  amount: string;
  tax: string;
  total: string;
  reason: string;
  created_by: string | null;
  created_at: string;
}

export interface BillingCountersTable {
  name: string;
  value: number | string;
}

export interface BillingOutboxTable {
  id: string;
  type: string;
  workspace_id: string;
  payload: string;
  created_at: string;
  delivered_at: string | null;
}

/**
 * Written once by migration 0014: an open plan phase it ended because its subscription had two (the race fixed in
 * eb00a64), and the phase it kept; for finance, who may credit what was billed twice. The app does not read it.
 */
export interface BillingPhaseRepairsTable {
  phase_id: string;
  subscription_id: string;
  /** Null only for a phase whose subscription row was gone. */
  workspace_id: string | null;
  plan_code: string;
  starts_at: string;
  /** The end the migration gave the phase (it had none). */
  ends_at: string;
  kept_phase_id: string;
  kept_plan_code: string;
  repaired_at: string;
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
  workspace_invitations: WorkspaceInvitationsTable;
  share_links: ShareLinksTable;
  comments: CommentsTable;
  notifications: NotificationsTable;
  uploads: UploadsTable;
  upload_refs: UploadRefsTable;
  workspace_storage: WorkspaceStorageTable;
  billing_meters: BillingMetersTable;
  billing_events: BillingEventsTable;
  billing_ingest_state: BillingIngestStateTable;
  billing_rollups: BillingRollupsTable;
  billing_presence: BillingPresenceTable;
  billing_distinct_months: BillingDistinctMonthsTable;
  billing_plans: BillingPlansTable;
  billing_test_clocks: BillingTestClocksTable;
  billing_workspace_settings: BillingWorkspaceSettingsTable;
  billing_subscriptions: BillingSubscriptionsTable;
  billing_subscription_phases: BillingSubscriptionPhasesTable;
  billing_phase_repairs: BillingPhaseRepairsTable;
  billing_invoices: BillingInvoicesTable;
  billing_invoice_lines: BillingInvoiceLinesTable;
  billing_credit_notes: BillingCreditNotesTable;
  billing_counters: BillingCountersTable;
  billing_outbox: BillingOutboxTable;
}

export type { Generated };

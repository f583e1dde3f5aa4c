/** Limits shared by the API's validation and the web app's forms. */
export const limits = {
  emailMax: 254,
  nameMax: 100,
  passwordMin: 8,
  passwordMax: 256,
  listNameMax: 200,
  taskTitleMax: 500,
  taskNotesMax: 20_000,
  tokenNameMax: 100,
  requestBodyBytes: 1024 * 1024,
  pageSizeDefault: 100,
  pageSizeMax: 10_000,
  /**
   * A page of tasks (a list's, its trash, assigned, search) also stops before its tasks weigh more than this, whatever
   * its `limit`, and answers `nextCursor` to go on from; it always holds at least one task. A task weighs its text as
   * stored (title, notes, blocks' JSON, position) plus `taskPageFieldBytes`. Tasks take up to the 1 MiB request body
   * each, so 1,000 of them (the web app's page) made a gigabyte of JSON: past V8's longest string, a 500 after seconds
   * and 3 GB of memory. 8 MiB still holds `pageSizeMax` ordinary tasks (a title and a line of notes, ~0.5 KiB of
   * JSON) and at least seven of the largest, and keeps one answer's memory to tens of MB.
   */
  taskPageBytes: 8 * 1024 * 1024,
  /**
   * What a task's other fields take in its JSON, at most (ids, stamps, a due date in the longest zone name): 656
   * bytes. Not counted, so an answer can pass `taskPageBytes` by that much: JSON escapes (a quote in the text takes two
   * bytes, a control character six) and the URLs upload blocks gain (~130 bytes each).
   */
  taskPageFieldBytes: 700,
  /**
   * A page of history (`GET …/activity`) also stops before its events weigh this (their data as stored, plus
   * `activityEventFieldBytes` each): an event carries the whole task it changed, so 500 events of a task of 1 MiB were
   * half a gigabyte of JSON. Always one event at least.
   */
  activityPageBytes: 8 * 1024 * 1024,
  /** What an event's other fields take in its JSON (ids, type, time, the actor's name), at most. */
  activityEventFieldBytes: 600,
  trashRetentionDays: 30,
  /** An upload no task shows is deleted after this, and its storage given back. */
  releasedUploadGraceHours: 24,
  idempotencyKeyMax: 255,
  idempotencyRetentionHours: 24,
  membersPerListDefault: 50,
  invitationTtlDaysDefault: 14,
  commentBodyMax: 10_000,
  mentionsPerCommentMax: 50,
  workspaceNameMax: 100,
} as const;

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

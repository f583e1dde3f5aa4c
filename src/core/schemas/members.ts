/** Sharing a list: members, invitations by email, share links. */
import { z } from 'zod';
import { listRoles } from '../permissions.js';
import { emailSchema } from './auth.js';
import { idSchema } from './common.js';

const listRole = z.enum(listRoles);

export const memberSchema = z.object({
  userId: idSchema,
  email: z.string(),
  name: z.string(),
  /** Effective role: the higher of the list membership and what the team workspace gives. */
  role: listRole,
  /** `list`: a member of the list itself; `workspace`: sees the list through its team workspace only. */
  via: z.enum(['list', 'workspace']),
});
export type Member = z.infer<typeof memberSchema>;

/** Invite by email. `owner` is never granted by invitation: ownership is transferred (PATCH a member). */
export const inviteMemberBody = z.strictObject({ email: emailSchema, role: listRole });
export type InviteMemberBody = z.infer<typeof inviteMemberBody>;

/** Change a member's role; `owner` transfers ownership (the current owner becomes an editor). */
export const updateMemberBody = z.strictObject({ role: listRole });

export const invitationStatuses = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;

export const invitationSchema = z.object({
  id: idSchema,
  listId: idSchema,
  email: z.string(),
  role: listRole,
  status: z.enum(invitationStatuses),
  invitedBy: idSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/**
 * The invitation, and the link to hand to the invitee. The secret is in the URL fragment, which
 * browsers never send to servers or in a Referer; the web app posts it to `/api/v1/invitations/accept-token`.
 * It is shown only in this response (only its hash is stored).
 */
export const createdInvitationResponse = z.object({ invitation: invitationSchema, inviteUrl: z.string() });

/** A pending invitation as its invitee sees it. */
export const pendingInvitationSchema = z.object({
  id: idSchema,
  listId: idSchema,
  listName: z.string(),
  role: listRole,
  /** User id of the inviter. */
  invitedBy: idSchema,
  invitedByName: z.string(),
  email: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingInvitation = z.infer<typeof pendingInvitationSchema>;

export const acceptTokenBody = z.strictObject({ token: z.string().min(1).max(200) });

export const shareLinkSchema = z.object({
  listId: idSchema,
  role: listRole,
  createdBy: idSchema,
  createdAt: z.string(),
});
export type ShareLink = z.infer<typeof shareLinkSchema>;

export const createShareLinkBody = z.strictObject({ role: listRole });
/** As with invitations, the secret is in the URL fragment and shown only when the link is made. */
export const createdShareLinkResponse = z.object({ shareLink: shareLinkSchema, url: z.string() });
export const shareLinkResponse = z.object({ shareLink: shareLinkSchema.nullable() });

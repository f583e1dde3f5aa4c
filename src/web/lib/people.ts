/** Roles in words, and which roles a person may give (initials and avatar colours: `initials.ts`). */
import { canGrant, listRoles, type ListRole, type WorkspaceRole } from '../../core/permissions.js';

export const listRoleLabels: Record<ListRole, string> = { owner: 'Owner', editor: 'Editor', commenter: 'Commenter', viewer: 'Viewer' };

export const listRoleHints: Record<ListRole, string> = {
  owner: 'Full control, including sharing and deleting',
  editor: 'Can add, edit and complete tasks, and invite',
  commenter: 'Can read and comment',
  viewer: 'Can only read',
};

export const workspaceRoleLabels: Record<WorkspaceRole, string> = { admin: 'Admin', member: 'Member', guest: 'Guest' };

/**
 * The roles someone with `role` may give by invitation or share link: never above their own
 * (`canGrant`), and never owner (ownership is transferred, not granted).
 */
export function invitableRoles(role: ListRole | null | undefined): ListRole[] {
  return listRoles.filter((candidate) => candidate !== 'owner' && canGrant(role, candidate));
}

/**
 * Why an invitation was refused, said once: the server's sentence for someone already in (it says what to do instead),
 * else the email field's reason ("That email must be a valid email address."), else the server's sentence. Not both:
 * the field's reason and the sentence repeat each other ("… valid email address. email: must be a valid email address").
 */
export function inviteRefusal(error: { code: string; detail: string; fieldError(field: string): string | undefined }): string {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  const field = error.fieldError('email');
  if (error.code === 'already_member' || field === undefined) return sentence(error.detail);
  return `That email ${field}.`;
}

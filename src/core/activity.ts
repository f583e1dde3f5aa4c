/**
 * The closed list of activity types. Every change is one append-only activity event, written in the
 * transaction of the change: it is the list's change log for real-time replay, the history people read,
 * and the source of engagement metering.
 */
export const activityTypes = [
  'list.created',
  'list.updated',
  'list.archived',
  'list.unarchived',
  'list.moved',
  'list.deleted',
  'task.created',
  'task.edited',
  'task.completed',
  'task.reopened',
  'task.moved',
  'task.deleted',
  'task.restored',
  'task.assigned',
  'comment.created',
  'member.invited',
  'member.declined',
  'member.invitation_revoked',
  'member.joined',
  'member.role_changed',
  'member.removed',
] as const;
export type ActivityType = (typeof activityTypes)[number];

/** Events about an invitation: they name the address it went to. */
const invitationEvents: ReadonlySet<ActivityType> = new Set(['member.invited', 'member.declined', 'member.invitation_revoked']);

/**
 * What of an event's data a reader may see. An invitee's email address is for those who may invite (they see
 * it in the list's invitations anyway); other members read "invited someone", and the account's id when the
 * address has one, as they would see them in the members list once they join.
 */
export function eventDataFor<Data>(type: ActivityType, data: Data, readerMayInvite: boolean): Data {
  if (!invitationEvents.has(type) || readerMayInvite || typeof data !== 'object' || data === null || !('email' in data)) return data;
  const { email: _email, ...rest } = data;
  return rest as Data;
}

/**
 * The name of an event's actor for a reader. Whoever declined an invitation is not a member: only those who may
 * invite (and so saw whom the invitation went to) read their name; others read "someone declined".
 */
export function actorNameFor(type: ActivityType, actorName: string | null, readerMayInvite: boolean): string | null {
  return type === 'member.declined' && !readerMayInvite ? null : actorName;
}

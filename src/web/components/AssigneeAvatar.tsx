import { useEffect } from 'react';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useListMembers } from '../hooks/useListMembers.js';
import { Avatar } from './Avatar.js';

/** The initials of whoever a task is assigned to, in its row. */
export function AssigneeAvatar({ listId, assigneeId }: { listId: string; assigneeId: string | null }) {
  const { me } = useCollaboration();
  const { byId, store, status } = useListMembers(listId);
  const member = assigneeId ? byId.get(assigneeId) : undefined;
  useEffect(() => {
    if (assigneeId && status === 'ready' && !member) store.ensureMember(assigneeId);
  }, [assigneeId, status, member, store]);
  if (!assigneeId) return null;
  const name = assigneeId === me.user.id ? me.user.name : member?.name;
  if (!name) return null;
  return (
    <span className="task-assignee">
      <Avatar userId={assigneeId} name={name} size={24} label={assigneeId === me.user.id ? `Assigned to you (${name})` : `Assigned to ${name}`} />
    </span>
  );
}

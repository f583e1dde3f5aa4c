import { useId } from 'react';
import type { Member } from '../../core/schemas/index.js';

/** Chooses who a task is assigned to, among the people who can see the list. */
export function AssigneePicker({
  members,
  meId,
  value,
  disabled,
  onChange,
}: {
  members: readonly Member[];
  meId: string;
  value: string | null;
  disabled?: boolean;
  onChange: (assigneeId: string | null) => void;
}) {
  const id = useId();
  const known = value === null || members.some((member) => member.userId === value);
  return (
    <div className="details-field">
      <label htmlFor={id}>Assignee</label>
      <select id={id} className="select" value={value ?? ''} disabled={disabled} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">Nobody</option>
        {members.map((member) => (
          <option key={member.userId} value={member.userId}>
            {member.userId === meId ? `${member.name} (you)` : member.name} · {member.email}
          </option>
        ))}
        {known ? null : <option value={value!}>Someone who left the list</option>}
      </select>
    </div>
  );
}

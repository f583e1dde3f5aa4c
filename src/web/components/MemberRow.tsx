import { useId, useState } from 'react';
import { listRoles, type ListRole } from '../../core/permissions.js';
import type { Member } from '../../core/schemas/index.js';
import { listRoleLabels } from '../lib/people.js';
import { Avatar } from './Avatar.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Icon } from './Icon.js';

export interface MemberRowProps {
  member: Member;
  meId: string;
  /** The viewer is the owner: may change roles (owner = transfer ownership) and remove. */
  canManage: boolean;
  busy: boolean;
  onChangeRole: (role: ListRole) => void;
  onRemove: () => void;
}

/** One person who can see the list: who, their role, and (for the owner) the controls to change it. */
export function MemberRow({ member, meId, canManage, busy, onChangeRole, onRemove }: MemberRowProps) {
  const id = useId();
  const [confirm, setConfirm] = useState<'transfer' | 'remove' | null>(null);
  const isMe = member.userId === meId;
  // Workspace people are managed in the workspace; the owner changes only by transfer, from the owner's side.
  const editable = canManage && !isMe && member.via === 'list' && member.role !== 'owner';
  const name = isMe ? `${member.name} (you)` : member.name;

  return (
    <li className={editable ? 'member-row member-row-editable' : 'member-row'}>
      <Avatar userId={member.userId} name={member.name} size={32} />
      <span className="member-who">
        <span className="member-name">{name}</span>
        <span className="member-email">{member.email}</span>
      </span>
      {editable ? (
        <span className="member-controls">
          <label htmlFor={id} className="visually-hidden">
            Role of {member.name}
          </label>
          <select
            id={id}
            className="select select-small"
            value={member.role}
            disabled={busy}
            onChange={(event) => {
              const role = event.target.value as ListRole;
              if (role === 'owner') setConfirm('transfer');
              else onChangeRole(role);
            }}
          >
            {listRoles.map((role) => (
              <option key={role} value={role}>
                {role === 'owner' ? 'Owner (transfer ownership)' : listRoleLabels[role]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="icon-button icon-button-danger"
            aria-label={`Remove ${member.name}`}
            title="Remove from the list"
            disabled={busy}
            onClick={() => setConfirm('remove')}
          >
            <Icon name="close" size={16} />
          </button>
        </span>
      ) : (
        <span className="member-role">
          {listRoleLabels[member.role]}
          {member.via === 'workspace' ? <span className="member-via"> · via workspace</span> : null}
        </span>
      )}
      {confirm === 'transfer' ? (
        <ConfirmDialog
          title={`Make ${member.name} the owner?`}
          confirmLabel="Transfer ownership"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            onChangeRole('owner');
          }}
        >
          <p>
            A list has exactly one owner. You will become an editor, and only {member.name} will be able to manage members, the share link, or delete the list.
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${member.name}?`}
          confirmLabel="Remove"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            onRemove();
          }}
        >
          <p>They will no longer see this list; tasks assigned to them become unassigned. Their comments stay.</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

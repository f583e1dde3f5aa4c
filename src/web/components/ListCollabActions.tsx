import { useState } from 'react';
import { can } from '../../core/permissions.js';
import type { ListView } from '../state/lists.store.js';
import { ActivityPanel } from './ActivityPanel.js';
import { Icon } from './Icon.js';
import { ShareDialog } from './ShareDialog.js';

/** The list header's collaboration buttons: Share (or People, for roles that cannot invite) and Activity. */
export function ListCollabActions({ list }: { list: ListView }) {
  const [open, setOpen] = useState<'share' | 'activity' | null>(null);
  if (list.id.startsWith('local:')) return null;
  const canInvite = can(list.role, 'member.invite');
  return (
    <>
      <button type="button" className="button button-small list-share-button" aria-haspopup="dialog" onClick={() => setOpen('share')}>
        <Icon name={canInvite ? 'share' : 'users'} size={16} />
        {canInvite ? 'Share' : 'People'}
      </button>
      {can(list.role, 'activity.read') ? (
        <button type="button" className="icon-button" aria-label="Activity" title="Activity" aria-haspopup="dialog" onClick={() => setOpen('activity')}>
          <Icon name="clock" />
        </button>
      ) : null}
      {open === 'share' ? <ShareDialog list={list} onClose={() => setOpen(null)} /> : null}
      {open === 'activity' ? <ActivityPanel list={list} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

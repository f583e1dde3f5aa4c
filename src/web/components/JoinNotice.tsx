import { useEffect } from 'react';
import { loadJoinLink, saveJoinLink, type JoinLinkKind } from '../lib/join-links.js';

const noticeOf: Record<JoinLinkKind, string> = {
  invite: 'You were invited to a list.',
  join: 'You were given a link to a list.',
  'workspace-invite': 'You were invited to a team workspace.',
};

/**
 * Over the sign-in screen when the app was opened from an invitation (to a list or a team workspace) or share link not
 * used yet. Signing in here is
 * signing in to join: the link is marked agreed, and is used without asking again once signed in.
 */
export function JoinNotice() {
  const link = loadJoinLink();
  useEffect(() => {
    if (link && !link.agreed) saveJoinLink({ ...link, agreed: true });
  }, [link]);
  if (!link) return null;
  return (
    <p className="join-notice" role="status">
      {noticeOf[link.kind]} Sign in, or create an account, to join it.
    </p>
  );
}

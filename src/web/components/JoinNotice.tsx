import { loadJoinLink } from '../lib/join-links.js';

/** Over the sign-in screen when the app was opened from an invitation or share link not used yet. */
export function JoinNotice() {
  const link = loadJoinLink();
  if (!link) return null;
  return (
    <p className="join-notice" role="status">
      {link.kind === 'invite' ? 'You were invited to a list.' : 'You were given a link to a list.'} Sign in, or create an account, to join it.
    </p>
  );
}

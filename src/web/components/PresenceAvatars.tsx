import type { Viewer } from '../../core/realtime/protocol.js';
import { avatarHue, initials } from '../lib/initials.js';

const maxShown = 4;

/** Initials of the other people viewing the list right now. */
export function PresenceAvatars({ viewers }: { viewers: readonly Viewer[] }) {
  if (viewers.length === 0) return null;
  const shown = viewers.slice(0, maxShown);
  const hidden = viewers.slice(maxShown);
  return (
    <ul className="presence" aria-label="Also viewing this list">
      {shown.map((viewer) => (
        <li key={viewer.userId} className="presence-viewer" title={viewer.name}>
          <span
            className="avatar avatar-small"
            aria-hidden="true"
            style={{ background: `hsl(${avatarHue(viewer.userId)} 70% 88%)`, color: `hsl(${avatarHue(viewer.userId)} 55% 30%)` }}
          >
            {initials(viewer.name)}
          </span>
          <span className="visually-hidden">{viewer.name || 'Someone'}</span>
        </li>
      ))}
      {hidden.length > 0 ? (
        <li className="presence-viewer" title={hidden.map((viewer) => viewer.name).join(', ')}>
          <span className="avatar avatar-small avatar-more" aria-hidden="true">
            +{hidden.length}
          </span>
          <span className="visually-hidden">and {hidden.length} more</span>
        </li>
      ) : null}
    </ul>
  );
}

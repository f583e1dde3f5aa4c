import { avatarHue, initials } from '../lib/initials.js';

/** A person's initials in a circle of their own colour; decorative unless `label` is given. */
export function Avatar({ userId, name, size = 24, label }: { userId: string; name: string; size?: number; label?: string }) {
  const hue = avatarHue(userId);
  return (
    <span
      className="person-avatar"
      style={{ width: size, height: size, fontSize: Math.round(size * 0.42), background: `hsl(${hue} 70% 90%)`, color: `hsl(${hue} 45% 32%)` }}
      {...(label ? { role: 'img', 'aria-label': label, title: label } : { 'aria-hidden': true })}
    >
      {initials(name)}
    </span>
  );
}

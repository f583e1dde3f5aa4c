/** Up to two initials of a person's name ("Grace Hopper" → "GH"), for avatars. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0] ? [...parts[0]][0] : '';
  const last = parts.length > 1 ? [...parts.at(-1)!][0] : '';
  return ((first ?? '') + (last ?? '')).toUpperCase() || '?';
}

/** A stable hue for a person, so the same viewer keeps the same avatar colour. */
export function avatarHue(userId: string): number {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return hash % 360;
}

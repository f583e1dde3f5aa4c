/**
 * The "add a block" menu (the `+` button and `/` in an empty text block), as pure functions: filtered by what was
 * typed after the `/`, driven by the keyboard. Its items come from the renderer registry (`blockMenuItems` in
 * `index.tsx`): the types whose module has an editor, and the upload-backed ones.
 */
import type { ContentTypeId } from '../../core/content-types/index.js';

export interface BlockMenuItem {
  id: ContentTypeId;
  label: string;
  hint: string;
}

/** Items whose name (or id) starts with the query first, then those containing it; all of them for an empty query. */
export function filterBlockMenu(items: readonly BlockMenuItem[], query: string): BlockMenuItem[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [...items];
  const names = (item: BlockMenuItem) => [item.label.toLowerCase(), item.id.toLowerCase()];
  const starts = items.filter((item) => names(item).some((name) => name.startsWith(wanted)));
  const contains = items.filter((item) => !starts.includes(item) && names(item).some((name) => name.includes(wanted)));
  return [...starts, ...contains];
}

/** The query of a text block that is a slash command (`/`, `/gi`), or null. */
export function slashQuery(text: string): string | null {
  const match = /^\/([^\s/]*)$/.exec(text);
  return match ? match[1]! : null;
}

export type MenuKeyAction = { kind: 'move'; index: number } | { kind: 'pick'; index: number } | { kind: 'close' } | null;

/** What a key does in the menu: arrows (wrapping), Home/End move, Enter picks, Escape closes; anything else is not ours. */
export function menuKeyAction(key: string, active: number, count: number): MenuKeyAction {
  if (key === 'Escape') return { kind: 'close' };
  if (count === 0) return null;
  const current = Math.min(Math.max(active, 0), count - 1);
  switch (key) {
    case 'ArrowDown':
      return { kind: 'move', index: (current + 1) % count };
    case 'ArrowUp':
      return { kind: 'move', index: (current - 1 + count) % count };
    case 'Home':
      return { kind: 'move', index: 0 };
    case 'End':
      return { kind: 'move', index: count - 1 };
    case 'Enter':
      return { kind: 'pick', index: current };
    default:
      return null;
  }
}

/** What the file chooser offers for an upload-backed type (`*`: anything). */
export function acceptFor(accepts: readonly string[]): string | undefined {
  return accepts.includes('*') ? undefined : accepts.join(',');
}

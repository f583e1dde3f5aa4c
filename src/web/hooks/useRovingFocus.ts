/**
 * One Tab stop for a list whose rows hold several controls (the WAI-ARIA "roving tabindex", moved like a grid's
 * navigation mode): Tab enters on the control last used (else the first row's primary control) and the next Tab
 * leaves. ↑/↓ (j/k, Home/End) go to the same control in another row, ←/→ to the row's other controls. Fields keep
 * the keys they need: a text field gives ←/→ up only at the edge of its text, a date or a select keeps ↑/↓.
 * Focus outlives the rows being re-rendered, moved or removed (a collaborator's change, a completed task hidden).
 */
import { useCallback, useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const controlSelector = 'button, input:not([type="hidden"]), select, textarea, a[href]';

export interface RovingFocusOptions {
  /** `data-cell` names of the control to land on in a row, in order of preference (the first usable one wins). */
  primaryCells: readonly string[];
}

interface Place {
  rowKey: string | undefined;
  cell: string;
  index: number;
}

type ControlKind = 'text' | 'value' | 'plain';

/** Which keys a control needs for itself: a text field its caret, a date or a select ↑/↓ for the value. */
function kindOf(element: HTMLElement): ControlKind {
  if (element instanceof HTMLTextAreaElement) return element.readOnly ? 'plain' : 'text';
  if (element instanceof HTMLSelectElement) return 'value';
  if (element instanceof HTMLInputElement) {
    if (element.type === 'checkbox' || element.type === 'radio' || element.type === 'button' || element.type === 'submit') return 'plain';
    if (['text', 'search', 'url', 'email', 'tel', 'password'].includes(element.type)) return element.readOnly ? 'plain' : 'text';
    return 'value';
  }
  return 'plain';
}

/** A column's identity across rows: its `data-cell`, else its classes (controls rendered by other components). */
const cellOf = (element: HTMLElement) => element.dataset.cell ?? element.getAttribute('class') ?? element.tagName;

const usable = (element: HTMLElement) => !element.matches(':disabled') && element.getClientRects().length > 0;

function rowsOf(list: HTMLElement): HTMLElement[] {
  return Array.from(list.children).filter((child): child is HTMLElement => child instanceof HTMLLIElement);
}

function rowOf(list: HTMLElement, element: Element): HTMLElement | null {
  let node: Element | null = element;
  while (node && node.parentElement !== list) node = node.parentElement;
  return node instanceof HTMLLIElement ? node : null;
}

const controlsOf = (row: HTMLElement) => Array.from(row.querySelectorAll<HTMLElement>(controlSelector));

/** Focuses a control; a text field gets its caret at the edge it was entered from, so the same arrow goes on past it. */
function focusControl(element: HTMLElement, caret?: 'start' | 'end'): boolean {
  element.focus();
  if (document.activeElement !== element) return false;
  if (caret && element instanceof HTMLInputElement && kindOf(element) === 'text') {
    const at = caret === 'start' ? 0 : element.value.length;
    element.setSelectionRange(at, at);
  }
  return true;
}

/**
 * Roving focus over the rows (`<li>` children, keyed by `data-key`) of the list in `listRef`. Returns the list's
 * keydown handler; it leaves alone any key a row's own handler already used (`preventDefault`).
 */
export function useRovingFocus(listRef: RefObject<HTMLElement | null>, { primaryCells }: RovingFocusOptions) {
  // The control holding the Tab stop, and where it was (to find its stand-in when it goes).
  const stop = useRef<HTMLElement | null>(null);
  const place = useRef<Place | null>(null);
  const primaryKey = primaryCells.join(' ');

  const primaryOf = useCallback(
    (row: HTMLElement): HTMLElement | null => {
      const controls = controlsOf(row).filter(usable);
      for (const cell of primaryKey.split(' ')) {
        const found = controls.find((control) => control.dataset.cell === cell);
        if (found) return found;
      }
      return controls[0] ?? null;
    },
    [primaryKey],
  );

  /** The same control in `row` (by cell), else the row's primary one. */
  const counterpartIn = useCallback(
    (row: HTMLElement, cell: string) => controlsOf(row).find((control) => cellOf(control) === cell && usable(control)) ?? primaryOf(row),
    [primaryOf],
  );

  /** The stop, still in the list and usable, else its stand-in: same task, else the row now at its place, else the first. */
  const resolveStop = useCallback(
    (list: HTMLElement): HTMLElement | null => {
      const current = stop.current;
      const rows = rowsOf(list);
      const currentRow = current && list.contains(current) ? rowOf(list, current) : null;
      if (current && currentRow && usable(current)) {
        // Rows move around it: its place is wherever it is now.
        place.current = { rowKey: currentRow.dataset.key, cell: cellOf(current), index: rows.indexOf(currentRow) };
        return current;
      }
      if (rows.length === 0) return null;
      const was = place.current;
      if (!was) return primaryOf(rows[0]!);
      const row = rows.find((candidate) => was.rowKey !== undefined && candidate.dataset.key === was.rowKey) ?? rows[Math.min(was.index, rows.length - 1)]!;
      return counterpartIn(row, was.cell);
    },
    [primaryOf, counterpartIn],
  );

  /** Exactly one control of the list is tabbable: the stop. */
  const sync = useCallback(() => {
    const list = listRef.current;
    if (!list) return null;
    const next = resolveStop(list);
    stop.current = next;
    for (const control of list.querySelectorAll<HTMLElement>(controlSelector)) {
      const tabIndex = control === next ? 0 : -1;
      if (control.tabIndex !== tabIndex) control.tabIndex = tabIndex;
    }
    return next;
  }, [listRef, resolveStop]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    // Set by a focus lost without a new owner (Chromium blurs a control when its row is moved or removed) and kept
    // only for the rest of that task: a change of the rows in the same task means the change took the focus.
    let lostFocus = false;
    const remember = (element: HTMLElement) => {
      const row = rowOf(list, element);
      if (!row) return;
      stop.current = element;
      place.current = { rowKey: row.dataset.key, cell: cellOf(element), index: rowsOf(list).indexOf(row) };
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!(event.target instanceof HTMLElement)) return;
      remember(event.target);
      sync();
    };
    const onFocusOut = (event: FocusEvent) => {
      // Once the styles follow (a phone hides a row's empty due date and priority without the focus), the stop may
      // have to be another control, or Tab would find none.
      if (!(event.relatedTarget instanceof Node && list.contains(event.relatedTarget))) requestAnimationFrame(() => sync());
      if (event.relatedTarget !== null) return;
      lostFocus = true;
      setTimeout(() => {
        lostFocus = false;
      }, 0);
    };
    const observer = new MutationObserver(() => {
      const next = sync();
      const nobodyHasFocus = document.activeElement === null || document.activeElement === document.body;
      if (lostFocus && nobodyHasFocus && next) {
        lostFocus = false;
        next.focus();
      }
    });
    observer.observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    list.addEventListener('focusin', onFocusIn);
    list.addEventListener('focusout', onFocusOut);
    sync();
    return () => {
      observer.disconnect();
      list.removeEventListener('focusin', onFocusIn);
      list.removeEventListener('focusout', onFocusOut);
    };
  }, [listRef, sync]);

  return useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const list = listRef.current;
      const target = event.target;
      if (!list || !(target instanceof HTMLElement) || event.isDefaultPrevented() || event.nativeEvent.isComposing) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const row = rowOf(list, target);
      if (!row) return;
      const kind = kindOf(target);
      const rows = rowsOf(list);
      const toRow = (index: number) => {
        const other = rows[Math.max(0, Math.min(rows.length - 1, index))];
        if (!other || other === row) return;
        const control = counterpartIn(other, cellOf(target));
        if (control && !focusControl(control, 'end')) {
          const primary = primaryOf(other);
          if (primary) focusControl(primary);
        }
      };
      const index = rows.indexOf(row);
      if (event.key === '/' && kind === 'plain' && target instanceof HTMLInputElement) {
        // A checkbox is no field to type in, but the page's `/` shortcut takes an input for one: hand it over.
        const shortcut = document.querySelector<HTMLElement>('[aria-keyshortcuts="/"]');
        if (shortcut) {
          event.preventDefault();
          shortcut.focus();
        }
        return;
      }
      if (event.shiftKey) return; // Shift+arrows select text; Shift+Tab is the browser's
      switch (event.key) {
        case 'ArrowUp':
        case 'ArrowDown':
          if (kind === 'value') return; // a date or a priority steps its value
          event.preventDefault();
          toRow(index + (event.key === 'ArrowUp' ? -1 : 1));
          return;
        case 'k':
        case 'j':
          if (kind !== 'plain') return; // typed
          event.preventDefault();
          toRow(index + (event.key === 'k' ? -1 : 1));
          return;
        case 'Home':
        case 'End':
          if (kind !== 'plain') return; // the caret's
          event.preventDefault();
          toRow(event.key === 'Home' ? 0 : rows.length - 1);
          return;
        case 'ArrowLeft':
        case 'ArrowRight': {
          const forward = event.key === 'ArrowRight';
          if (kind === 'text') {
            const field = target as HTMLInputElement | HTMLTextAreaElement;
            const edge = forward ? field.value.length : 0;
            if (field.selectionStart !== edge || field.selectionEnd !== edge) return; // the caret moves in the text
          }
          event.preventDefault();
          const controls = controlsOf(row).filter(usable);
          const next = controls[controls.indexOf(target) + (forward ? 1 : -1)];
          if (next) focusControl(next, forward ? 'end' : 'start');
          return;
        }
      }
    },
    [listRef, counterpartIn, primaryOf],
  );
}

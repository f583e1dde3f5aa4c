import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { ContentTypeId } from '../../core/content-types/index.js';
import { menuKeyAction, type BlockMenuItem } from '../content-types/menu.js';

export interface BlockTypeMenuProps {
  /** The listbox's id; options are `${id}-${type}`. */
  id: string;
  items: readonly BlockMenuItem[];
  active: number;
  onActiveChange: (index: number) => void;
  onPick: (type: ContentTypeId) => void;
  /** Escape, or focus left the menu; `restoreFocus` when the opener should get the focus back. */
  onClose: (restoreFocus: boolean) => void;
  /**
   * `own`: the menu takes the focus and handles the keys itself (opened from the + button).
   * `combobox`: the focus stays in the text box, which calls `handleMenuKey` (opened with `/`).
   */
  focus: 'own' | 'combobox';
}

export const optionId = (menuId: string, type: string) => `${menuId}-${type}`;

/**
 * The key handling shared by both ways of opening the menu; returns true when the key was the menu's.
 * Escape closes the menu only (not the dialog around it).
 */
export function handleMenuKey(event: KeyboardEvent, props: Pick<BlockTypeMenuProps, 'items' | 'active' | 'onActiveChange' | 'onPick' | 'onClose'>): boolean {
  const action = menuKeyAction(event.key, props.active, props.items.length);
  if (!action) return false;
  event.preventDefault();
  event.stopPropagation();
  if (action.kind === 'move') props.onActiveChange(action.index);
  else if (action.kind === 'pick') props.onPick(props.items[action.index]!.id);
  else props.onClose(true);
  return true;
}

/** The block types to add: a listbox operated with ↑/↓, Home/End, Enter and Escape, or the mouse. */
export function BlockTypeMenu(props: BlockTypeMenuProps) {
  const { id, items, active, onActiveChange, onPick, onClose, focus } = props;
  const list = useRef<HTMLUListElement>(null);
  useLayoutEffect(() => {
    if (focus === 'own') list.current?.focus();
  }, [focus]);
  const activeItem = items[Math.min(active, items.length - 1)];

  return (
    <div className="block-menu">
      <ul
        ref={list}
        id={id}
        role="listbox"
        aria-label="Block types"
        className="block-menu-list"
        tabIndex={focus === 'own' ? 0 : -1}
        aria-activedescendant={focus === 'own' && activeItem ? optionId(id, activeItem.id) : undefined}
        onKeyDown={focus === 'own' ? (event) => void handleMenuKey(event, props) : undefined}
        onBlur={
          focus === 'own'
            ? (event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onClose(false);
              }
            : undefined
        }
      >
        {items.map((item, index) => (
          <li
            key={item.id}
            id={optionId(id, item.id)}
            role="option"
            aria-selected={item === activeItem}
            className="block-menu-option"
            onMouseDown={(event) => event.preventDefault()} // keep the focus where it is
            // Only a pointer that really moved: the list scrolling under a still pointer must not move the selection.
            onMouseMove={(event) => {
              if ((event.movementX !== 0 || event.movementY !== 0) && item !== activeItem) onActiveChange(index);
            }}
            onClick={() => onPick(item.id)}
          >
            <span className="block-menu-label">{item.label}</span>
            {item.hint ? <span className="block-menu-hint">{item.hint}</span> : null}
          </li>
        ))}
      </ul>
      {items.length === 0 ? <p className="block-menu-empty">No block type matches.</p> : null}
    </div>
  );
}

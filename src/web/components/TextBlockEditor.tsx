import { useEffect, useId, useRef, useState } from 'react';
import type { ContentTypeId } from '../../core/content-types/index.js';
import { text as textType } from '../../core/content-types/text.js';
import { blockMenuItems, filterBlockMenu, slashQuery } from '../content-types/menu.js';
import { BlockTypeMenu, handleMenuKey, optionId } from './BlockTypeMenu.js';

export interface TextBlockEditorProps {
  initial: string;
  /** Saves the text (an empty text removes the block). */
  onSave: (text: string) => void;
  onCancel: () => void;
  /** A type chosen from the `/` menu (offered while the box holds only `/…`). */
  onPickType: (type: ContentTypeId) => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** A text block being written: Markdown; `/` in the empty box opens the block menu; Ctrl/⌘+Enter or leaving saves. */
export function TextBlockEditor({ initial, onSave, onCancel, onPickType }: TextBlockEditorProps) {
  const [value, setValue] = useState(initial);
  const [active, setActive] = useState(0);
  /** The text the menu was closed at with Escape: it stays closed until the text changes. */
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);
  const id = useId();
  const menuId = `${id}-menu`;

  useEffect(() => {
    box.current?.focus();
  }, []);

  const query = slashQuery(value);
  const items = query === null ? [] : filterBlockMenu(blockMenuItems, query);
  const open = query !== null && dismissedAt !== value;
  const activeIndex = Math.min(active, Math.max(items.length - 1, 0));

  const finish = (action: () => void) => {
    if (done.current) return;
    done.current = true;
    action();
  };
  const pick = (type: ContentTypeId) => finish(() => onPickType(type));
  // A lone `/` was a menu opened and left: nothing to keep.
  const save = () => finish(() => onSave(value.trim() === '/' ? '' : value));

  return (
    <div className="block-text-editor">
      <label htmlFor={`${id}-box`} className="visually-hidden">
        Text block
      </label>
      <textarea
        ref={box}
        id={`${id}-box`}
        className="details-notes"
        rows={3}
        value={value}
        maxLength={textType.limits.maxChars}
        placeholder="Write something… Type / for other blocks."
        aria-describedby={`${id}-hint`}
        aria-controls={open ? menuId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={open && items[activeIndex] ? optionId(menuId, items[activeIndex].id) : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (open && handleMenuKey(event, { items, active: activeIndex, onActiveChange: setActive, onPick: pick, onClose: () => setDismissedAt(value) })) return;
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            save();
          } else if (event.key === 'Escape') {
            // Undo the typing, not close the dialog around the editor.
            event.preventDefault();
            event.stopPropagation();
            finish(onCancel);
          }
        }}
        onBlur={save}
      />
      {open ? <BlockTypeMenu id={menuId} items={items} active={activeIndex} onActiveChange={setActive} onPick={pick} onClose={() => setDismissedAt(value)} focus="combobox" /> : null}
      <p id={`${id}-hint`} className="block-editor-hint">
        Markdown works. {isMac ? '⌘' : 'Ctrl'}+Enter to save, Escape to cancel.
      </p>
    </div>
  );
}

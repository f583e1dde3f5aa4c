/**
 * `text`: Markdown without raw HTML (`skipHtml`), only the elements core allows, links to http(s)/mailto only.
 * Its editor is a Markdown box that also opens the add-a-block menu when it holds only `/…`.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import type { BlockOf, ContentTypeId } from '../../core/content-types/index.js';
import { markdownToPlainText, text as textType } from '../../core/content-types/text.js';
import { BlockTypeMenu, handleMenuKey, optionId } from '../components/BlockTypeMenu.js';
import { saveShortcut } from './block-form.js';
import { filterBlockMenu, slashQuery } from './menu.js';
import { blockRenderer, type BlockEditorProps } from './renderer.js';
import { LoadFailure } from '../components/LoadFailure.js';

const TextMarkdown = lazy(() => import('./parts/text-markdown.js'));

export function TextBlock({ block }: { block: BlockOf<'text'> }) {
  return (
    <div className="markdown block-text">
      {/* Until the Markdown engine has loaded: the same words, plain. */}
      <LoadFailure fallback={<p className="block-text-plain">{markdownToPlainText(block.text)}</p>}>
        <Suspense fallback={<p className="block-text-plain">{markdownToPlainText(block.text)}</p>}>
          <TextMarkdown source={block.text} />
        </Suspense>
      </LoadFailure>
    </div>
  );
}

/** A text block being written: Markdown; `/` in the empty box opens the block menu; Ctrl/⌘+Enter or leaving saves, and an emptied box removes the block. */
export function TextEditor({ block, onSave, onCancel, blockMenu }: BlockEditorProps<'text'>) {
  const [value, setValue] = useState(block?.text ?? '');
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
  const items = query === null ? [] : filterBlockMenu(blockMenu.items, query);
  const open = query !== null && dismissedAt !== value;
  const activeIndex = Math.min(active, Math.max(items.length - 1, 0));

  const finish = (action: () => void) => {
    if (done.current) return;
    done.current = true;
    action();
  };
  const pick = (type: ContentTypeId) => finish(() => blockMenu.onPick(type));
  // A lone `/` was a menu opened and left: nothing to keep.
  const save = () => finish(() => onSave(value.trim() === '' || value.trim() === '/' ? null : { type: 'text', text: value }));

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
          if (open && handleMenuKey(event, { items, active: activeIndex, onActiveChange: setActive, onPick: pick, onClose: () => setDismissedAt(value) }))
            return;
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
      {open ? (
        <BlockTypeMenu
          id={menuId}
          items={items}
          active={activeIndex}
          onActiveChange={setActive}
          onPick={pick}
          onClose={() => setDismissedAt(value)}
          focus="combobox"
        />
      ) : null}
      <p id={`${id}-hint`} className="block-editor-hint">
        Markdown works. {saveShortcut} to save, Escape to cancel.
      </p>
    </div>
  );
}

export const renderer = blockRenderer('text', TextBlock, { hint: 'Formatted text (Markdown)', editor: TextEditor });
declare module './renderer.js' {
  interface BlockRenderers {
    text: typeof renderer;
  }
}
